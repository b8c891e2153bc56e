"""Each user's time zone: chosen in settings, kept across logins, used to show and read dates."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Assignment, Profile
from quiz.services import groups as group_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def study_group(exam_bank):
    now = timezone.now()
    owner, member = UserFactory(username="tokyo-owner"), UserFactory(username="utc-member")
    group = group_services.group_create(owner=owner, name="Night owls", now=now)
    group_services.group_join(user=member, group=group, now=now)
    clients = {}
    for user in (owner, member):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    return group, clients


def test_settings_offer_the_site_zone_and_the_iana_zones(client_logged_in):
    page = client_logged_in.get(reverse("account-settings")).content.decode()
    assert "The site&#x27;s zone (UTC)" in page
    assert '<option value="Asia/Tokyo">Asia/Tokyo</option>' in page
    assert '<option value="America/New_York">America/New York</option>' in page
    assert "posix/" not in page and "right/" not in page


def test_a_chosen_zone_is_how_due_times_are_typed_and_shown(study_group):
    group, clients = study_group
    owner, member = clients["tokyo-owner"], clients["utc-member"]
    saved = owner.post(reverse("account-settings"), {"display_name": "", "time_zone": "Asia/Tokyo"})
    assert saved.status_code == 302
    assert Profile.objects.get(user__username="tokyo-owner").time_zone == "Asia/Tokyo"

    new_assignment = reverse("quiz:assignment-new", args=[group.pk])
    assert "Time zone: Asia/Tokyo." in owner.get(new_assignment).content.decode()
    owner.post(new_assignment, {"title": "Mock 1", "kind": "full", "due_at": "2030-01-07T09:00"})
    due = Assignment.objects.get(title="Mock 1").due_at
    assert due.astimezone(UTC) == datetime(2030, 1, 7, 0, 0, tzinfo=UTC)

    dashboard = reverse("quiz:group-dashboard", args=[group.pk])
    assert "due 2030-01-07 09:00" in owner.get(dashboard).content.decode()
    # A member who chose no zone sees the same moment in the site's zone (UTC).
    assert "due 2030-01-07 00:00" in member.get(dashboard).content.decode()


def test_the_zone_comes_back_with_each_login(exam_bank):
    user = UserFactory(username="traveller", password=PASSWORD)
    Profile.objects.create(user=user, time_zone="America/New_York")
    group = group_services.group_create(owner=user, name="Solo", now=timezone.now())
    group_services.assignment_create(
        group=group, created_by=user, title="Due soon", mode="full", question_count=75,
        time_limit_minutes=None, domain_keys=[], topic_keys=[],
        due_at=datetime(2030, 1, 7, 15, 0, tzinfo=UTC), now=timezone.now(),
    )
    client = Client()
    assert client.post(reverse("login"), {"username": "traveller", "password": PASSWORD}).status_code == 302
    page = client.get(reverse("quiz:group-dashboard", args=[group.pk])).content.decode()
    assert "due 2030-01-07 10:00" in page  # 15:00 UTC is 10:00 in New York in January


def test_an_unknown_zone_is_refused_and_nothing_changes(client_logged_in, user):
    Profile.objects.create(user=user, display_name="Kenji", time_zone="Europe/Paris")
    response = client_logged_in.post(reverse("account-settings"), {"display_name": "Ken", "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "Select a valid choice. Mars/Olympus_Mons is not one of the available choices." in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.time_zone) == ("Kenji", "Europe/Paris")


def test_clearing_the_zone_returns_to_the_sites(client_logged_in, user, settings):
    settings.TIME_ZONE = "UTC"
    client_logged_in.post(reverse("account-settings"), {"display_name": "", "time_zone": "Asia/Kolkata"})
    assert client_logged_in.session["quiz_time_zone"] == "Asia/Kolkata"
    client_logged_in.post(reverse("account-settings"), {"display_name": "", "time_zone": ""})
    assert Profile.objects.get(user=user).time_zone == ""
    assert "quiz_time_zone" not in client_logged_in.session


def test_a_zone_the_system_no_longer_knows_falls_back_to_the_sites(client_logged_in):
    session = client_logged_in.session
    session["quiz_time_zone"] = "Atlantis/Capital"
    session.save()
    assert client_logged_in.get(reverse("quiz:dashboard")).status_code == 200


def test_the_zone_does_not_leak_into_the_next_request(study_group):
    """The zone is set per request: a Tokyo user's request leaves the thread in the site's zone."""
    group, clients = study_group
    clients["tokyo-owner"].post(reverse("account-settings"), {"display_name": "", "time_zone": "Asia/Tokyo"})
    clients["tokyo-owner"].get(reverse("quiz:group-dashboard", args=[group.pk]))
    assert timezone.get_current_timezone_name() == "UTC"
    later = timezone.now() + timedelta(days=2)
    assert timezone.localtime(later).utcoffset() == timedelta(0)
