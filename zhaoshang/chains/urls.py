from django.urls import path

from .views import maps, statistics, targets

app_name = "chains"

urlpatterns = [
    path("", maps.overview, name="overview"),
    path("<int:pk>/", maps.chain_map, name="chain-map"),
    path("<int:pk>/work/", targets.chain_work, name="chain-work"),
    path("nodes/<int:pk>/", targets.node_detail, name="node-detail"),
    path("value-added/", statistics.value_added_list, name="value-added-list"),
    path("value-added/template.xlsx", statistics.ValueAddedTemplateView.as_view(), name="value-added-template"),
    path("value-added/import/", statistics.ValueAddedImportView.as_view(), name="value-added-import"),
]
