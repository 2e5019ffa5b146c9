from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The same area as the portal's inquiries (an app offers items; the shell groups them by area).
PIPELINE_AREA = {"area": "pipeline", "area_label": _("Pipeline"), "area_order": 20}


class ProjectsConfig(AppConfig):
    name = "zhaoshang.projects"
    label = "projects"
    verbose_name = _("Project pipeline")

    navigation = [
        {**PIPELINE_AREA, "label": _("My work"), "url": "my-work"},
        {**PIPELINE_AREA, "label": _("Projects"), "url": "projects:project-list"},
        {**PIPELINE_AREA, "label": _("Project board"), "url": "projects:board"},
        {**PIPELINE_AREA, "label": _("Project speed"), "url": "projects:speed"},
        {**PIPELINE_AREA, "label": _("Duplicate claims"), "url": "projects:duplicates"},
        {**PIPELINE_AREA, "label": _("Look up projects"), "url": "projects:lookup"},
    ]
    home_panels = [
        "zhaoshang.projects.services.work_panel",
        "zhaoshang.projects.services.project_panel",
        "zhaoshang.projects.services.stalled_panel",
    ]
    # Panels of the "my work" page offered by this app (others add theirs: core.views.app_panels).
    work_panels = []
    # Sections of a project's page offered by this app (``fn(user, project)``; apps above add theirs).
    project_panels = []
