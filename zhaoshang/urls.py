from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from zhaoshang.core import views as core_views
from zhaoshang.projects import views as project_views

api_patterns = [
    path("", include("zhaoshang.accounts.api.urls")),
    path("", include("zhaoshang.geo.api.urls")),
    path("", include("zhaoshang.industry.api.urls")),
    path("projects/", include("zhaoshang.projects.api.urls")),
    path("review/", include("zhaoshang.review.api.urls")),
    path("portal/", include("zhaoshang.portal.api.urls")),
    path("stats/", include("zhaoshang.stats.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start-up script served as a file of its own (?script), as the CSP allows no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="core/api_docs.html"),
        name="docs",
    ),
]

urlpatterns = [
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("zhaoshang.accounts.urls")),
    path("geo/", include("zhaoshang.geo.urls")),
    path("industry/", include("zhaoshang.industry.urls")),
    path("work/projects/", include("zhaoshang.projects.urls")),
    path("work/review/", include("zhaoshang.review.urls")),
    path("work/chains/", include("zhaoshang.chains.urls")),
    path("work/stats/", include("zhaoshang.stats.urls")),
    path("work/services/", include("zhaoshang.services.urls")),
    path("work/my/", project_views.my_work, name="my-work"),
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
    path("", include("zhaoshang.core.urls")),
    path("", include("zhaoshang.portal.urls")),  # the public site: map, sites, guides, matching, inquiries
]

# Addresses under /api/ that no route matches answer JSON like the API; other addresses keep the HTML pages.
handler400 = "zhaoshang.core.api.errors.bad_request"
handler404 = "zhaoshang.core.api.errors.not_found"

if settings.DEBUG:  # uploaded files in development; a web server serves them in production
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
