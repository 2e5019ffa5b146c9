"""Chains in and out of Excel: one row per node (see core.excel).

A row names its chain, the chain's segment and the node: chains, segments and nodes are found by their names
(a chain by its Chinese name, a segment and a node by theirs within the chain) and created when new. On a chain
and a segment a blank cell keeps what is on record, and the rows of one chain (of one segment) must not disagree;
a node's industry codes and keywords are the row's (a blank cell: none). Nodes, segments and chains the sheet does
not name are left as they are. Everything is checked before anything is saved, all or nothing; exporting and
importing again changes nothing. Nodes whose codes or keywords change are followed by a new classification of the
enterprises (``industry.tasks``).
"""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.models import Team
from zhaoshang.core import excel

from .choices import SegmentPosition
from .models import Chain, ChainNode, ChainSegment, IndustryCode
from .services import split_words

CHAIN_COLUMNS = [
    excel.Column("chain", gettext_lazy("Industry chain"), required=True, width=16),
    excel.Column("chain_en", gettext_lazy("Industry chain (English)"), width=20),
    excel.Column("chief", gettext_lazy("Chain chief"), width=16),
    excel.Column(
        "task_force",
        gettext_lazy("Task force"),
        help=gettext_lazy("The name of the chain's task force (a team of the platform)."),
        width=18,
    ),
    excel.Column("position", gettext_lazy("Segment position"), choices=SegmentPosition.choices, required=True),
    excel.Column("segment", gettext_lazy("Segment"), required=True, width=16),
    excel.Column("segment_en", gettext_lazy("Segment (English)"), width=18),
    excel.Column("node", gettext_lazy("Node"), required=True, width=16),
    excel.Column("node_en", gettext_lazy("Node (English)"), width=18),
    excel.Column(
        "codes",
        gettext_lazy("Industry codes"),
        help=gettext_lazy("GB/T 4754-2017 codes of any level, separated by commas, e.g. 3841, 3985."),
        width=16,
    ),
    excel.Column(
        "keywords",
        gettext_lazy("Keywords"),
        help=gettext_lazy("Product words separated by commas, e.g. cathode materials, LFP."),
        width=30,
    ),
]

CHAIN_EXAMPLE = {
    "chain": "新能源电池",
    "chain_en": "New energy batteries",
    "chief": "市委副书记",
    "task_force": "新能源电池产业链专班",
    "position": SegmentPosition.UPSTREAM.label,
    "segment": "材料",
    "segment_en": "Materials",
    "node": "正极材料",
    "node_en": "Cathode materials",
    "codes": "3985",
    "keywords": "正极材料、磷酸铁锂、三元材料",
}

# The fields of each level a row carries, and the column of each.
CHAIN_FIELDS = {"chain_en": "name_en", "chief": "chief", "task_force": "task_force"}
SEGMENT_FIELDS = {"position": "position", "segment_en": "name_en"}


def _codes_text(node) -> str:
    return ", ".join(sorted(code.code for code in node.industry_codes.all()))


def export_rows(chains):
    """The nodes of ``chains`` as rows of ``CHAIN_COLUMNS`` (chain by chain, segment by segment)."""
    nodes = ChainNode.objects.prefetch_related("industry_codes").order_by("sort", "pk")
    chains = chains.select_related("task_force").prefetch_related(
        Prefetch(
            "segments",
            queryset=ChainSegment.objects.order_by("sort", "pk").prefetch_related(Prefetch("nodes", queryset=nodes)),
        )
    )
    for chain in chains:
        for segment in chain.segments.all():
            for node in segment.nodes.all():
                yield ChainRow(chain, segment, node)


class ChainRow:
    """One node with its segment and chain, read by the columns' keys."""

    def __init__(self, chain, segment, node):
        self.chain = chain.name
        self.chain_en = chain.name_en
        self.chief = chain.chief
        self.task_force = chain.task_force.name if chain.task_force_id else ""
        self.position = segment.position
        self.segment = segment.name
        self.segment_en = segment.name_en
        self.node = node.name
        self.node_en = node.name_en
        self.codes = _codes_text(node)
        self.keywords = "、".join(split_words(node.keywords))


class ChainRowForm(forms.Form):
    """One row: its names and values checked, and checked against the rows before it (``ChainImporter``)."""

    chain = forms.CharField(max_length=Chain._meta.get_field("name").max_length)
    chain_en = forms.CharField(max_length=Chain._meta.get_field("name_en").max_length, required=False)
    chief = forms.CharField(max_length=Chain._meta.get_field("chief").max_length, required=False)
    task_force = forms.CharField(required=False)
    position = forms.ChoiceField(choices=SegmentPosition.choices)
    segment = forms.CharField(max_length=ChainSegment._meta.get_field("name").max_length)
    segment_en = forms.CharField(max_length=ChainSegment._meta.get_field("name_en").max_length, required=False)
    node = forms.CharField(max_length=ChainNode._meta.get_field("name").max_length)
    node_en = forms.CharField(max_length=ChainNode._meta.get_field("name_en").max_length, required=False)
    codes = forms.CharField(required=False)
    keywords = forms.CharField(required=False)

    def clean_task_force(self):
        name = self.cleaned_data.get("task_force")
        if not name:
            return None
        team = self.importer.teams.get(name)
        if team is None:
            raise forms.ValidationError(_("There is no task force named “%(value)s”.") % {"value": name})
        return team

    def clean_codes(self):
        codes = []
        for code in excel.parse_list(self.cleaned_data.get("codes")):
            found = self.importer.codes.get(code)
            if found is None:
                raise forms.ValidationError(
                    _("“%(value)s” is not an industry code (GB/T 4754-2017).") % {"value": code}
                )
            codes.append(found)
        return sorted(set(codes), key=lambda c: c.code)

    def clean_keywords(self):
        return "、".join(split_words(self.cleaned_data.get("keywords") or ""))


