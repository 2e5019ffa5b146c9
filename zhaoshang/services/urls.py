from django.urls import path

app_name = "services"

urlpatterns = []

# ---- enterprise requests (诉求)
from django.contrib.auth import views as auth_views  # noqa: E402
from django.urls import reverse_lazy  # noqa: E402

from .views import requests  # noqa: E402

urlpatterns += [
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
]
