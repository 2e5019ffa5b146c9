"""Demo admission reviews: cases in each state of the workflow for demo projects (the named ones of DOMAIN.md
among them), demo reviewers with their assignments, scores, a declared conflict, decisions, commitments and
yearly results after landing with one breach.

Runs after the projects' and the portal's demos (INSTALLED_APPS order): the seeded standards (review.standards_seed)
are seeded again first, which puts the demo city's districts and parks into their zones; the standard set in force
is the one they give, or a demo set made here when there is none. Every step goes through
review.services.workflow, as on the pages, so the history lines and the audit are those a real case has.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.module_loading import import_string

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.demo import DEMO_CITY, DEMO_PASSWORD
from zhaoshang.projects.models import Project

from .choices import Decision, ReviewKind
from .models import Criterion, StandardSet
from .services import workflow

# (user name, full name, who they are): reviewers of the centre beside accounts' "reviewer" (周评审).
REVIEWERS = [
    ("expert_lin", "林专家（示例）", "admission reviewer (an expert of the centre's panel)"),
    ("expert_he", "何专家（示例）", "admission reviewer (an expert of the centre's panel)"),
]
CHAIR = "centre_lead"  # 李科长 chairs the demo meetings

# Demo criteria for a standard set that has none (name, English name, full marks).
CRITERIA = [
    ("产业契合度", "Fit with the city's chains", "30"),
    ("技术先进性", "Technology", "25"),
    ("投资强度与税收贡献", "Investment intensity and tax", "25"),
    ("环保与能耗", "Environment and energy", "20"),
]

# The named projects (by the start of their name) and the step their review reaches.
NAMED = [
    ("中创新航", "committed"),
    ("隆基硅能源", "decided"),
    ("柏涛智能装备", "scoring"),
    ("英国泰莱", "checked"),
]

# Other demo projects' reviews, by the step they reach.
OTHERS = ["draft", "draft", "checked", "scoring", "rejected", "committed"]

# Loaders the other concerns of the review app add to the demo (dotted paths of ``fn(ctx)``), run in this order
# once the reviews exist.
MORE_LOADERS: list[str] = ["zhaoshang.review.demo_allocation.load", "zhaoshang.review.demo_permu.load"]


def logins():
    return [(username, DEMO_PASSWORD, who) for username, _name, who in REVIEWERS]


def load(ctx):
    from django.apps import apps

    from .standards_seed import seed

    ctx.data["review_standards"] = seed(apps)
    if ctx.city_adcode != DEMO_CITY or "users" not in ctx.data:
        ctx.log.append("review: the demo reviews exist for Jiangmen only")
        return
    Builder(ctx).run()
    for path in MORE_LOADERS:
        import_string(path)(ctx)


class Builder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.today = timezone.localdate()
        self.users = ctx.data["users"]
        self.centre = self.users["centre"]
        self.chair = self.users[CHAIR]

    def run(self):
        experts = self.reviewers()
        self.standards = self.standard_set()
        self.panel = [self.users["reviewer"], *experts]
        reviews = {}
        for start, step in NAMED:
            project = Project.objects.filter(name__startswith=start).order_by("pk").first()
            if project is not None:
                reviews[start] = self.case(project, step, breach=start == "中创新航")
        taken = {r.project_id for r in reviews.values()}
        others = (
            Project.objects.exclude(pk__in=taken)
            .filter(project_type__in=list(workflow.KIND_OF_PROJECT_TYPE), planned_investment__gt=0)
            .order_by("pk")
        )
        for project, step in zip(others, OTHERS, strict=False):
            reviews[project.name] = self.case(project, step)
        self.ctx.data["reviews"] = reviews

    def reviewers(self) -> list[User]:
        centre = self.ctx.data["teams"]["centre"]
        made = []
        for username, full_name, _who in REVIEWERS:
            user = User(username=username, full_name=full_name, email=f"{username}@example.cn")
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.create(user=user, team=centre, role=Role.REVIEWER)
            self.users[username] = user
            made.append(user)
        return made

    def standard_set(self) -> StandardSet:
        found = StandardSet.in_force(self.today)
        if found is None:
            found = StandardSet.objects.create(
                name="江门市工业项目准入标准（示例）",
                name_en="Jiangmen admission rules for industrial projects (demo)",
                effective_from=date(self.today.year - 2, 1, 1),
            )
        if not found.criteria.exists():
            for sort, (name, name_en, points) in enumerate(CRITERIA):
                Criterion.objects.create(
                    standard_set=found, name=name, name_en=name_en, max_points=Decimal(points), sort=sort
                )
        return found

    def figures(self, project) -> dict:
        amount = project.planned_investment or Decimal("50000")
        site = (project.land_need_mu or max(Decimal("50"), (amount / 400).quantize(Decimal("1")))).quantize(
            Decimal("1")
        )
        return {
            "site_area_mu": site,
            "total_investment": amount,
            "fixed_asset_investment": (amount * Decimal("0.8")).quantize(Decimal("1")),
            "annual_output": (amount * Decimal("1.5")).quantize(Decimal("1")),
            "annual_tax": (amount * Decimal("0.06")).quantize(Decimal("1")),
            "jobs": int(site * 3),
        }

    def case(self, project, step: str, breach: bool = False):
        kind = workflow.kind_for(project) or ReviewKind.INDUSTRIAL
        review = workflow.create(project, self.centre, kind, **self.figures(project))
        if step == "draft":
            return review
        submitted_on = max(self.standards.effective_from, self.today - timedelta(days=120))
        review = workflow.submit(review, self.centre, on=submitted_on)
        if step == "checked":
            return review
        review = workflow.assign(review, self.centre, self.panel, self.chair, submitted_on + timedelta(days=14))
        first, second, third = review.assignments.order_by("pk")
        if step == "scoring":  # the demo reviewer still to score, an expert excluded, the other submitted
            workflow.declare_conflict(second, second.reviewer, "曾为该企业提供咨询服务（示例）")
            self.scores(third, submit=True)
            self.scores(first, submit=False)
            return review
        for assignment in (first, second, third):
            self.scores(assignment, submit=True)
        decision = {
            "rejected": Decision.REJECT,
            "decided": Decision.APPROVE_WITH_CONDITIONS,
        }.get(step, Decision.APPROVE)
        review = workflow.decide(
            review,
            self.chair,
            decision,
            "亩均税收不达标（示例）" if decision == Decision.REJECT else "符合准入条件，产业契合度高（示例）",
            conditions="三年内达产，亩均税收不低于承诺值（示例）"
            if decision == Decision.APPROVE_WITH_CONDITIONS
            else "",
            minutes="评审会议纪要（示例）",
        )
        if step != "committed":
            return review
        site = review.site_area_mu
        commitment = workflow.record_commitment(
            review,
            self.centre,
            investment_intensity=(review.fixed_asset_investment / site).quantize(Decimal("0.01")),
            output_per_mu=(review.annual_output / site).quantize(Decimal("0.01")),
            tax_per_mu=(review.annual_tax / site).quantize(Decimal("0.01")),
            construction_by=self.today - timedelta(days=200),
            production_by=self.today + timedelta(days=300),
            full_production_by=self.today + timedelta(days=900),
        )
        # the last year meets the commitment; a breaching project's tax falls short by a fifth
        tax = review.annual_tax * (Decimal("0.8") if breach else Decimal("1.05"))
        workflow.record_result(
            review,
            self.centre,
            self.today.year - 1,
            land_mu=site,
            investment=review.fixed_asset_investment,
            output=review.annual_output,
            tax=tax.quantize(Decimal("1")),
        )
        return commitment.review

    def scores(self, assignment, submit: bool):
        criteria = list(workflow.criteria_of(assignment.review))
        # deterministic, below full marks, different per reviewer
        offset = assignment.pk % 3
        points = {c.pk: (c.max_points * Decimal("0.7") + offset).quantize(Decimal("1")) for c in criteria}
        comments = {c.pk: f"{c.name}：较好（示例）" for c in criteria}
        workflow.score(assignment, assignment.reviewer, points, comments, submit=submit)
