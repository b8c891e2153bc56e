from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from quiz.views import accounts

# Password reset is reachable logged out; LoginRequiredMiddleware exempts these views.
public = login_not_required

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", accounts.account_settings, name="account-settings"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", public(auth_views.PasswordResetView.as_view()), name="password_reset"),
    path("password/reset/done/", public(auth_views.PasswordResetDoneView.as_view()), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        public(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", public(auth_views.PasswordResetCompleteView.as_view()), name="password_reset_complete"),
]
