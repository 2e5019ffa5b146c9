from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

MAP_AREA = {"area": "map", "area_label": _("Investment map"), "area_order": 10}
PIPELINE_AREA = {"area": "pipeline", "area_label": _("Pipeline"), "area_order": 20}


class PortalConfig(AppConfig):
    name = "zhaoshang.portal"
    label = "portal"
    verbose_name = _("Investment map and portal")

    navigation = [
        {**MAP_AREA, "label": _("Sites"), "url": "portal:staff-carrier-list"},
        {**MAP_AREA, "label": _("Parks"), "url": "portal:staff-park-list"},
        {**MAP_AREA, "label": _("Location facts"), "url": "portal:staff-fact-list"},
        {**MAP_AREA, "label": _("City page"), "url": "portal:home"},
        {**MAP_AREA, "label": _("Public map"), "url": "portal:map"},
        {**MAP_AREA, "label": _("Landing guides"), "url": "portal:staff-guide-list"},
        {**MAP_AREA, "label": _("Policies"), "url": "portal:staff-policy-list"},
        {**PIPELINE_AREA, "label": _("Inquiries"), "url": "portal:inquiry-inbox"},
    ]
    home_panels = [
        "zhaoshang.portal.services.inquiries.inquiry_panel",
        "zhaoshang.portal.services.listings.stale_sites_panel",
    ]
    # The "my work" page of the pipeline (projects cannot import the portal: it discovers this list).
    work_panels = ["zhaoshang.portal.services.inquiries.inquiry_work_panel"]
    # The inquiries the statistics count (core.stats_sources; stats cannot import the portal).
    stats_sources = ["zhaoshang.portal.stats_sources.INQUIRIES"]

    def ready(self):
        from zhaoshang.accounts.models import Team
        from zhaoshang.core import generations
        from zhaoshang.geo.models import (
            Carrier,
            CarrierIndustry,
            ListingDocument,
            ListingPhoto,
            LocationFact,
            Park,
            ParkIndustry,
        )
        from zhaoshang.industry.models import Chain, IndustryCode

        from .models import CityProfile, Guide, GuideStep, Policy, PolicyIndustry
        from .services.listings import CONTENT_GENERATION
        from .services.matching import SITES_GENERATION, keep_public_columns

        generations.watch(SITES_GENERATION, Carrier, CarrierIndustry, Park, ParkIndustry, Chain)
        # The public's columns of every site are read again once a change of the sites commits, not by the next
        # investor (matching.keep_public_columns).
        generations.committed.connect(keep_public_columns, dispatch_uid="portal:keep-public-columns")
        # What the public pages show beside the listings themselves (their kept copies are keyed by it too).
        generations.watch(
            CONTENT_GENERATION,
            Guide,
            GuideStep,
            Policy,
            PolicyIndustry,
            CityProfile,
            ListingPhoto,
            ListingDocument,
            LocationFact,
            Team,
            IndustryCode,
        )
