from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhaoshang.core.views import ObjectDetailView, ObjectListView

from .filtersets import TeamFilterSet
from .forms import LoginForm, ProfileForm
from .models import Team
from .tables import TEAM_TABLE


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def profile(request):
    """The user's own profile: their name and contacts, teams and roles."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("team")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


class TeamListView(ObjectListView):
    model = Team
    filterset_class = TeamFilterSet
    table = TEAM_TABLE


class TeamDetailView(ObjectDetailView):
    model = Team
    template_name = "accounts/team_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("user").order_by("role", "user__username")
        return context
