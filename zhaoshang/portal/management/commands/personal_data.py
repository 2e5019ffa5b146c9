"""Export or erase one person's personal data on their request (PIPL), as an administrator; the request is audited."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from zhaoshang.core.context import acting_as
from zhaoshang.portal.services.privacy import erase_person, export_person


class Command(BaseCommand):
    help = (
        "Find one person's data in inquiries and project contacts by phone, email or name; print it as JSON "
        "(export) or anonymise it (--erase). One audit record names the administrator and the records, not the data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The administrator handling the request (username).")
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="")
        parser.add_argument("--erase", action="store_true", help="Erase instead of exporting.")
        parser.add_argument("--output", help="Write the export to this file instead of standard output.")

    def handle(self, *args, user, phone, email, name, erase, output=None, **options):
        User = get_user_model()
        admin = User.objects.filter(**{User.USERNAME_FIELD: user}, is_active=True).first()
        if admin is None:
            raise CommandError(f"--user: no active user {user!r}")
        criteria = {"phone": phone, "email": email, "name": name}
        try:
            with acting_as(admin, request_id="personal_data"):
                if erase:
                    found = erase_person(admin, **criteria)
                    self.stdout.write(f"{len(found.inquiries)} inquiries, {found.contact_count} contacts erased")
                    return
                data = export_person(admin, **criteria)
        except PermissionDenied:
            raise CommandError(f"{user} is not an administrator") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
