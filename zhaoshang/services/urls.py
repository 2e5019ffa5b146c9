from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import approvals as approval_views
from .views import key_firms, requests

app_name = "services"

urlpatterns = [
    # ---- enterprise requests (诉求)
    path("requests/", requests.request_list, name="request-list"),
    path("requests/export/", requests.request_export, name="request-export"),
    path("requests/queue/", requests.request_queue, name="request-queue"),
    path("requests/figures/", requests.request_figures_page, name="request-figures"),
    path("requests/submit/", requests.request_submit, name="request-submit"),
    path("requests/add/", requests.request_add, name="request-add"),
    path("requests/mine/", requests.my_requests, name="my-requests"),
    path("requests/<int:pk>/", requests.request_detail, name="request-detail"),
    path("requests/<int:pk>/sign/", requests.request_sign, name="request-sign"),
    path("requests/<int:pk>/contact/", requests.request_contact, name="request-contact"),
    path("requests/<int:pk>/plan/", requests.request_plan, name="request-plan"),
    path("requests/<int:pk>/interim/", requests.request_interim, name="request-interim"),
    path("requests/<int:pk>/transfer/", requests.request_transfer, name="request-transfer"),
    path("requests/<int:pk>/send-back/", requests.request_send_back, name="request-send-back"),
    path("requests/<int:pk>/close/", requests.request_close, name="request-close"),
    path("requests/<int:pk>/rate/", requests.request_rate, name="request-rate"),
    path("requests/<int:pk>/visit/", requests.request_visit, name="request-visit"),
    path("requests/<int:pk>/supervisor/", requests.request_supervisor, name="request-supervisor"),
    path("requests/<int:pk>/note/", requests.request_note, name="request-note"),
    path("send-backs/<int:pk>/decide/", requests.sendback_arbitrate, name="sendback-arbitrate"),
    path("requests/categories/", requests.RequestCategoryListView.as_view(), name="category-list"),
    path("requests/categories/add/", requests.RequestCategoryCreateView.as_view(), name="category-add"),
    path("requests/categories/<int:pk>/edit/", requests.RequestCategoryUpdateView.as_view(), name="category-edit"),
    path("requests/policies/", requests.ServicePolicyListView.as_view(), name="policy-list"),
    path("requests/policies/add/", requests.ServicePolicyCreateView.as_view(), name="policy-add"),
    path("requests/policies/<int:pk>/edit/", requests.ServicePolicyUpdateView.as_view(), name="policy-edit"),
    path("accounts/add/", requests.account_add, name="account-add"),
    path(
        "accounts/password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="services/set_password.html", success_url=reverse_lazy("accounts:login")
        ),
        name="account-set-password",
    ),
    # ---- parallel approvals (并联审批)
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
    # ---- key enterprises (200强)
    path("key/", key_firms.key_list, name="key-list"),
    path("key/template.xlsx", key_firms.KeyTemplateView.as_view(), name="key-template"),
    path("key/import/", key_firms.KeyImportView.as_view(), name="key-import"),
    path("key/<int:pk>/", key_firms.key_detail, name="key-detail"),
    path("key/<int:pk>/visits/add/", key_firms.visit_add, name="key-visit-add"),
    path("key/visits/<int:pk>/edit/", key_firms.visit_edit, name="key-visit-edit"),
]
