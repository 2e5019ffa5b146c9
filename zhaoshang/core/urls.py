from django.urls import path

from . import calendar_views, views

app_name = "core"

urlpatterns = [
    path("work/", views.home, name="home"),
    path("history/<int:content_type_id>/<str:object_id>/", views.object_history, name="object-history"),
    path("audit/", views.AuditLogView.as_view(), name="audit-log"),
    path("work/notifications/", views.notifications, name="notifications"),
    path("work/deliveries/", views.deliveries, name="delivery-list"),
    path("work/deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery-retry"),
    path("work/imports/", views.import_jobs, name="import-jobs"),
    path("work/imports/<int:pk>/", views.import_job, name="import-job"),
    path("work/imports/<int:pk>/errors.xlsx", views.import_job_errors, name="import-job-errors"),
    path("calendar/", calendar_views.calendar_overview, name="calendar"),
    path("calendar/load/", calendar_views.calendar_load_year, name="calendar-load"),
    path("calendar/days/add/", calendar_views.calendar_day_add, name="calendar-day-add"),
    path("calendar/days/<str:day>/edit/", calendar_views.calendar_day_edit, name="calendar-day-edit"),
    path("calendar/days/<str:day>/delete/", calendar_views.calendar_day_delete, name="calendar-day-delete"),
    path("calendar/<int:year>/", calendar_views.calendar_year, name="calendar-year"),
    path("calendar/<int:year>/complete/", calendar_views.calendar_year_complete, name="calendar-year-complete"),
]
