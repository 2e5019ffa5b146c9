from django.urls import path

from . import views

app_name = "industry"

urlpatterns = [
    path("codes/", views.IndustryCodeListView.as_view(), name="code-list"),
    path("codes/<str:code>/", views.IndustryCodeDetailView.as_view(), name="code-detail"),
    path("chains/", views.ChainListView.as_view(), name="chain-list"),
    path("chains/<int:pk>/", views.ChainDetailView.as_view(), name="chain-detail"),
    path("chains/add/", views.ChainCreateView.as_view(), name="chain-add"),
    path("chains/<int:pk>/edit/", views.ChainUpdateView.as_view(), name="chain-edit"),
    path("chains/export.xlsx", views.ChainExportView.as_view(), name="chain-export"),
    path("chains/template.xlsx", views.ChainTemplateView.as_view(), name="chain-template"),
    path("chains/import/", views.ChainImportView.as_view(), name="chain-import"),
    path("chains/<int:pk>/segments/add/", views.ChainSegmentCreateView.as_view(), name="segment-add"),
    path("segments/<int:pk>/edit/", views.ChainSegmentUpdateView.as_view(), name="segment-edit"),
    path("segments/<int:pk>/delete/", views.ChainSegmentDeleteView.as_view(), name="segment-delete"),
    path("chains/<int:pk>/nodes/add/", views.ChainNodeCreateView.as_view(), name="node-add"),
    path("nodes/<int:pk>/edit/", views.ChainNodeUpdateView.as_view(), name="node-edit"),
    path("nodes/<int:pk>/delete/", views.ChainNodeDeleteView.as_view(), name="node-delete"),
    path("enterprises/<int:pk>/nodes/", views.enterprise_node_correct, name="enterprise-node-correct"),
    path("classifications/<int:pk>/undo/", views.classification_undo, name="classification-undo"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("enterprises/export.xlsx", views.EnterpriseExportView.as_view(), name="enterprise-export"),
    path("enterprises/template.xlsx", views.EnterpriseTemplateView.as_view(), name="enterprise-template"),
    path("enterprises/import/", views.EnterpriseImportView.as_view(), name="enterprise-import"),
    path("enterprises/duplicates/", views.enterprise_duplicates, name="enterprise-duplicates"),
    path("enterprises/add/", views.EnterpriseCreateView.as_view(), name="enterprise-add"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise-edit"),
    path("enterprises/<int:pk>/merge/", views.enterprise_merge, name="enterprise-merge"),
    path("enterprises/<int:pk>/delete/", views.EnterpriseDeleteView.as_view(), name="enterprise-delete"),
]
