"""manage.py classify_enterprises [--chain ID]: classify every enterprise to the chain nodes again."""

from time import monotonic

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.industry.classify import Matcher, classify
from zhaoshang.industry.models import Chain, NodeClassification


class Command(BaseCommand):
    help = "Classify every enterprise to the chain nodes again (staff corrections stay)."

    def add_arguments(self, parser):
        parser.add_argument("--chain", type=int, help="Count the rows of this chain only (all chains are matched).")

    def handle(self, *args, **options):
        chain_id = options.get("chain")
        if chain_id is not None and not Chain.objects.filter(pk=chain_id).exists():
            raise CommandError(f"There is no chain {chain_id}.")
        started = monotonic()
        matcher = Matcher.load()
        result = classify(None, matcher=matcher)
        rows = NodeClassification.objects.all()
        if chain_id is not None:
            rows = rows.filter(chain_id=chain_id)
        self.stdout.write(
            f"{result.enterprises} enterprises classified in {monotonic() - started:.1f} s: "
            f"{result.rows} rows by the rules; "
            f"{rows.filter(excluded=False).count()} enterprise places at nodes"
            + (f" of chain {chain_id}" if chain_id is not None else "")
        )
