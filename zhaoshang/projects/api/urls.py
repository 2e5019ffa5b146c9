from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("activities", views.ActivityViewSet, basename="project-activity")
router.register("", views.ProjectViewSet, basename="project")

urlpatterns = router.urls
