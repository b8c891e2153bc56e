"""Study groups: authorization matrix, invites, membership changes, dashboard numbers."""

import random
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from quiz.models import Assignment, Attempt, Membership, Profile, StudyGroup
from quiz.sample_history import build_history
from quiz.services import groups as group_services
from tests.conftest import HTMX
from tests.factories import UserFactory, correct_choice_ids, wrong_choice_ids
from tests.views.helpers import question_url, slot, start_custom

pytestmark = pytest.mark.django_db


def quiz_url_names(*, needs: str) -> list[str]:
    """Every quiz URL whose pattern takes `needs` (read from the URL conf)."""
    names = []
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "quiz":
            for inner in pattern.url_patterns:
                if isinstance(inner, URLPattern) and needs in inner.pattern.regex.groupindex:
                    names.append(inner.name)
    return names


@pytest.fixture
def group_world(exam_bank):
    now = timezone.now()
    owner, member, outsider = (UserFactory(username=n) for n in ("owner", "member", "outsider"))
    group = group_services.group_create(owner=owner, name="Study circle", now=now)
    group_services.group_join(user=member, group=group, now=now)
    target = group_services.group_join(user=UserFactory(username="target"), group=group, now=now)
    assignment = group_services.assignment_create(
        group=group, created_by=owner, title="Week 1", mode="custom", question_count=5,
        time_limit_minutes=None, domain_keys=[], topic_keys=[], due_at=now + timedelta(days=7), now=now,
    )
    clients = {}
    for name, user in {"owner": owner, "member": member, "non-member": outsider}.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    clients["anonymous"] = Client()
    return {"group": group, "assignment": assignment, "target": target, "clients": clients}


def group_url(name: str, world) -> str:
    kwargs = {
        "group_id": world["group"].pk,
        "membership_id": world["target"].pk,
        "assignment_id": world["assignment"].pk,
    }
    pattern_args = next(
        p for r in get_resolver().url_patterns if isinstance(r, URLResolver) and r.namespace == "quiz"
        for p in r.url_patterns if isinstance(p, URLPattern) and p.name == name
    ).pattern.regex.groupindex
    try:
        return reverse(f"quiz:{name}", kwargs={k: v for k, v in kwargs.items() if k in pattern_args})
    except NoReverseMatch as error:  # pragma: no cover - a new URL argument needs a value above
        raise AssertionError(f"add a value for the arguments of {name}") from error


OWNER_ONLY = {"regenerate-invite", "delete-group", "remove-member", "promote-member", "assignment-new"}
# Expected status per role for GET (pages) and POST (actions); a URL not serving a method
# answers 405 to members and 404 to non-members alike, so it reveals nothing.
EXPECTED = {
    "owner": {200, 302, 405},
    "member": {200, 302, 405},
    "non-member": {404, 405},
    "anonymous": {302},
}


@pytest.mark.parametrize("name", quiz_url_names(needs="group_id"))
@pytest.mark.parametrize("role", ["owner", "member", "non-member", "anonymous"])
def test_group_authorization_matrix(name, role, group_world):
    client = group_world["clients"][role]
    url = group_url(name, group_world)
    get, post = client.get(url), client.post(url, {"visible": "on"})
    statuses = {get.status_code, post.status_code}
    if role == "anonymous":
        assert get.status_code == 302 and get["Location"].startswith(reverse("login"))
        assert post.status_code == 302 and post["Location"].startswith(reverse("login"))
    elif role == "non-member" or role == "member" and name in OWNER_ONLY:
        assert 404 in statuses and statuses <= {404, 405}, (name, statuses)
    else:
        assert statuses <= EXPECTED[role] and statuses & {200, 302}, (name, statuses)


def test_matrix_covers_every_group_url():
    names = set(quiz_url_names(needs="group_id"))
    assert names >= OWNER_ONLY | {"group-dashboard", "leave-group", "assignment-detail", "start-assignment"}


