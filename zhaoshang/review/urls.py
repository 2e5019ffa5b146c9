from django.urls import path

from .views import permu, standards

app_name = "review"

urlpatterns = [
    path("standards/", standards.standard_list, name="standard-list"),
    path("permu/methods/", permu.method_list, name="permu-method-list"),
    path("permu/methods/<int:pk>/", permu.method_detail, name="permu-method-detail"),
    path("permu/methods/<int:pk>/edit/", permu.MethodUpdateView.as_view(), name="permu-method-edit"),
    path("permu/methods/<int:pk>/copy/", permu.method_copy, name="permu-method-copy"),
    path("permu/indicators/<int:pk>/edit/", permu.IndicatorUpdateView.as_view(), name="permu-indicator-edit"),
    path("permu/figures/", permu.data_list, name="permu-data-list"),
    path("permu/figures/template/", permu.DataTemplateView.as_view(), name="permu-data-template"),
    path("permu/figures/import/", permu.DataImportView.as_view(), name="permu-data-import"),
    path("permu/runs/", permu.run_list, name="permu-run-list"),
    path("permu/runs/start/", permu.run_start, name="permu-run-start"),
    path("permu/runs/<int:pk>/", permu.run_detail, name="permu-run-detail"),
    path("permu/results/", permu.result_list, name="permu-result-list"),
    path("permu/results/export/", permu.result_export, name="permu-result-export"),
    path("permu/results/<int:pk>/", permu.result_detail, name="permu-result-detail"),
]
