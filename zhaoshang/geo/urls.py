from django.urls import path

from . import views

app_name = "geo"

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<str:adcode>/", views.RegionDetailView.as_view(), name="region-detail"),
]
