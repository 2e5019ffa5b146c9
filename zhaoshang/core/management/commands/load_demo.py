from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core import generations
from zhaoshang.core.demo import DEMO_CITY, demo_logins, load_demo


class Command(BaseCommand):
    help = (
        "Build the deterministic demo city of Jiangmen (development mode only: it creates logins with known passwords)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already has users")

    def handle(self, *args, if_empty=False, **options):
        from django.contrib.auth import get_user_model

        if settings.PRODUCTION:
            raise CommandError("load_demo creates logins with published passwords and is refused in production mode.")
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("the database already has data; demo not loaded again")
        else:
            ctx = load_demo(DEMO_CITY)
            generations.bump_all()  # the demo writes in bulk: what was kept from an earlier database is dropped
            self.stdout.write(f"demo city loaded ({', '.join(ctx.log)})")
        self.stdout.write("demo logins (user name / password):")
        for username, password, who in demo_logins():
            self.stdout.write(f"  {username:<14} {password}   {who}")
