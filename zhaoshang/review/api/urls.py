from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = [*router.urls]
