"""A chain's figures by node and the city's chains at a glance (the chain map and the overview).

Per node of a chain (``chain_figures``):

- local enterprises: the enterprises in the city classified to the node and not excluded by staff, and of them the
  large ones (estimated output of at least ``ZHAOSHANG_CHAIN_LARGE_OUTPUT_WAN``, 1亿元 of revenue by default);
- their estimated output (万元): the sum of their ``output_wan`` (the middle of their revenue band);
- projects in the pipeline: the chain's projects from lead to production started (neither paused, dropped nor in
  full production) whose investor enterprise is classified to the node (not excluded), and their planned
  investment; an investor classified to two nodes counts at both;
- targets taken: the chain's targets taken up as leads at the node.

The enterprise figures are the city's (aggregates, the same for every member of staff: the strength of a node does
not depend on who looks at it); they are read from the indexed columns of ``industry.NodeClassification`` alone.
The projects and targets are those the user reads (``restrict``): a member of staff never counts a record they
could not open.

The strength of a node (``NodeStrength``), the documented rule:

- gap (缺链): no local enterprise;
- weak (弱链): fewer than ``ZHAOSHANG_CHAIN_WEAK_ENTERPRISES`` local enterprises (3), or a local output under
  ``ZHAOSHANG_CHAIN_WEAK_OUTPUT_SHARE`` percent (20) of the average output of the chain's nodes;
- strong (强链): the others.

A chain's figures take a constant number of queries whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from zhaoshang.core.choices import Action
from zhaoshang.industry.choices import SegmentPosition
from zhaoshang.industry.models import Chain, ChainNode, NodeClassification
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project

from ..choices import NodeStrength, TargetState

# The stages of a project "in the pipeline": from the first lead to production started.
PIPELINE_STAGES = (
    Stage.LEAD,
    Stage.CONTACT,
    Stage.NEGOTIATION,
    Stage.SIGNED,
    Stage.LAND,
    Stage.CONSTRUCTION,
    Stage.PRODUCTION,
)
POSITIONS = [position for position, _label in SegmentPosition.choices]


def weak_enterprises() -> int:
    return settings.ZHAOSHANG_CHAIN_WEAK_ENTERPRISES


def weak_output_share() -> int:
    return settings.ZHAOSHANG_CHAIN_WEAK_OUTPUT_SHARE


def large_output_wan() -> int:
    return settings.ZHAOSHANG_CHAIN_LARGE_OUTPUT_WAN


def strength(enterprises: int, output: int, average_output: Decimal) -> str:
    """The strength of a node of ``enterprises`` local enterprises and ``output`` (万元), in a chain whose nodes
    have ``average_output`` on average (the rule in the module's description)."""
    if not enterprises:
        return NodeStrength.GAP
    if enterprises < weak_enterprises():
        return NodeStrength.WEAK
    if Decimal(output) * 100 < average_output * weak_output_share():
        return NodeStrength.WEAK
    return NodeStrength.STRONG


def rule_sentence() -> str:
    """The rule in one sentence, with the thresholds in force."""
    return _(
        "A node with no local enterprise is a gap; one with fewer than %(count)s local enterprises, or whose local "
        "output is under %(share)s%% of the average output of the chain's nodes, is weak; the others are strong."
    ) % {"count": weak_enterprises(), "share": weak_output_share()}


@dataclass
class NodeFigures:
    node: ChainNode
    enterprises: int = 0
    large: int = 0
    output: int = 0
    projects: int = 0
    investment: Decimal = Decimal(0)
    targets: int = 0
    strength: str = NodeStrength.GAP

    @property
    def strength_label(self) -> str:
        return NodeStrength(self.strength).label


@dataclass
class ChainFigures:
    chain: Chain
    nodes: list[NodeFigures] = field(default_factory=list)

    def count(self, strength: str) -> int:
        return sum(1 for n in self.nodes if n.strength == strength)

    @property
    def gaps(self) -> int:
        return self.count(NodeStrength.GAP)

    @property
    def weak(self) -> int:
        return self.count(NodeStrength.WEAK)

    @property
    def enterprises(self) -> int:
        return sum(n.enterprises for n in self.nodes)

    @property
    def output(self) -> int:
        return sum(n.output for n in self.nodes)

    def segments(self) -> list[dict]:
        """The nodes by segment, the segments in the order upstream, midstream, downstream."""
        found: dict[int, dict] = {}
        for figures in self.nodes:
            segment = figures.node.segment
            entry = found.setdefault(segment.pk, {"segment": segment, "nodes": []})
            entry["nodes"].append(figures)
        return sorted(
            found.values(), key=lambda e: (POSITIONS.index(e["segment"].position), e["segment"].sort, e["segment"].pk)
        )


def pipeline_projects(user, chains=None):
    """The projects in the pipeline the user reads (of ``chains``: a chain or a queryset of chains)."""
    projects = Project.objects.restrict(user, Action.VIEW).filter(stage__in=PIPELINE_STAGES)
    if isinstance(chains, Chain):
        return projects.filter(chain=chains)
    if chains is not None:
        return projects.filter(chain__in=chains)
    return projects


def node_figures(node: ChainNode, user) -> NodeFigures:
    """The figures of one node, as its chain's map shows them."""
    return next(figures for figures in chain_figures(node.chain, user).nodes if figures.node.pk == node.pk)


def chain_figures(chain: Chain, user) -> ChainFigures:
    """The figures of every node of ``chain`` for ``user`` (see the module's description)."""
    from ..models import Target

    nodes = list(ChainNode.objects.filter(chain=chain).select_related("segment"))
    # Equalities (``__in`` of one value) rather than bare boolean columns, so that SQLite seeks the chain's index.
    local = (
        NodeClassification.objects.filter(chain=chain, local__in=[True], excluded__in=[False])
        .order_by()
        .values("node_id")
        .annotate(
            count=Count("node"),
            large=Count("node", filter=Q(output_wan__gte=large_output_wan())),
            output=Sum("output_wan"),
        )
    )
    local = {row["node_id"]: row for row in local}
    # From the chain's projects to their investors' places at the chain's nodes (the few projects lead, not the
    # chain's many classifications): one row per (project, node), as an enterprise has one classification per node.
    pipeline = (
        pipeline_projects(user, chain)
        .filter(enterprise__node_links__chain=chain, enterprise__node_links__excluded=False)
        .order_by()
        .values(node_id=F("enterprise__node_links__node_id"))
        .annotate(count=Count("pk", distinct=True), investment=Sum("planned_investment"))
    )
    pipeline = {row["node_id"]: row for row in pipeline}
    targets = dict(
        Target.objects.restrict(user, Action.VIEW)
        .filter(chain=chain, state=TargetState.TAKEN)
        .order_by()
        .values("node_id")
        .annotate(count=Count("pk"))
        .values_list("node_id", "count")
    )
    result = ChainFigures(chain)
    for node in nodes:
        row = local.get(node.pk) or {}
        projects_row = pipeline.get(node.pk) or {}
        result.nodes.append(
            NodeFigures(
                node=node,
                enterprises=row.get("count") or 0,
                large=row.get("large") or 0,
                output=row.get("output") or 0,
                projects=projects_row.get("count") or 0,
                investment=projects_row.get("investment") or Decimal(0),
                targets=targets.get(node.pk, 0),
            )
        )
    average = Decimal(result.output) / len(nodes) if nodes else Decimal(0)
    for figures in result.nodes:
        figures.strength = strength(figures.enterprises, figures.output, average)
    return result


@dataclass
class ChainRow:
    """One chain of the overview."""

    chain: Chain
    nodes: int = 0
    gaps: int = 0
    weak: int = 0
    enterprises: int = 0
    output: int = 0
    projects: int = 0
    investment: Decimal = Decimal(0)
    signed: int = 0
    value_added: object = None  # the latest ChainValueAdded, or None


def overview(user, today: date) -> list[ChainRow]:
    """Every active chain with its key figures for ``user``: nodes, gaps and weak nodes (the rule of
    ``chain_figures``), local enterprises and their output, projects in the pipeline and their planned investment,
    projects signed this year, the latest value added with its growth. A constant number of queries."""
    from ..models import ChainValueAdded

    chains = list(Chain.objects.filter(active=True))
    rows = {chain.pk: ChainRow(chain) for chain in chains}
    nodes_by_chain: dict[int, list[int]] = {}
    for node_id, chain_id in ChainNode.objects.filter(chain__in=chains).order_by().values_list("pk", "chain_id"):
        nodes_by_chain.setdefault(chain_id, []).append(node_id)
    local = (
        NodeClassification.objects.filter(chain__in=chains, local__in=[True], excluded__in=[False])
        .order_by()
        .values("chain_id", "node_id")
        .annotate(count=Count("*"), output=Sum("output_wan"))
    )
    by_node = {(r["chain_id"], r["node_id"]): r for r in local}
    # Local enterprises of a chain: an enterprise at two nodes of the chain counts once.
    distinct = (
        NodeClassification.objects.filter(chain__in=chains, local__in=[True], excluded__in=[False])
        .order_by()
        .values("chain_id")
        .annotate(count=Count("enterprise_id", distinct=True))
    )
    enterprises = {r["chain_id"]: r["count"] for r in distinct}
    for chain_id, node_ids in nodes_by_chain.items():
        row = rows[chain_id]
        figures = [by_node.get((chain_id, node_id), {}) for node_id in node_ids]
        output = sum(f.get("output") or 0 for f in figures)
        average = Decimal(output) / len(node_ids)
        strengths = [strength(f.get("count") or 0, f.get("output") or 0, average) for f in figures]
        row.nodes = len(node_ids)
        row.gaps = strengths.count(NodeStrength.GAP)
        row.weak = strengths.count(NodeStrength.WEAK)
        row.output = output
    for chain_id, count in enterprises.items():
        rows[chain_id].enterprises = count
    pipeline = (
        pipeline_projects(user, chains)
        .order_by()
        .values("chain_id")
        .annotate(count=Count("*"), investment=Sum("planned_investment"))
    )
    for r in pipeline:
        rows[r["chain_id"]].projects = r["count"]
        rows[r["chain_id"]].investment = r["investment"] or Decimal(0)
    signed = (
        Project.objects.restrict(user, Action.VIEW)
        .filter(chain__in=chains, signed_on__gte=date(today.year, 1, 1), signed_on__lte=today)
        .order_by()
        .values("chain_id")
        .annotate(count=Count("pk"))
    )
    for r in signed:
        rows[r["chain_id"]].signed = r["count"]
    latest = ChainValueAdded.objects.restrict(user, Action.VIEW).filter(chain__in=chains).order_by("-year", "-month")
    for record in latest.select_related("chain"):
        row = rows[record.chain_id]
        if row.value_added is None:
            row.value_added = record
    return [rows[chain.pk] for chain in chains]


def work_panel(user) -> dict | None:
    """ "My work": the chains of the user's task forces with their gaps and weak nodes, each opening its map."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    if not user.is_authenticated:
        return None
    chains = list(Chain.objects.filter(active=True, task_force__memberships__user=user).distinct())
    if not chains:
        return None
    items = []
    for chain in chains:
        result = chain_figures(chain, user)
        items.append(
            {
                "label": chain.display_name,
                "url": reverse("chains:chain-map", args=[chain.pk]),
                "note": _("Gaps %(gaps)s · weak nodes %(weak)s") % {"gaps": result.gaps, "weak": result.weak},
            }
        )
    return {
        "title": gettext_lazy("My chains' maps"),
        "count": len(items),
        "items": items,
        "url": reverse("chains:overview"),
    }
