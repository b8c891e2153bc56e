"""Sign-up, password change and reset, lockout and display names."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from quiz.models import Profile, Topic
from tests.conftest import HTMX
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_applies_the_password_validators_and_email_is_optional(client):
    weak = client.post(reverse("signup"), {"username": "ana", "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200
    assert "This password is too common." in weak.content.decode()
    ok = client.post(reverse("signup"), {"username": "ana", "email": "", "password1": "tidal-otter-42x", "password2": "tidal-otter-42x"})
    assert ok.status_code == 302


def test_password_change(client_logged_in, user):
    response = client_logged_in.post(
        reverse("password_change"),
        {"old_password": "correct-horse-battery", "new_password1": "new-tidal-otter-9", "new_password2": "new-tidal-otter-9"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-tidal-otter-9")


def test_password_reset_by_email_from_the_console_backend(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = UserFactory(username="forgetful", email="forgetful@example.org")
    assert client.post(reverse("password_reset"), {"email": "forgetful@example.org"}).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_url, {"new_password1": "fresh-otter-77", "new_password2": "fresh-otter-77"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh-otter-77")


def test_repeated_failed_logins_lock_the_account_with_a_clear_message(client):
    UserFactory(username="target")
    for _ in range(5):
        client.post(reverse("login"), {"username": "target", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "target", "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_resetting_the_password_lifts_a_lockout(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(username="locked", email="locked@example.org")
    for _ in range(5):
        client.post(reverse("login"), {"username": "locked", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "locked", "password": "correct-horse-battery"}).status_code == 429
    client.post(reverse("password_reset"), {"email": "locked@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "fresh-otter-77", "new_password2": "fresh-otter-77"})
    response = client.post(reverse("login"), {"username": "locked", "password": "fresh-otter-77"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_correct_login_works_before_the_limit(client):
    UserFactory(username="careful")
    client.post(reverse("login"), {"username": "careful", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "careful", "password": "correct-horse-battery"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.parametrize("name", ["quiz:dashboard", "quiz:progress", "quiz:group-list", "quiz:exam-new", "account-settings"])
def test_pages_other_than_home_login_signup_and_reset_need_login(name):
    client = Client()
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    htmx = client.get(reverse(name), headers=HTMX)
    assert htmx["HX-Redirect"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["quiz:home", "login", "signup", "password_reset"])
def test_public_pages_need_no_login(name, client):
    assert client.get(reverse(name)).status_code == 200


def test_study_notes_are_readable_logged_out(client, exam_bank):
    topic = Topic.objects.first()
    page = client.get(reverse("quiz:topic-detail", args=[topic.key]))
    assert page.status_code == 200 and topic.name in page.content.decode()


def test_display_name_is_saved(client_logged_in, user):
    client_logged_in.post(reverse("account-settings"), {"display_name": "  Kenji  "})
    assert Profile.objects.get(user=user).display_name == "Kenji"


def test_a_display_name_cannot_pose_as_another_member(client_logged_in, user):
    UserFactory(username="alice")
    Profile.objects.create(user=UserFactory(username="bob"), display_name="Bobby")
    for taken in ("alice", "ALICE", "bobby"):
        response = client_logged_in.post(reverse("account-settings"), {"display_name": taken})
        assert "Another member already goes by this name" in response.content.decode()
    assert not Profile.objects.filter(user=user).exclude(display_name="").exists()
    client_logged_in.post(reverse("account-settings"), {"display_name": "learner"})  # one's own username is fine
    assert Profile.objects.get(user=user).display_name == "learner"


def test_a_new_username_cannot_take_a_members_display_name(client):
    Profile.objects.create(user=UserFactory(username="ivy"), display_name="Zed")
    response = client.post(reverse("signup"), {"username": "zed", "password1": "tidal-otter-42x", "password2": "tidal-otter-42x"})
    assert "Another member already goes by this name" in response.content.decode()
    assert not User.objects.filter(username="zed").exists()


def test_password_pages_explain_each_step(client):
    assert "Send me a reset link" in client.get(reverse("password_reset")).content.decode()
    assert "reset link is on its way" in client.get(reverse("password_reset_done")).content.decode()
    assert "You can log in now" in client.get(reverse("password_reset_complete")).content.decode()
    expired = client.get(reverse("password_reset_confirm", args=["MQ", "not-a-token"]))
    assert "no longer valid" in expired.content.decode()
