from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewKind(models.TextChoices):
    """The rules a review applies: industrial, industrial real estate, or one of the two kinds of warehouse."""

    INDUSTRIAL = "industrial", _("Industrial")
    INDUSTRIAL_REAL_ESTATE = "industrial_real_estate", _("Industrial real estate")
    GENERAL_WAREHOUSE = "general_warehouse", _("General warehouse")
    LOGISTICS_WAREHOUSE = "logistics_warehouse", _("Logistics warehouse")


class Indicator(models.TextChoices):
    """What a threshold limits; the unit and the formula of each are in review.services.indicators."""

    TOTAL_INVESTMENT = "total_investment", _("Total investment")
    INVESTMENT_INTENSITY = "investment_intensity", _("Investment intensity")
    TAX_PER_MU = "tax_per_mu", _("Tax per mu per year")
    PLOT_RATIO = "plot_ratio", _("Plot ratio")
    BUILDING_COEFFICIENT = "building_coefficient", _("Building coefficient")
    ADMIN_SHARE = "admin_share", _("Administrative and living land share")
    GREEN_RATIO = "green_ratio", _("Green ratio")
    ENERGY_PER_OUTPUT = "energy_per_output", _("Energy use per 10,000 yuan of output")
    OWN_USE_SHARE = "own_use_share", _("Floor area for own use")
    SALE_SHARE = "sale_share", _("Floor area for sale")
    MIN_UNIT_AREA = "min_unit_area", _("Smallest unit sold")


class Comparison(models.TextChoices):
    AT_LEAST = "gte", _("at least")
    AT_MOST = "lte", _("at most")


class RejectionList(models.TextChoices):
    """The lists on which a project is rejected outright."""

    ELIMINATED = "eliminated", _("Eliminated items (industrial structure catalogue)")
    NEGATIVE_LIST = "negative_list", _("Foreign-investment negative list")
    POLLUTING = "polluting", _("High-pollution or high-risk products")
    BAD_CREDIT = "bad_credit", _("Investors with bad credit or illegal land transfer")


class ReviewState(models.TextChoices):
    """Submitted → automatic check → expert scoring → decision → commitments recorded."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHECKED = "checked", _("Automatically checked")
    SCORING = "scoring", _("Expert scoring")
    DECIDED = "decided", _("Decided")
    COMMITTED = "committed", _("Commitments recorded")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_WITH_CONDITIONS = "conditions", _("Approve with conditions")
    REJECT = "reject", _("Reject")


# Decisions that admit a project to land (the allocation considers these only).
ADMITTING = frozenset({Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS})


# --- per-mu evaluation (亩均效益综合评价) ---------------------------------------------------------------------


class SizeClass(models.TextChoices):
    """The statistics' size line: enterprises above designated size (规上) and below it (规下)."""

    LARGE = "large", _("Above designated size")
    SMALL = "small", _("Below designated size")


class NotGradedReason(models.TextChoices):
    """Why an enterprise-year is listed but not ranked or graded (blank: it is graded)."""

    NEW = "new", _("Newly established")
    START_UP = "start_up", _("Start-up period")
    PUBLIC_UTILITY = "public_utility", _("Public utility")


class PerMuIndicator(models.TextChoices):
    """What an evaluation indicator measures; the formula and unit of each are in review.services.permu."""

    TAX_PER_MU = "tax_per_mu", _("Tax per mu")
    VALUE_ADDED_PER_MU = "value_added_per_mu", _("Value added per mu")
    VALUE_ADDED_PER_ENERGY = "value_added_per_energy", _("Value added per unit of energy")
    VALUE_ADDED_PER_EMISSION = "value_added_per_emission", _("Value added per unit of emissions")
    LABOUR_PRODUCTIVITY = "labour_productivity", _("Labour productivity")
    RD_SHARE = "rd_share", _("R&D share of revenue")
    TAX_PER_POWER = "tax_per_power", _("Tax per unit of power")
    REVENUE_PER_MU = "revenue_per_mu", _("Revenue per mu")


class MissingRule(models.TextChoices):
    """What an enterprise scores on an indicator it has no data for."""

    AVERAGE = "average", _("Score the average of the others")
    ZERO = "zero", _("Score zero")
    REWEIGHT = "reweight", _("Leave out and re-weight the others")


class CapKind(models.TextChoices):
    """A ceiling on an indicator: on the ratio to the benchmark, or on the points."""

    NONE = "", _("No cap")
    RATIO = "ratio", _("Ratio to the benchmark at most")
    POINTS = "points", _("Points at most")


class PerMuClass(models.TextChoices):
    """The classes of the evaluation, best first."""

    A = "A", _("Class A")
    B = "B", _("Class B")
    C = "C", _("Class C")
    D = "D", _("Class D")


# The states of a review whose decision is taken (scores are shown to every reader of the review from then on).
DECIDED_STATES = (ReviewState.DECIDED, ReviewState.COMMITTED)


class ReviewEventKind(models.TextChoices):
    """The steps of a review's workflow, as its history lists them."""

    SUBMITTED = "submitted", _("Submitted")
    CHECKED = "checked", _("Automatically checked")
    RETURNED = "returned", _("Returned to draft")
    ASSIGNED = "assigned", _("Reviewers assigned")
    CONFLICT = "conflict", _("Conflict of interest declared")
    SCORED = "scored", _("Scores submitted")
    DECIDED = "decided", _("Decided")
    COMMITTED = "committed", _("Commitments recorded")
    RESULT = "result", _("Yearly result recorded")
