from django.urls import path

from .views import maps, statistics, targets

app_name = "chains"

urlpatterns = [
    path("", maps.overview, name="overview"),
    path("<int:pk>/", maps.chain_map, name="chain-map"),
    path("<int:pk>/work/", targets.chain_work, name="chain-work"),
    path("<int:chain_id>/work/activities/add/", targets.activity_add, name="activity-add"),
    path("nodes/<int:pk>/", targets.node_detail, name="node-detail"),
    path("nodes/<int:node_id>/targets/take/", targets.target_take, name="target-take"),
    path("nodes/<int:node_id>/targets/set-aside/", targets.target_dismiss, name="target-dismiss"),
    path("value-added/", statistics.value_added_list, name="value-added-list"),
    path("value-added/template.xlsx", statistics.ValueAddedTemplateView.as_view(), name="value-added-template"),
    path("value-added/import/", statistics.ValueAddedImportView.as_view(), name="value-added-import"),
]