def test_non_members_and_members_cannot_touch_the_group(group_world):
    group = group_world["group"]
    group_world["clients"]["non-member"].post(reverse("quiz:delete-group", args=[group.pk]))
    group_world["clients"]["member"].post(reverse("quiz:delete-group", args=[group.pk]))
    group_world["clients"]["member"].post(reverse("quiz:remove-member", args=[group.pk, group_world["target"].pk]))
    assert StudyGroup.objects.filter(pk=group.pk).exists()
    assert Membership.objects.filter(pk=group_world["target"].pk).exists()


def test_invite_link_joins_and_a_regenerated_code_stops_old_links(group_world):
    group = group_world["group"]
    newcomer = Client()
    newcomer.force_login(UserFactory(username="newcomer"))
    old_link = reverse("quiz:group-join", args=[group.invite_code])
    page = newcomer.get(old_link)
    assert "Join Study circle" in page.content.decode()
    assert not Membership.objects.filter(group=group, user__username="newcomer").exists()  # GET does not join
    assert newcomer.post(old_link)["Location"] == group.get_absolute_url()
    assert Membership.objects.filter(group=group, user__username="newcomer").exists()
    group_world["clients"]["owner"].post(reverse("quiz:regenerate-invite", args=[group.pk]))
    group.refresh_from_db()
    late = Client()
    late.force_login(UserFactory(username="late"))
    assert late.get(old_link).status_code == 404
    assert late.post(reverse("quiz:group-join", args=[group.invite_code])).status_code == 302


def test_anonymous_invite_link_leads_through_login_and_back(group_world):
    link = reverse("quiz:group-join", args=[group_world["group"].invite_code])
    response = Client().get(link)
    assert response.status_code == 302 and "next=" in response["Location"]


def test_leaving_removal_and_ownership(group_world):
    group, clients = group_world["group"], group_world["clients"]
    clients["owner"].post(reverse("quiz:remove-member", args=[group.pk, group_world["target"].pk]))
    assert not Membership.objects.filter(pk=group_world["target"].pk).exists()
    member = Membership.objects.get(group=group, user__username="member")
    clients["owner"].post(reverse("quiz:promote-member", args=[group.pk, member.pk]))
    member.refresh_from_db()
    assert member.is_owner
    clients["owner"].post(reverse("quiz:leave-group", args=[group.pk]))
    assert list(group.memberships.values_list("user__username", flat=True)) == ["member"]
    clients["member"].post(reverse("quiz:leave-group", args=[group.pk]))
    assert not StudyGroup.objects.filter(pk=group.pk).exists()


def test_the_last_owner_leaving_hands_the_group_to_the_longest_member(group_world):
    group, clients = group_world["group"], group_world["clients"]
    clients["owner"].post(reverse("quiz:leave-group", args=[group.pk]))
    assert Membership.objects.get(group=group, user__username="member").is_owner


def take_assignment(client, assignment, right_domains) -> Attempt:
    client.post(reverse("quiz:start-assignment", args=[assignment.group_id, assignment.pk]))
    attempt = Attempt.objects.filter(assignment=assignment).latest("pk")
    for number in range(1, attempt.question_count + 1):
        current = slot(attempt, number)
        right = current.question.domain.key in right_domains
        ids = correct_choice_ids(current.question) if right else wrong_choice_ids(current.question, 2 if current.question.kind == "multiple" else 1)
        client.post(question_url(attempt, number), {"choice": ids, "seq": 1}, headers=HTMX)
    client.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
    attempt.refresh_from_db()
    return attempt


