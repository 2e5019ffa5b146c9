from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REVIEW_AREA = {"area": "review", "area_label": _("Admission review"), "area_order": 30}


class ReviewConfig(AppConfig):
    name = "zhaoshang.review"
    label = "review"
    verbose_name = _("Admission review and per-mu evaluation")

    navigation = [
        {**REVIEW_AREA, "label": _("Standards"), "url": "review:standard-list"},
        {
            **REVIEW_AREA,
            "label": _("Land allocation"),
            "url": "review:allocation",
            "visible": "zhaoshang.review.services.allocation.allocation_readable",
        },
        {**REVIEW_AREA, "label": _("Per-mu evaluation"), "url": "review:permu-result-list"},
        {**REVIEW_AREA, "label": _("Reviews"), "url": "review:review-list"},
        {**REVIEW_AREA, "label": _("Supervision"), "url": "review:supervision"},
    ]
    home_panels = []
    work_panels = [
        "zhaoshang.review.services.workflow.work_panel",
    ]
    # Sections this app adds to a project's page (projects.views: app_panels(user, "project_panels", project)).
    project_panels = [
        "zhaoshang.review.services.workflow.project_panel",
    ]
    # Grants that reviewers and chairs get on the projects and reviews assigned to them (core.access).
    access_grants = [
        "zhaoshang.review.access.GRANTS",
    ]
