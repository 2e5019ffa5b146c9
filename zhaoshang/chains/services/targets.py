"""A node's targets: enterprises outside the city ranked by how well they fit, taken up as leads or set aside.

The rules (who reads and acts: docs/access.md):

- **Candidates** of a node are the enterprises classified to it (``industry.NodeClassification``, not excluded by
  staff) whose headquarters lie outside the city (``local=False``), that the user reads, that are not in an
  *active project* and that nobody has taken or set aside for this node yet (``chains.Target``).
- **An active project** is any project of the enterprise, of any team and any chain, whose stage is not *dropped*:
  a lead, a project under way, a paused one (the city still pursues it) or one producing (the enterprise has come).
  When the project is dropped the enterprise is a candidate again.
- **The score** is the fit score stored by ``industry.classify`` (how the node was matched, the revenue band or
  size, the tags — leaders, 500 lists, listed, expanding…: ``FIT_POINTS``) plus live points: *partners nearby*,
  ``PARTNER_POINTS`` when the enterprise's headquarters city is the headquarters city of an enterprise of an
  active project of the same chain (the chain's pipeline already has a partner there). The best
  ``CANDIDATES`` by stored score are read from the index ``(node, local, excluded, -score)``, the live points are
  added in Python and the list is sorted again; an enterprise ranked below them by its stored score could only
  overtake with the live points, which are small.
- **Who ranks and acts**: the ranking and the targets of a chain are read by its task force, the centre, the
  leaders and administrators; they are taken or set aside by the task force's and the centre's writing members and
  administrators (``can_read_targets``, ``can_work_chain``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.models import Team
from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import user_scope
from zhaoshang.industry.choices import ClassificationSource, EnterpriseSize, RevenueBand
from zhaoshang.industry.classify import fit
from zhaoshang.industry.models import Chain, ChainNode, Enterprise, EnterpriseTag, NodeClassification
from zhaoshang.projects.choices import FORWARD, LeadSource, Stage
from zhaoshang.projects.models import Project

from ..choices import TargetState
from ..models import ChainActivity, Target

# Points for an enterprise headquartered in a city where an enterprise of the chain's pipeline is.
PARTNER_POINTS = 8
# How many candidates are read by their stored score before the live points are added.
CANDIDATES = 300

# The stages at or beyond which a lead counts as contacted, and as signed (the current stage: paused and dropped
# leads count among the leads only, as the project list filtered by these stages shows them).
CONTACTED_STAGES = tuple(FORWARD[FORWARD.index(Stage.CONTACT) :])
SIGNED_STAGES = tuple(FORWARD[FORWARD.index(Stage.SIGNED) :])

RULE_LABELS = {
    "words_and_code": lambda: _("Main products and code match"),
    "words": lambda: _("Main products match"),
    "code": lambda: _("Industry code match"),
    "staff": lambda: _("Placed at the node by staff"),
}


def reason_label(part: str, tags: dict[str, EnterpriseTag] | None = None) -> str:
    """A part of the score (``rule:words``, ``revenue_band:1b-10b``, ``tag:industry-leader``, ``partners:深圳``) in
    words, in the active language (``tags``: the tags by key, read once for many labels)."""
    kind, _sep, value = part.partition(":")
    if kind == "rule" and value in RULE_LABELS:
        return RULE_LABELS[value]()
    if kind == "revenue_band" and value in RevenueBand.values:
        return _("Revenue %(band)s") % {"band": RevenueBand(value).label}
    if kind == "size" and value in EnterpriseSize.values:
        return _("Size: %(size)s") % {"size": EnterpriseSize(value).label}
    if kind == "tag":
        tag = tags.get(value) if tags is not None else EnterpriseTag.objects.filter(slug=value).first()
        return tag.display_name if tag else value
    if kind == "partners":
        return _("Partners nearby in %(city)s") % {"city": value}
    return part


@dataclass
class Candidate:
    enterprise: Enterprise
    score: int
    parts: list[tuple[str, int]] = field(default_factory=list)  # [(part, points)] as stored in Target.reasons
    tags: dict[str, EnterpriseTag] = field(default_factory=dict, repr=False)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """[(label, points)] in the active language."""
        return [(reason_label(part, self.tags), points) for part, points in self.parts]


# ---------------------------------------------------------------- who may read and act


def can_read_targets(user, chain: Chain) -> bool:
    """Whether ``user`` reads the ranking of the chain's nodes: the chain's task force, the centre, leaders and
    administrators."""
    scope = user_scope(user)
    return (
        scope.is_admin
        or scope.is_leader
        or scope.in_centre(Action.VIEW)
        or (chain.task_force_id is not None and chain.task_force_id in scope.teams(Action.VIEW))
    )


def can_work_chain(user, chain: Chain) -> bool:
    """Whether ``user`` takes or sets aside the chain's targets and records its work: the writing members of the
    chain's task force and of the centre, and administrators."""
    scope = user_scope(user)
    return (
        scope.is_admin
        or scope.in_centre(Action.CHANGE)
        or (chain.task_force_id is not None and chain.task_force_id in scope.teams(Action.CHANGE))
    )


