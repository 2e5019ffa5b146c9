from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")


class ProjectType(models.TextChoices):
    """Kinds of investment project: each has its own landing guide and, later, review rules."""

    INDUSTRIAL = "industrial", _("Industrial")
    INDUSTRIAL_REAL_ESTATE = "industrial_real_estate", _("Industrial real estate")
    LOGISTICS = "logistics", _("Logistics")
    SERVICES = "services", _("Modern services")
    OTHER = "other", _("Other")


class EnterpriseSize(models.TextChoices):
    """Size classes of 统计上大中小微型企业划分办法 (2017), by staff, revenue or assets of the industry."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class SegmentPosition(models.TextChoices):
    """Where a segment sits in its chain (上游 raw materials and parts, 中游 making, 下游 applications and after)."""

    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


class RevenueBand(models.TextChoices):
    """Annual operating revenue (营业收入) in bands, as enterprise lists give it."""

    UNDER_20M = "lt20m", _("Under 20 million yuan")
    TO_100M = "20m-100m", _("20–100 million yuan")
    TO_1B = "100m-1b", _("100 million – 1 billion yuan")
    TO_10B = "1b-10b", _("1–10 billion yuan")
    OVER_10B = "gt10b", _("10 billion yuan or more")


# A representative revenue of each band (万元), for figures that add up output: the geometric middle of the band,
# the lower bound of the open top band.
REVENUE_BAND_WAN = {
    RevenueBand.UNDER_20M: 1_000,
    RevenueBand.TO_100M: 4_500,
    RevenueBand.TO_1B: 30_000,
    RevenueBand.TO_10B: 300_000,
    RevenueBand.OVER_10B: 1_000_000,
}


class ClassificationSource(models.TextChoices):
    """How an enterprise came to a chain node: the rules (industry code, product keywords) or a member of staff."""

    RULES = "rules", _("Rules")
    STAFF = "staff", _("Staff")
