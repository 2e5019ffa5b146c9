"""What the public pages are built from: the generations their kept copies are found under (``core.pagecache``).

``SITES``: sites, parks, their industry links and the chains; ``CONTENT``: guides and their steps, policies, the
city's profile, listing photos and documents, location facts, teams (contacts) and industry codes; ``REGIONS``:
districts and their boundaries. Each view names those it reads (``PortalConfig.ready`` and ``GeoConfig.ready``
move them on).
"""

from zhaoshang.geo.services import REGIONS_GENERATION

from .services.listings import CONTENT_GENERATION
from .services.matching import SITES_GENERATION

SITES = (SITES_GENERATION,)
LISTING_PAGE = (SITES_GENERATION, CONTENT_GENERATION, REGIONS_GENERATION)
CONTENT_PAGE = (CONTENT_GENERATION, REGIONS_GENERATION)