def team_choices(user, chain: Chain) -> list[Team]:
    """The teams a target of the chain may be given to by ``user``: the chain's task force, and every outpost."""
    if not can_work_chain(user, chain):
        return []
    teams = [chain.task_force] if chain.task_force_id else []
    return teams + list(Team.objects.filter(kind=TeamKind.OUTPOST).order_by("name"))


# ---------------------------------------------------------------- ranking


def active_project_q(prefix: str = "enterprise") -> Exists:
    """Whether the enterprise (at ``prefix``) has an active project: any project not dropped."""
    return Exists(Project.objects.filter(enterprise=OuterRef(prefix)).exclude(stage=Stage.DROPPED))


def partner_cities(chain: Chain) -> set[str]:
    """The headquarters cities of the enterprises of the chain's active projects."""
    return set(
        Project.objects.filter(chain=chain)
        .exclude(stage=Stage.DROPPED)
        .exclude(enterprise__hq_city="")
        .values_list("enterprise__hq_city", flat=True)
        .distinct()
    )


def _candidate_rows(node: ChainNode, user, limit: int, enterprise: Enterprise | None = None):
    rows = (
        NodeClassification.objects.restrict(user)
        # ``IN (false)``, not ``NOT local``: the equality lets the index (node, local, excluded, -score) serve both
        # the filter and the order, read best first and stopped at the limit
        .filter(node=node, local__in=[False], excluded__in=[False])
        .exclude(active_project_q())
        .exclude(Exists(Target.objects.filter(node=node, enterprise=OuterRef("enterprise"))))
    )
    if enterprise is not None:
        rows = rows.filter(enterprise=enterprise)
    return list(
        rows.select_related("enterprise")
        .only(
            "score",
            "source",
            "reason",
            "enterprise__name",
            "enterprise__name_en",
            "enterprise__hq_city",
            "enterprise__hq_country",
            "enterprise__revenue_band",
            "enterprise__size",
            "enterprise__owner_team",
        )
        .order_by("-score", "pk")[:limit]
    )


def _score(rows, chain: Chain) -> list[Candidate]:
    tags: dict[int, list[str]] = {}
    ids = [row.enterprise_id for row in rows]
    for enterprise_id, slug in Enterprise.tags.through.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "enterprisetag__slug"
    ):
        tags.setdefault(enterprise_id, []).append(slug)
    cities = partner_cities(chain) if rows else set()
    slugs = {slug for found in tags.values() for slug in found}
    tag_names = {tag.slug: tag for tag in EnterpriseTag.objects.filter(slug__in=sorted(slugs))} if slugs else {}
    found = []
    for row in rows:
        company = row.enterprise
        rule = "staff" if row.source == ClassificationSource.STAFF else (row.reason or {}).get("rule", "words")
        if rule not in RULE_LABELS:
            rule = "words"
        _total, parts = fit(rule, company.revenue_band, company.size, tags.get(company.pk, ()))
        parts = [(part, points) for part, points in parts if points]
        score = row.score
        if company.hq_city and company.hq_city in cities:
            parts.append((f"partners:{company.hq_city}", PARTNER_POINTS))
            score += PARTNER_POINTS
        found.append(Candidate(enterprise=company, score=score, parts=parts, tags=tag_names))
    found.sort(key=lambda c: (-c.score, c.enterprise.name, c.enterprise.pk))
    return found


