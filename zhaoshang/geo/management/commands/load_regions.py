from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.geo.services import RegionDataError, load_regions


class Command(BaseCommand):
    help = "Load a city, its province and its districts with boundaries (default: ZHAOSHANG_CITY_ADCODE)."

    def add_arguments(self, parser):
        parser.add_argument("adcode", nargs="?", default=None, help="city code, e.g. 440700")

    def handle(self, *args, adcode=None, **options):
        code = adcode or settings.ZHAOSHANG_CITY_ADCODE
        try:
            counts = load_regions(code)
        except RegionDataError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"regions of {code}: {counts['created']} created, {counts['updated']} updated")
