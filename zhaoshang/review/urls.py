from django.urls import path

from .views import allocation, figures, standards

app_name = "review"

urlpatterns = [
    path("standards/", standards.standard_list, name="standard-list"),
    path("allocation/", allocation.allocation_page, name="allocation"),
    path("allocation/save/", allocation.allocation_save, name="allocation-save"),
    path("allocation/<int:pk>/", allocation.allocation_record, name="allocation-record"),
    path("standards/add/", standards.StandardSetCreateView.as_view(), name="standard-add"),
    path("standards/<int:pk>/", standards.standard_detail, name="standard-detail"),
    path("standards/<int:pk>/edit/", standards.StandardSetUpdateView.as_view(), name="standard-edit"),
    path("standards/<int:pk>/new-version/", standards.standard_new_version, name="standard-new-version"),
    path("standards/<int:pk>/thresholds/add/", standards.ThresholdCreateView.as_view(), name="threshold-add"),
    path("standards/thresholds/<int:pk>/edit/", standards.ThresholdUpdateView.as_view(), name="threshold-edit"),
    path("standards/thresholds/<int:pk>/delete/", standards.ThresholdDeleteView.as_view(), name="threshold-delete"),
    path("standards/<int:pk>/criteria/add/", standards.CriterionCreateView.as_view(), name="criterion-add"),
    path("standards/criteria/<int:pk>/edit/", standards.CriterionUpdateView.as_view(), name="criterion-edit"),
    path("standards/criteria/<int:pk>/delete/", standards.CriterionDeleteView.as_view(), name="criterion-delete"),
    path("standards/<int:pk>/rejections/add/", standards.RejectionCreateView.as_view(), name="rejection-add"),
    path("standards/rejections/<int:pk>/edit/", standards.RejectionUpdateView.as_view(), name="rejection-edit"),
    path("standards/rejections/<int:pk>/delete/", standards.RejectionDeleteView.as_view(), name="rejection-delete"),
    path("standards/sources/", standards.source_list, name="source-list"),
    path("standards/sources/add/", standards.SourceCreateView.as_view(), name="source-add"),
    path("standards/sources/<int:pk>/", standards.source_detail, name="source-detail"),
    path("standards/sources/<int:pk>/edit/", standards.SourceUpdateView.as_view(), name="source-edit"),
    path("standards/zones/", standards.zone_list, name="zone-list"),
    path("standards/zones/<int:pk>/edit/", standards.ZoneUpdateView.as_view(), name="zone-edit"),
    path("standards/code-mapping/", standards.mapping_list, name="mapping-list"),
    path("standards/code-mapping/<int:pk>/edit/", standards.CodeMappingUpdateView.as_view(), name="mapping-edit"),
    path("review/<int:pk>/figures/", figures.review_figures, name="review-figures"),
    path("review/<int:pk>/figures/template.xlsx", figures.review_figures_template, name="review-figures-template"),
    path("review/<int:pk>/figures/import/", figures.review_figures_import, name="review-figures-import"),
]