def rank_targets(node: ChainNode, user, limit: int = 50) -> list[Candidate]:
    """The node's best ``limit`` candidates for ``user``, best first, each with its score and reasons (empty for a
    user who does not read the chain's targets)."""
    if not can_read_targets(user, node.chain):
        return []
    rows = _candidate_rows(node, user, max(CANDIDATES, limit * 2))
    return _score(rows, node.chain)[:limit]


# ---------------------------------------------------------------- acting on a target


def _check_candidate(node: ChainNode, enterprise: Enterprise, user) -> Candidate:
    if not can_work_chain(user, node.chain):
        raise PermissionDenied(_("You may not work the targets of this chain."))
    rows = _candidate_rows(node, user, 1, enterprise=enterprise)
    if not rows:
        if Target.objects.filter(node=node, enterprise=enterprise).exists():
            raise ValidationError(_("This enterprise has already been taken or set aside for this node."))
        raise ValidationError(
            _("%(enterprise)s is not a target of this node (in the city, excluded, or already in a project).")
            % {"enterprise": enterprise}
        )
    return _score(rows, node.chain)[0]


def _given_team(node: ChainNode, user, team: Team | None) -> Team:
    chain = node.chain
    if team is None or team.pk == chain.task_force_id:
        if chain.task_force_id is None:
            raise ValidationError({"team": _("This chain has no task force: give the lead to an outpost.")})
        return chain.task_force
    if team.kind != TeamKind.OUTPOST:
        raise ValidationError({"team": _("Give the lead to the chain's task force or to an outpost.")})
    return team


def take_target(
    node: ChainNode, enterprise: Enterprise, user, team: Team | None = None, note: str = "", today: date | None = None
) -> Target:
    """Take a candidate up as a lead, in one transaction: the lead (``projects.services``) owned by the chain's task
    force, or by the outpost ``team`` with the task force supporting, and the Target row recording who took it."""
    from zhaoshang.projects import services as projects

    today = today or timezone.localdate()
    with transaction.atomic():
        candidate = _check_candidate(node, enterprise, user)
        owner = _given_team(node, user, team)
        chain = node.chain
        fields = {
            "name": f"{enterprise.display_name} · {node.display_name}"[:200],
            "enterprise": enterprise,
            "chain": chain,
            "industry_code": enterprise.industry,
            "source": LeadSource.OUTPOST if owner.kind == TeamKind.OUTPOST else LeadSource.OTHER,
            "description": note,
            "lead_on": today,
        }
        if owner.pk != chain.task_force_id and chain.task_force_id:
            fields["supporting_teams"] = [chain.task_force]
        scope = user_scope(user)
        if scope.is_admin or scope.in_centre(Action.ADD) or owner.pk in scope.teams(Action.ADD):
            project = projects.create_project(user, owner_team=owner, **fields)
        else:
            # A task force gives its chain's lead to an outpost it is no member of: the rights were checked above
            # (the user works the chain, the team is an outpost), as the centre checks them when it files.
            project = projects.hand_over_lead(user, owner_team=owner, **fields)
        try:
            with transaction.atomic():
                target = Target.objects.create(
                    node=node,
                    chain=chain,
                    enterprise=enterprise,
                    state=TargetState.TAKEN,
                    team=owner,
                    project=project,
                    score=candidate.score,
                    reasons=[list(part) for part in candidate.parts],
                    acted_by=user,
                    acted_on=today,
                    note=note,
                )
        except IntegrityError:
            raise ValidationError(_("This enterprise has already been taken or set aside for this node.")) from None
    return target


