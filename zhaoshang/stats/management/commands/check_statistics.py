"""The consistency checks of the statistics (the page /work/stats/checks/), over the whole city, for cron or a
statistician before a report is issued."""

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.stats.services import consistency_checks


class Command(BaseCommand):
    help = "List the records that would make figures wrong: missing signing dates, amounts in the wrong unit, stage "
    help += "dates out of order, actual FDI without an enterprise, foreign-tagged enterprises without foreign capital; "
    help += "and, for information, projects whose stage dates are unknown (a historical ledger's)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fail",
            action="store_true",
            help="Exit with status 1 when anything is found (informational checks, such as unknown dates, excepted).",
        )

    def handle(self, *args, fail=False, **options):
        found = 0
        for check in consistency_checks():
            found += 0 if check.informational else check.count
            self.stdout.write(f"{check.title}: {check.count}")
            for finding in check.findings:
                detail = f" ({finding.detail})" if finding.detail else ""
                self.stdout.write(f"  {finding.label}{detail} {finding.url}")
        if fail and found:
            raise CommandError(f"{found} records need attention")
