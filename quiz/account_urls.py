from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.utils.translation import gettext_lazy as _

from quiz.views import accounts

# Password reset is reachable logged out; LoginRequiredMiddleware exempts these views.
public = login_not_required
FORM_PAGE = "registration/form_page.html"
MESSAGE_PAGE = "registration/message_page.html"


def message_view(view, message):
    return view.as_view(template_name=MESSAGE_PAGE, extra_context={"message": message})


urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", accounts.account_settings, name="account-settings"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(template_name=FORM_PAGE, extra_context={"submit_label": _("Change my password")}),
        name="password_change",
    ),
    path(
        "password/change/done/",
        message_view(auth_views.PasswordChangeDoneView, _("Your password has been changed.")),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        public(auth_views.PasswordResetView.as_view(template_name=FORM_PAGE, extra_context={"submit_label": _("Send me a reset link")})),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        public(
            message_view(
                auth_views.PasswordResetDoneView,
                _("If an account has this email address, a message with a reset link is on its way."),
            )
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public(accounts.PasswordResetConfirmView.as_view(template_name=FORM_PAGE, extra_context={"submit_label": _("Set my new password")})),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        public(
            message_view(
                auth_views.PasswordResetCompleteView,
                _("Your password has been set. You can log in now."),
            )
        ),
        name="password_reset_complete",
    ),
]
