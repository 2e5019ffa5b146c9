from django.urls import path

from . import report_views, views

app_name = "stats"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("records/", views.records, name="records"),
    path("checks/", views.checks, name="checks"),
    path("dashboard/", report_views.dashboard, name="dashboard"),
    path("report/", report_views.report, name="report"),
    path("report/publish/", report_views.report_publish, name="report-publish"),
    path("report/download.<str:kind>", report_views.report_download, name="report-download"),
    path("reports/<int:pk>/", report_views.report_published, name="report-published"),
    path(
        "reports/<int:pk>/download.<str:kind>",
        report_views.report_published_download,
        name="report-published-download",
    ),
    path("fdi/", views.FDIListView.as_view(), name="fdi-list"),
    path("fdi/add/", views.FDICreateView.as_view(), name="fdi-add"),
    path("fdi/template.xlsx", views.FDITemplateView.as_view(), name="fdi-template"),
    path("fdi/import/", views.FDIImportView.as_view(), name="fdi-import"),
    path("fdi/<int:pk>/", views.FDIDetailView.as_view(), name="fdi-detail"),
    path("fdi/<int:pk>/edit/", views.FDIUpdateView.as_view(), name="fdi-edit"),
    path("comparisons/", views.ComparisonListView.as_view(), name="comparison-list"),
    path("comparisons/add/", views.ComparisonCreateView.as_view(), name="comparison-add"),
    path("comparisons/<int:pk>/edit/", views.ComparisonUpdateView.as_view(), name="comparison-edit"),
]
