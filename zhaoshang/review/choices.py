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
