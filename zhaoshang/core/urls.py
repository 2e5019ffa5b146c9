from django.urls import path

from . import views

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
]
