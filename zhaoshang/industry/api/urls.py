from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.register("industry-codes", views.IndustryCodeViewSet, basename="industry-code")
router.register("chains", views.ChainViewSet, basename="chain")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
