from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.register("regions", views.RegionViewSet, basename="region")

urlpatterns = router.urls
