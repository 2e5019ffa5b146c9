from django.urls import path

from .views import key_firms

app_name = "services"

urlpatterns = []

# ---------------------------------------------------------------- key enterprises (200强)
urlpatterns += [
    path("key/", key_firms.key_list, name="key-list"),
    path("key/template.xlsx", key_firms.KeyTemplateView.as_view(), name="key-template"),
    path("key/import/", key_firms.KeyImportView.as_view(), name="key-import"),
    path("key/<int:pk>/", key_firms.key_detail, name="key-detail"),
    path("key/<int:pk>/visits/add/", key_firms.visit_add, name="key-visit-add"),
    path("key/visits/<int:pk>/edit/", key_firms.visit_edit, name="key-visit-edit"),
]
