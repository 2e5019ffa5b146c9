"""manage.py classify_enterprises [--chain ID]: classify every enterprise to the chain nodes again."""

from time import monotonic

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.industry.classify import classify
from zhaoshang.industry.models import Chain, NodeClassification


class Command(BaseCommand):
    help = "Classify every enterprise to the chain nodes again (staff corrections stay)."

    def add_arguments(self, parser):
        parser.add_argument("--chain", type=int, help="The nodes of this chain only (the other chains' rows stay).")

    def handle(self, *args, **options):
        chain_id = options.get("chain")
        if chain_id is not None and not Chain.objects.filter(pk=chain_id).exists():
            raise CommandError(f"There is no chain {chain_id}.")
        chains = None if chain_id is None else [chain_id]
        started = monotonic()
        result = classify(None, chains=chains)
        places = NodeClassification.objects.filter(excluded=False)
        if chain_id is not None:
            places = places.filter(chain_id=chain_id)
        self.stdout.write(
            f"{result.enterprises} enterprises classified in {monotonic() - started:.1f} s: "
            f"{result.rows} rows by the rules, {places.count()} places at nodes"
            + (f" of chain {chain_id}" if chain_id is not None else "")
            + "."
        )
