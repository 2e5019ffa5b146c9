from django.urls import path

from .views import standards

app_name = "review"

urlpatterns = [
    path("standards/", standards.standard_list, name="standard-list"),
]
