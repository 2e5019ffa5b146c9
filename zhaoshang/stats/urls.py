from django.urls import path

from . import event_views, report_views, views

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
    path("events/", event_views.EventListView.as_view(), name="event-list"),
    path("events/add/", event_views.event_edit, name="event-add"),
    path("events/<int:pk>/", event_views.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", event_views.event_edit, name="event-edit"),
    path("events/<int:pk>/delete/", event_views.EventDeleteView.as_view(), name="event-delete"),
    path("events/<int:pk>/projects/add/", event_views.event_add_project, name="event-add-project"),
    path(
        "events/<int:pk>/projects/<int:link_pk>/remove/",
        event_views.event_remove_project,
        name="event-remove-project",
    ),
    path("events/<int:pk>/record-stages/", event_views.event_record_stages, name="event-record-stages"),
    path("events/<int:pk>/print/", event_views.event_print, name="event-print"),
    path("events/<int:pk>/export.xlsx", event_views.event_export, name="event-export"),
]
