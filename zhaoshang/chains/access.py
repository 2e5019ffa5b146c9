"""What a task force reaches through its chains (grants registered in ``ChainsConfig.access_grants``).

- A task force reads the leads turned from its chains' targets, whichever team was given them (an outpost), so that
  its progress figures open the projects they count.

The task forces' and the centre's own rules on targets and activities are the models' ``scope_q``.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import Grant
from zhaoshang.core.choices import Action


def project_of_chain_target(scope, prefix):
    """The projects that are leads of targets of the chains the user's task forces serve."""
    teams = scope.teams(Action.VIEW)
    if not teams:
        return None
    from .models import Target

    leads = Target.objects.filter(chain__task_force__in=sorted(teams), project__isnull=False).values("project_id")
    return Q(**{f"{prefix}pk__in": leads})


GRANTS = [
    Grant(
        "projects.Project",
        (Action.VIEW,),
        project_of_chain_target,
        _("A task force reads the leads taken from its chains' targets"),
    ),
]
