from django.urls import path

from . import event_views

app_name = "stats"

urlpatterns = [
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