def test_dashboard_heat_map_leaderboard_and_weakest_domain(group_world):
    group, clients = group_world["group"], group_world["clients"]
    assignment = Assignment.objects.create(
        group=group, title="All domains", mode="custom", question_count=30, time_limit_minutes=60,
        domain_keys=[], topic_keys=[], due_at=timezone.now() + timedelta(days=3), created_at=timezone.now(),
    )
    everything_but_security = {"sdlc", "iac", "resilience", "monitoring", "incident"}
    owner_attempt = take_assignment(clients["owner"], assignment, everything_but_security)
    member_attempt = take_assignment(clients["member"], assignment, {"sdlc"})
    Profile.objects.create(user=member_attempt.user, display_name="Mina")
    response = clients["owner"].get(reverse("quiz:group-dashboard", args=[group.pk]))
    dashboard = response.context_data["dashboard"]
    rows = {row.name: row for row in dashboard.members}
    assert rows["owner"].latest_score == owner_attempt.scaled_score
    assert rows["Mina"].best_score == member_attempt.scaled_score
    security = [d.key for d in dashboard.domains].index("security")
    sdlc = [d.key for d in dashboard.domains].index("sdlc")
    assert rows["owner"].cells[security]["percent"] == 0 and rows["owner"].cells[sdlc]["percent"] == 100
    assert rows["Mina"].cells[sdlc]["percent"] == 100
    assert dashboard.weakest_domain["domain"].key == "security"
    board = {row["name"]: row for row in dashboard.leaderboard}
    assert board["owner"]["correct"] == owner_attempt.correct_count and board["owner"]["total"] == 30
    html = response.content.decode()
    assert "The group&#x27;s weakest domain" in html or "weakest domain" in html
    # Opting out removes the member from the leaderboard.
    clients["member"].post(reverse("quiz:leaderboard-visibility", args=[group.pk]))
    dashboard = clients["owner"].get(reverse("quiz:group-dashboard", args=[group.pk])).context_data["dashboard"]
    assert [row["name"] for row in dashboard.leaderboard] == ["owner"]
    detail = clients["member"].get(assignment.get_absolute_url()).context_data["report"]
    assert detail["finished_count"] == 2


def test_members_never_see_another_members_answers(group_world):
    group, clients = group_world["group"], group_world["clients"]
    attempt = take_assignment(clients["owner"], group_world["assignment"], {"sdlc"})
    assert clients["member"].get(reverse("quiz:attempt-answers", args=[attempt.pk])).status_code == 404
    assert clients["member"].get(reverse("quiz:attempt-result", args=[attempt.pk])).status_code == 404
    html = clients["member"].get(reverse("quiz:group-dashboard", args=[group.pk])).content.decode()
    for choice in slot(attempt, 1).question.choices.all():
        assert choice.rationale not in html


def test_dashboard_aggregates_are_reused_until_a_members_results_change(group_world):
    group, clients = group_world["group"], group_world["clients"]
    url = reverse("quiz:group-dashboard", args=[group.pk])
    take_assignment(clients["owner"], group_world["assignment"], {"sdlc"})
    with CaptureQueriesContext(connection) as cold:
        first = clients["owner"].get(url).context_data["dashboard"]
    with CaptureQueriesContext(connection) as warm:
        again = clients["owner"].get(url).context_data["dashboard"]
    assert len(warm) < len(cold)
    assert [r.cells for r in again.members] == [r.cells for r in first.members]
    assert again.leaderboard == first.leaderboard

    # A member finishes an exam: the very next view counts it.
    finished = take_assignment(clients["member"], group_world["assignment"], {"sdlc"})
    after_exam = clients["owner"].get(url).context_data["dashboard"]
    rows = {row.name: row for row in after_exam.members}
    assert rows["member"].latest_score == finished.scaled_score
    assert "member" in [row["name"] for row in after_exam.leaderboard]

    # A practice answer checked mid-attempt counts at once too.
    def answered_total(dashboard) -> int:
        return sum(cell["total"] for row in dashboard.members for cell in row.cells)

    practice = start_custom(clients["member"], count=5, mode="practice")
    first_slot = slot(practice, 1)
    check_url = reverse("quiz:check-answer", args=[practice.pk, 1])
    clients["member"].post(question_url(practice, 1), {"choice": correct_choice_ids(first_slot.question), "seq": 1}, headers=HTMX)
    after_exam = clients["owner"].get(url).context_data["dashboard"]
    assert clients["member"].post(check_url, headers=HTMX).status_code == 200
    after_check = clients["owner"].get(url).context_data["dashboard"]
    assert answered_total(after_check) == answered_total(after_exam) + 1


