"""What the portal offers the staff shell (wired into PortalConfig.navigation / home_panels)."""

from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    {
        "area": "pipeline",
        "area_label": _("Pipeline"),
        "area_order": 20,
        "label": _("Inquiries"),
        "url": "portal:inquiry-inbox",
    },
]


def inquiry_panel(user) -> dict:
    """Home-page figure: inquiries waiting for a first response that this user can see, and how many are late."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import ngettext

    from zhaoshang.core.choices import Action

    from .models import Inquiry
    from .services.inquiries import open_q, overdue_q

    visible = Inquiry.objects.restrict(user, Action.VIEW)
    overdue = visible.filter(overdue_q(timezone.now())).count()
    return {
        "title": _("Open inquiries"),
        "value": visible.filter(open_q()).count(),
        "note": ngettext("%(count)d overdue", "%(count)d overdue", overdue) % {"count": overdue},
        "url": reverse("portal:inquiry-inbox"),
    }
