from django.urls import path  # noqa: F401

app_name = "services"

urlpatterns = []

# -- parallel approvals (并联审批) ----------------------------------------------------------------------------------
from .views import approvals as approval_views  # noqa: E402

urlpatterns += [
    path("approvals/items/", approval_views.item_list, name="item-list"),
    path("approvals/items/add/", approval_views.ItemCreateView.as_view(), name="item-add"),
    path("approvals/items/<int:pk>/", approval_views.item_detail, name="item-detail"),
    path("approvals/items/<int:pk>/edit/", approval_views.ItemUpdateView.as_view(), name="item-edit"),
    path("approvals/templates/", approval_views.template_list, name="template-list"),
    path("approvals/templates/add/", approval_views.TemplateCreateView.as_view(), name="template-add"),
    path("approvals/templates/<int:pk>/", approval_views.template_detail, name="template-detail"),
    path("approvals/templates/<int:pk>/edit/", approval_views.TemplateUpdateView.as_view(), name="template-edit"),
    path("approvals/templates/<int:pk>/items/", approval_views.template_items, name="template-items"),
    path("approvals/assessments/", approval_views.assessment_list, name="assessment-list"),
    path("approvals/assessments/add/", approval_views.AssessmentCreateView.as_view(), name="assessment-add"),
    path("approvals/assessments/<int:pk>/edit/", approval_views.AssessmentUpdateView.as_view(), name="assessment-edit"),
    path("approvals/plans/", approval_views.plan_list, name="plan-list"),
    path("approvals/plans/build/<int:pk>/", approval_views.plan_build, name="plan-build"),
    path("approvals/plans/<int:pk>/", approval_views.plan_detail, name="plan-detail"),
    path("approvals/plans/<int:pk>/edit/", approval_views.PlanUpdateView.as_view(), name="plan-edit"),
    path("approvals/plans/<int:pk>/items/add/", approval_views.plan_item_add, name="plan-item-add"),
    path("approvals/plan-items/<int:pk>/", approval_views.plan_item, name="plan-item"),
    path("approvals/plan-items/<int:pk>/act/", approval_views.plan_item_act, name="plan-item-act"),
    path("approvals/plan-items/<int:pk>/department/", approval_views.plan_item_edit, name="plan-item-department"),
    path("approvals/plan-items/<int:pk>/remove/", approval_views.plan_item_remove, name="plan-item-remove"),
    path("approvals/queue/", approval_views.item_queue, name="item-queue"),
    path("approvals/speed/", approval_views.approval_speed, name="approval-speed"),
]