class ChainImporter:
    """Imports chains, their segments and nodes by name (``excel.ImportView`` drives it like a ModelImporter)."""

    model = Chain
    columns = CHAIN_COLUMNS
    title = gettext_lazy("industry chains")

    def __init__(self, user):
        self.user = user
        self.teams: dict[str, Team] = {}
        for team in Team.objects.filter(kind=TeamKind.TASK_FORCE):
            for name in (team.name, team.name_en):
                if name:
                    self.teams[name] = team
        self.codes = {code.code: code for code in IndustryCode.objects.all()}
        self.chains: dict[str, dict] = {}  # chain name → {field: (value, row)}
        self.segments: dict[tuple[str, str], dict] = {}
        self.nodes: dict[tuple[str, str], int] = {}  # (chain, node) → row
        self.changed_nodes = False

    def run(self, file, progress=None, *, dry_run: bool = False) -> excel.ImportResult:
        def make_form(data):
            form = ChainRowForm(data)
            form.importer = self
            return form

        result = excel.import_workbook(
            file,
            self.columns,
            make_form,
            save_rows=self.save_rows,
            progress=progress,
            dry_run=dry_run,
            plan=(lambda row, form: excel.PlannedRow(row, "updated", form.cleaned_data["node"])) if dry_run else None,
        )
        if result.ok and not dry_run and self.changed_nodes:
            from .tasks import reclassify_after_commit

            reclassify_after_commit()
        return result

    # checking the rows against each other ------------------------------------------------------------------

    def check_rows(self, valid) -> None:
        """The rows of one chain (one segment) agree, and no node has two rows; RowSaveError names the first row
        that does not."""
        for number, form in valid:
            cleaned = form.cleaned_data
            chain, segment, node = cleaned["chain"], cleaned["segment"], cleaned["node"]
            self._agree(number, self.chains.setdefault(chain, {}), cleaned, CHAIN_FIELDS)
            self._agree(number, self.segments.setdefault((chain, segment), {}), cleaned, SEGMENT_FIELDS)
            earlier = self.nodes.get((chain, node))
            if earlier is not None:
                message = _("“%(value)s” is already in row %(row)d.") % {"value": node, "row": earlier}
                raise excel.RowSaveError(number, message, _column("node").header)
            self.nodes[(chain, node)] = number

    def _agree(self, number: int, seen: dict, cleaned: dict, fields: dict) -> None:
        for key in fields:
            value = cleaned.get(key)
            if value in (None, ""):
                continue
            earlier = seen.get(key)
            if earlier is None:
                seen[key] = (value, number)
            elif earlier[0] != value:
                column = _column(key)
                message = _("%(column)s differs from row %(row)d of the same chain or segment.") % {
                    "column": column.header,
                    "row": earlier[1],
                }
                raise excel.RowSaveError(number, message, column.header)

    # saving ------------------------------------------------------------------------------------------------

    def save_rows(self, valid) -> dict:
        self.check_rows(valid)
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        chains = {c.name: c for c in Chain.objects.filter(name__in={f.cleaned_data["chain"] for _r, f in valid})}
        for number, form in valid:
            data = form.cleaned_data
            try:
                action = self._save_row(chains, data)
            except excel.RowSaveError as error:
                error.row = number
                raise
            counts[action] += 1
        return counts

    def _save_row(self, chains: dict, data: dict) -> str:
        created = False
        chain = chains.get(data["chain"])
        if chain is None:
            chain = Chain(name=data["chain"])
            created = True
        _assign(chain, {"name_en": data["chain_en"], "chief": data["chief"], "task_force": data["task_force"]})
        _save(chain)
        chains[chain.name] = chain
        segment = ChainSegment.objects.filter(chain=chain, name=data["segment"]).first()
        if segment is None:
            segment = ChainSegment(chain=chain, name=data["segment"], sort=chain.segments.count())
        _assign(segment, {"position": data["position"], "name_en": data["segment_en"]})
        _save(segment)
        node = ChainNode.objects.filter(chain=chain, name=data["node"]).first()
        node_created = node is None
        if node_created:
            node = ChainNode(chain=chain, segment=segment, name=data["node"], sort=chain.nodes.count())
        node.segment = segment
        _assign(node, {"name_en": data["node_en"]})
        changed = _save(node) or node_created
        codes = [code.pk for code in data["codes"]]
        if sorted(node.industry_codes.values_list("pk", flat=True)) != sorted(codes):
            node.industry_codes.set(codes)
            changed = self.changed_nodes = True
        if node.keywords != data["keywords"]:
            node.keywords = data["keywords"]
            node.save()
            changed = self.changed_nodes = True
        if node_created:
            self.changed_nodes = True
        if created or node_created:
            return "created"
        return (
            "updated"
            if changed or getattr(segment, "_changed", False) or getattr(chain, "_changed", False)
            else ("unchanged")
        )


def _column(key: str) -> excel.Column:
    return next(c for c in CHAIN_COLUMNS if c.key == key)


def _assign(obj, values: dict) -> None:
    """Set the non-blank values (a blank cell keeps what is on record)."""
    for name, value in values.items():
        if value not in (None, ""):
            setattr(obj, name, value)


def _save(obj) -> bool:
    """Save ``obj`` when new or changed (audited by its save); whether it was."""
    from zhaoshang.core import audit

    if obj.pk is not None:
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk))
        if not audit.changes(before, audit.snapshot(obj)):
            obj._changed = False
            return False
    obj.full_clean(exclude=["segment"] if isinstance(obj, ChainNode) else None, validate_unique=False)
    obj.save()
    obj._changed = True
    return True
