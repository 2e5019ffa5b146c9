from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.register("teams", views.TeamViewSet, basename="team")

urlpatterns = [path("me/", views.me, name="me"), *router.urls]
