from django.urls import path

from . import views

app_name = "industry"

urlpatterns = [
    path("codes/", views.IndustryCodeListView.as_view(), name="code-list"),
    path("codes/<str:code>/", views.IndustryCodeDetailView.as_view(), name="code-detail"),
    path("chains/", views.ChainListView.as_view(), name="chain-list"),
    path("chains/<int:pk>/", views.ChainDetailView.as_view(), name="chain-detail"),
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
