from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core import calendar_load
from zhaoshang.core.models import CalendarYear


class Command(BaseCommand):
    help = (
        "Load the official working days (holidays and moved working days) from the maintained package: the years "
        "given, or every year it publishes that is not loaded yet. A year it does not publish is refused, never "
        "guessed: enter its days on the calendar page once the State Council publishes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", help="a year to load (repeatable)")
        parser.add_argument(
            "--replace", action="store_true", help="reload years already loaded (their days entered by hand too)"
        )

    def handle(self, *args, years=None, replace=False, **options):
        published = calendar_load.published_years()
        first_refused = (published[-1] + 1) if published else None
        if years:
            wanted = sorted(set(years))
        else:
            loaded = set(CalendarYear.objects.values_list("year", flat=True))
            wanted = [year for year in published if replace or year not in loaded]
        refused = []
        for year in wanted:
            if not replace and CalendarYear.objects.filter(year=year).exists():
                self.stdout.write(f"{year}: already loaded (--replace reloads it)")
                continue
            try:
                days = calendar_load.load_year(year, replace=True)
            except calendar_load.YearNotPublished:
                refused.append(year)
                continue
            self.stdout.write(f"{year}: loaded {days} days from {calendar_load.package_source()}")
        if not wanted:
            self.stdout.write("nothing to load: every year the package publishes is loaded")
        if refused:
            raise CommandError(
                f"{', '.join(map(str, refused))}: not published by {calendar_load.package_source()}; "
                "enter the days by hand on the calendar page once the State Council publishes them"
            )
        if first_refused is not None:
            self.stdout.write(
                f"{first_refused} is the first year the package refuses: enter it by hand once it is published"
            )
