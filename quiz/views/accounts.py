"""Account pages beyond Django's auth views: sign-up, the display name and time zone, and a
password reset that lifts a lockout."""

from axes import utils as axes_utils
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quiz.forms import AccountSettingsForm, SignUpForm
from quiz.middleware import remember_time_zone
from quiz.models import Profile
from quiz.services import accounts as account_services
from quiz.views.types import HtmxHttpRequest


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("quiz:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        next_url = request.POST.get("next") or request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return redirect(next_url)
        return redirect("quiz:dashboard")
    return TemplateResponse(request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")})


@require_http_methods(["GET", "POST"])
def account_settings(request: HtmxHttpRequest) -> HttpResponse:
    profile = Profile.objects.filter(user=request.user).first()
    initial = {"display_name": profile.display_name, "time_zone": profile.time_zone} if profile else {}
    form = AccountSettingsForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile = account_services.profile_update(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            time_zone=form.cleaned_data["time_zone"],
        )
        remember_time_zone(request, profile.time_zone)
        messages.success(request, _("Saved."))
        return redirect("account-settings")
    return TemplateResponse(request, "registration/account_settings.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the emailed link. It also lifts a login lockout of that
    user: the lockout page offers this reset as the way back in."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_utils.reset(username=form.user.get_username())
        return response
