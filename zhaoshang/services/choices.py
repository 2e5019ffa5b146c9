from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApprovalStage(models.TextChoices):
    """The four stages of construction-project approval (国办发〔2018〕33号)."""

    LAND_PLANNING = "1_land", _("Project approval, land use and planning permit")  # 立项用地规划许可
    ENGINEERING = "2_works", _("Engineering permit")  # 工程建设许可
    CONSTRUCTION = "3_build", _("Construction permit")  # 施工许可
    COMPLETION = "4_done", _("Completion acceptance")  # 竣工验收


# The stages whose items must be granted before construction may start.
BEFORE_CONSTRUCTION = (ApprovalStage.LAND_PLANNING, ApprovalStage.ENGINEERING, ApprovalStage.CONSTRUCTION)


class ProjectKind(models.TextChoices):
    """The kinds of project whose approval caps differ (江府〔2019〕23号)."""

    GOVERNMENT = "government", _("Government-invested")
    SOCIAL = "social", _("Social investment")
    PARK_WITH_SCHEME = "park_scheme", _("Industrial park land sold with its design scheme")  # 带方案出让
    FIT_OUT = "fit_out", _("Interior fit-out")


class AssessmentKind(models.TextChoices):
    """Park-level assessments (区域评估) whose results the park's projects reuse."""

    ENVIRONMENT = "environment", _("Environmental impact")
    ENERGY = "energy", _("Energy saving")
    SOIL_WATER = "soil_water", _("Soil and water conservation")
    GEOLOGICAL = "geological", _("Geological hazards")
    MINERALS = "minerals", _("Overlying mineral resources")
    SEISMIC = "seismic", _("Seismic safety")
    HERITAGE = "heritage", _("Cultural heritage")
    WATER = "water", _("Water resources")
    FLOOD = "flood", _("Flood impact")


class ItemState(models.TextChoices):
    """An approval item of a project's plan (申请 → 受理 → 补正 → 审查 → 办结)."""

    PLANNED = "planned", _("Not applied")
    APPLIED = "applied", _("Applied")  # 申请
    ACCEPTED = "accepted", _("Accepted")  # 受理
    CORRECTION = "correction", _("Documents requested")  # 补正
    REVIEW = "review", _("Under review")  # 审查
    GRANTED = "granted", _("Granted")  # 办结 准予
    REFUSED = "refused", _("Refused")  # 办结 不予
    EXEMPT = "exempt", _("Exempt (park assessment)")  # covered by the park's 区域评估


ITEM_DONE = (ItemState.GRANTED, ItemState.REFUSED, ItemState.EXEMPT)


class Channel(models.TextChoices):
    """How a request reached the platform."""

    WEB = "web", _("Online form")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    HOTLINE = "12345", _("12345 hotline transfer")
    OTHER = "other", _("Other")


class RequestState(models.TextChoices):
    """An enterprise request (诉求): 待签收 → 处理中 → 阶段答复 → 办结 → 回访."""

    SUBMITTED = "submitted", _("Waiting to be signed for")  # 待签收
    IN_PROGRESS = "in_progress", _("In progress")  # 处理中
    INTERIM = "interim", _("Interim reply given")  # 阶段答复
    CLOSED = "closed", pgettext_lazy("request state", "Closed")  # 办结
    VISITED = "visited", _("Return visit done")  # 回访


REQUEST_OPEN = (RequestState.SUBMITTED, RequestState.IN_PROGRESS, RequestState.INTERIM)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class RequestLevel(models.IntegerChoices):
    """How high a request is handled; an unsatisfied rating raises it one level (提级)."""

    DEPARTMENT = 1, _("Department")
    DISTRICT = 2, _("District or county leadership")
    CITY = 3, _("City leadership")


class RequestEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    SIGNED = "signed", _("signed for")
    CONTACTED = "contacted", _("enterprise contacted")
    PLANNED = "planned", _("plan given")
    INTERIM = "interim", _("interim reply")
    TRANSFERRED = "transferred", _("transferred")
    SENT_BACK = "sent_back", _("send-back asked")
    ARBITRATED = "arbitrated", _("send-back decided")
    CLOSED = "closed", _("closed")
    RATED = "rated", _("rated")
    VISITED = "visited", _("return visit")
    REDO = "redo", _("reopened a level up")
    SUPERVISED = "supervised", _("supervisor's note")


class SendBackDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for the centre")
    ACCEPTED = "accepted", _("Accepted: routed elsewhere")
    REFUSED = "refused", _("Refused: stays with the department")


class RankBasis(models.TextChoices):
    OUTPUT = "output", _("Industrial output")
    TAX = "tax", _("Tax paid")


class VisitState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
