from django.urls import path
from rest_framework.routers import SimpleRouter

from . import event_views, views

router = SimpleRouter(trailing_slash=True)
router.register("fdi", views.FDIRecordViewSet, basename="stats-fdi")
router.register("events", event_views.EventViewSet, basename="event")

urlpatterns = [
    path("figures/", views.FiguresView.as_view(), name="stats-figures"),
    path("headline/", views.HeadlineView.as_view(), name="stats-headline"),
    *router.urls,
]
