"""Password guessing: what happens when django-axes refuses a login (settings ``AXES_*``).

After ``ZHAOSHANG_LOGIN_FAILURE_LIMIT`` wrong passwords for one account from one address, that account is refused
from that address — even with the right password — until ``ZHAOSHANG_LOGIN_COOLOFF_MINUTES`` have passed since
the last failure. Other accounts from the address and the account from other addresses are not affected. Axes
counts the failures in the database (``AxesDatabaseHandler``), so every worker process agrees.

The lockout is written to the audit log (one ``ChangeRecord`` of kind "locked out" on the account, through
``core.audit``) and logged; the login page (and the admin's) says that the account is locked, and for how long.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.core import audit
from zhaoshang.core.choices import ChangeKind

from .forms import LoginForm

logger = logging.getLogger(__name__)


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "Too many wrong passwords: this account is locked from your address for %(minutes)d minutes. "
        "Try again later, or ask an administrator to unlock it."
    ) % {"minutes": cooloff_minutes()}


def _with_message(form):
    form.cleaned_data = {}  # an unbound form, given the message as its one error
    form.add_error(None, lockout_message())
    return form


def lockout_response(request, original_response=None, credentials=None):
    """The login page (the admin's, for the admin site) with the lockout message, answered 429."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    if request.path.startswith(reverse("admin:login")):
        form = _with_message(AdminAuthenticationForm(request, initial={"username": username}))
        context = {
            **admin.site.each_context(request),
            "title": _("Log in"),
            "app_path": request.get_full_path(),
            "form": form,
            "username": username,
        }
        return render(request, "admin/login.html", context, status=429)
    form = _with_message(LoginForm(request, initial={"username": username}))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", ""), "locked_out": True}
    return render(request, "accounts/login.html", context, status=429)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    """Audit and log the moment an account is locked (not every refused attempt during the lockout)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is not None and failures != settings.AXES_FAILURE_LIMIT:
        return
    logger.warning(
        "login locked out: account %r from %s after %s wrong passwords, for %d minutes",
        username,
        ip_address,
        settings.AXES_FAILURE_LIMIT,
        cooloff_minutes(),
    )
    User = get_user_model()
    account = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    audit.record_event(
        account or User(**{User.USERNAME_FIELD: (username or "")[:150]}),
        ChangeKind.LOCKOUT,
        {
            "username": username or "",
            "ip_address": ip_address or "",
            "failures": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": cooloff_minutes(),
        },
    )
