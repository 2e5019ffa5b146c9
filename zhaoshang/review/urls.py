from django.urls import path

from .views import allocation, standards

app_name = "review"

urlpatterns = [
    path("standards/", standards.standard_list, name="standard-list"),
    path("allocation/", allocation.allocation_page, name="allocation"),
    path("allocation/save/", allocation.allocation_save, name="allocation-save"),
    path("allocation/<int:pk>/", allocation.allocation_record, name="allocation-record"),
]
