from rest_framework.routers import SimpleRouter

from . import event_views

router = SimpleRouter(trailing_slash=True)
router.register("events", event_views.EventViewSet, basename="event")

urlpatterns = router.urls