def test_group_dashboard_runs_a_fixed_number_of_queries(exam_bank, django_assert_max_num_queries):
    now = timezone.now()
    owner = UserFactory(username="boss")
    group = group_services.group_create(owner=owner, name="Big", now=now)
    client = Client()
    client.force_login(owner)

    def grow(members: int, attempts: int, seed: int):
        for index in range(members):
            user = UserFactory(username=f"m{seed}-{index}")
            group_services.group_join(user=user, group=group, now=now)
            build_history(user=user, attempt_count=attempts, questions_per_attempt=10, now=now, rng=random.Random(index))

    grow(3, 2, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("quiz:group-dashboard", args=[group.pk])).status_code == 200
    grow(47, 20, 2)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("quiz:group-dashboard", args=[group.pk]))
    assert len(response.context_data["dashboard"].members) == 51


def test_an_assignment_no_member_could_start_is_refused_when_set(group_world):
    owner = group_world["clients"]["owner"]
    url = reverse("quiz:assignment-new", args=[group_world["group"].pk])
    later = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    too_many = owner.post(url, {"title": "Big", "kind": "custom", "question_count": 30, "domains": ["incident"], "due_at": later})
    assert too_many.status_code == 200
    assert "The chosen domains hold 20 questions; ask for 20 or fewer." in too_many.content.decode()
    past = owner.post(url, {"title": "Late", "kind": "full", "due_at": "2020-01-01T10:00"})
    assert "This date has passed; choose a later one." in past.content.decode()
    assert not Assignment.objects.filter(title__in=["Big", "Late"]).exists()
    fits = owner.post(url, {"title": "Fits", "kind": "custom", "question_count": 20, "domains": ["incident"], "due_at": later})
    assert fits.status_code == 302
    member = group_world["clients"]["member"]
    started = member.post(reverse("quiz:start-assignment", args=[group_world["group"].pk, Assignment.objects.get(title="Fits").pk]))
    assert started.status_code == 302 and "/questions/1/" in started["Location"]


def test_due_dates_are_typed_and_shown_in_the_installations_time_zone(group_world, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    owner = group_world["clients"]["owner"]
    url = reverse("quiz:assignment-new", args=[group_world["group"].pk])
    assert "Time zone: Asia/Tokyo." in owner.get(url).content.decode()
    owner.post(url, {"title": "Tokyo morning", "kind": "full", "due_at": "2030-01-07T09:00"})
    due = Assignment.objects.get(title="Tokyo morning").due_at
    assert due.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == "2030-01-07 00:00"


def test_starting_an_assignment_again_resumes_the_attempt_under_way(group_world):
    member = group_world["clients"]["member"]
    url = reverse("quiz:start-assignment", args=[group_world["group"].pk, group_world["assignment"].pk])
    first = member.post(url)
    again = member.post(url)
    attempts = Attempt.objects.filter(assignment=group_world["assignment"], user__username="member")
    assert attempts.count() == 1
    assert again["Location"] == reverse("quiz:resume-attempt", args=[attempts.get().pk])
    assert first["Location"] == question_url(attempts.get(), 1)


def test_a_removed_member_no_longer_counts_in_assignment_figures(group_world):
    group, assignment = group_world["group"], group_world["assignment"]
    member = group_world["clients"]["member"]
    member.post(reverse("quiz:start-assignment", args=[group.pk, assignment.pk]))
    attempt = Attempt.objects.get(assignment=assignment, user__username="member")
    for number in range(1, attempt.question_count + 1):
        member.post(question_url(attempt, number), {"choice": correct_choice_ids(slot(attempt, number).question), "seq": 1}, headers=HTMX)
    member.post(reverse("quiz:submit-attempt", args=[attempt.pk]))
    owner = group_world["clients"]["owner"]
    detail_url = reverse("quiz:assignment-detail", args=[group.pk, assignment.pk])
    before = owner.get(detail_url).context_data["report"]
    assert before["finished_count"] == 1 and sum(d["total"] for d in before["domains"]) == 5
    assert owner.get(reverse("quiz:group-dashboard", args=[group.pk])).context_data["dashboard"].assignments[0].finished_members == 1

    group_services.member_remove(group=group, membership=Membership.objects.get(group=group, user__username="member"))
    after = owner.get(detail_url).context_data["report"]
    assert after["finished_count"] == 0 and sum(d["total"] for d in after["domains"]) == 0
    assert owner.get(reverse("quiz:group-dashboard", args=[group.pk])).context_data["dashboard"].assignments[0].finished_members == 0