def dismiss_target(node: ChainNode, enterprise: Enterprise, user, note: str, today: date | None = None) -> Target:
    """Set a candidate aside for the node, with the reason (required)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Give the reason for setting this enterprise aside.")})
    with transaction.atomic():
        candidate = _check_candidate(node, enterprise, user)
        chain = node.chain
        team = chain.task_force
        if team is None:
            scope = user_scope(user)
            team = Team.objects.filter(pk__in=sorted(scope.teams(Action.CHANGE)), kind=TeamKind.CENTRE).first()
        if team is None:
            raise ValidationError({"team": _("This chain has no task force.")})
        try:
            with transaction.atomic():
                return Target.objects.create(
                    node=node,
                    chain=chain,
                    enterprise=enterprise,
                    state=TargetState.DISMISSED,
                    team=team,
                    score=candidate.score,
                    reasons=[list(part) for part in candidate.parts],
                    acted_by=user,
                    acted_on=timezone.localdate() if today is None else today,
                    note=note,
                )
        except IntegrityError:
            raise ValidationError(_("This enterprise has already been taken or set aside for this node.")) from None


# ---------------------------------------------------------------- progress


@dataclass
class Progress:
    chain: Chain
    year: int
    taken: int = 0
    contacted: int = 0
    leads: int = 0
    signed: int = 0
    signed_investment: Decimal = Decimal("0")

    def _projects_url(self, stages=()) -> str:
        query = [
            ("target_chain", self.chain.pk),
            ("date_from", f"{self.year}-01-01"),
            ("date_to", f"{self.year}-12-31"),
        ] + [("stage", stage) for stage in stages]
        return reverse("projects:project-list") + "?" + urlencode(query)

    @property
    def leads_url(self) -> str:
        return self._projects_url()

    @property
    def contacted_url(self) -> str:
        return self._projects_url(CONTACTED_STAGES)

    @property
    def signed_url(self) -> str:
        return self._projects_url(SIGNED_STAGES)

    @property
    def taken_url(self) -> str:
        return reverse("chains:chain-work", args=[self.chain.pk]) + f"?year={self.year}#targets"


def record_activity(chain: Chain, user, activity: ChainActivity) -> ChainActivity:
    """Save an entry of the chain's work record by ``user`` (who works the chain): for the chain's task force, or
    for the centre team he writes for, linked to the latest target of the enterprise it names."""
    scope = user_scope(user)
    if chain.task_force_id and (chain.task_force_id in scope.teams(Action.CHANGE) or scope.is_admin):
        team = chain.task_force
    else:
        centre = Team.objects.filter(pk__in=sorted(scope.teams(Action.CHANGE)), kind=TeamKind.CENTRE).first()
        team = centre or chain.task_force
    activity.chain, activity.author, activity.team = chain, user, team
    if activity.enterprise_id:
        activity.target = Target.objects.filter(chain=chain, enterprise=activity.enterprise_id).order_by("-pk").first()
    activity.save()
    return activity


def progress(chain: Chain, user, year: int) -> Progress:
    """The chain's targets the user reads taken in ``year``: how many, how many have a lead, how many of the leads
    are at *contacted* or beyond, at *signed* or beyond, and the planned investment of the signed ones (万元)."""
    result = Progress(chain=chain, year=year)
    taken = Target.objects.restrict(user).filter(chain=chain, state=TargetState.TAKEN, acted_on__year=year)
    result.taken = taken.count()
    leads = Project.objects.filter(pk__in=taken.filter(project__isnull=False).values("project_id"))
    figures = leads.aggregate(
        leads=Count("pk"),
        contacted=Count("pk", filter=Q(stage__in=CONTACTED_STAGES)),
        signed=Count("pk", filter=Q(stage__in=SIGNED_STAGES)),
        investment=Sum("planned_investment", filter=Q(stage__in=SIGNED_STAGES)),
    )
    result.leads, result.contacted, result.signed = figures["leads"], figures["contacted"], figures["signed"]
    result.signed_investment = figures["investment"] or Decimal("0")
    return result


def task_force_chains(user):
    """The active chains served by the user's task forces."""
    scope = user_scope(user)
    teams = sorted(scope.teams(Action.VIEW))
    if not teams:
        return Chain.objects.none()
    return Chain.objects.filter(active=True, task_force__in=teams).order_by("sort", "name")


def work_panel(user) -> dict | None:
    """ "My work": per chain of the user's task forces, this year's targets taken, contacted and signed."""
    if not user.is_authenticated:
        return None
    chains = list(task_force_chains(user))
    if not chains:
        return None
    year = timezone.localdate().year
    items = []
    for chain in chains:
        figures = progress(chain, user, year)
        items.append(
            {
                "label": str(chain),
                "url": reverse("chains:chain-work", args=[chain.pk]),
                "note": _("%(taken)s taken · %(contacted)s contacted · %(signed)s signed")
                % {"taken": figures.taken, "contacted": figures.contacted, "signed": figures.signed},
            }
        )
    return {"title": _("My chains' targets"), "count": len(items), "items": items, "url": ""}
