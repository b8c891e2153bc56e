"""Study groups: list, create, join by invite link, dashboard, members, assignments."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quiz import group_reports, services
from quiz.forms import AssignmentForm, GroupForm
from quiz.middleware import remember_deadline
from quiz.models import Assignment, Attempt, Membership, StudyGroup
from quiz.services import groups as group_services
from quiz.services.attempts import assignment_request
from quiz.views.types import HtmxHttpRequest


def _membership(request: HtmxHttpRequest, group_id: int) -> Membership:
    """The requester's membership of the group; to a non-member the group does not exist."""
    return get_object_or_404(
        Membership.objects.select_related("group"), group_id=group_id, user=request.user
    )


def _owner_membership(request: HtmxHttpRequest, group_id: int) -> Membership:
    membership = _membership(request, group_id)
    if not membership.is_owner:
        # Members know the group exists; 404 still keeps management URLs opaque.
        raise Http404("Only owners can manage the group.")
    return membership


@require_http_methods(["GET", "POST"])
def group_list(request: HtmxHttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = group_services.group_create(owner=request.user, name=form.cleaned_data["name"], now=timezone.now())
        messages.success(request, _("Group created. Share the invite link with your study partners."))
        return redirect(group)
    return TemplateResponse(
        request, "quiz/group_list.html", {"memberships": group_reports.groups_of(user=request.user), "form": form}
    )


@require_http_methods(["GET", "POST"])
def group_join(request: HtmxHttpRequest, invite_code: str) -> HttpResponse:
    group = get_object_or_404(StudyGroup, invite_code=invite_code)
    if Membership.objects.filter(group=group, user=request.user).exists():
        return redirect(group)
    if request.method == "POST":
        group_services.group_join(user=request.user, group=group, now=timezone.now())
        messages.success(request, _("Welcome to %(name)s.") % {"name": group.name})
        return redirect(group)
    return TemplateResponse(request, "quiz/group_join.html", {"group": group, "member_count": group.memberships.count()})


@require_GET
def group_dashboard(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    membership = _membership(request, group_id)
    dashboard = group_reports.group_dashboard(group=membership.group, now=timezone.now())
    invite_url = request.build_absolute_uri(
        redirect("quiz:group-join", invite_code=membership.group.invite_code).url
    )
    return TemplateResponse(
        request,
        "quiz/group_dashboard.html",
        {"membership": membership, "dashboard": dashboard, "invite_url": invite_url, "now": timezone.now()},
    )


@require_POST
def regenerate_invite(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    membership = _owner_membership(request, group_id)
    group_services.invite_code_regenerate(group=membership.group)
    messages.success(request, _("New invite link created; the old one no longer works."))
    return redirect(membership.group)


@require_POST
def remove_member(request: HtmxHttpRequest, group_id: int, membership_id: int) -> HttpResponse:
    owner = _owner_membership(request, group_id)
    target = get_object_or_404(Membership, pk=membership_id, group_id=group_id)
    try:
        group_services.member_remove(group=owner.group, membership=target)
    except group_services.GroupActionRefused as refused:
        messages.error(request, str(refused))
    return redirect(owner.group)


@require_POST
def promote_member(request: HtmxHttpRequest, group_id: int, membership_id: int) -> HttpResponse:
    owner = _owner_membership(request, group_id)
    target = get_object_or_404(Membership, pk=membership_id, group_id=group_id)
    group_services.member_promote(group=owner.group, membership=target)
    return redirect(owner.group)


@require_POST
def leave_group(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    membership = _membership(request, group_id)
    group_services.group_leave(membership=membership)
    messages.success(request, _("You left %(name)s.") % {"name": membership.group.name})
    return redirect("quiz:group-list")


@require_POST
def delete_group(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    membership = _owner_membership(request, group_id)
    name = membership.group.name
    membership.group.delete()
    messages.success(request, _("Group %(name)s deleted.") % {"name": name})
    return redirect("quiz:group-list")


@require_POST
def leaderboard_visibility(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    membership = _membership(request, group_id)
    group_services.leaderboard_visibility_set(membership=membership, is_visible=request.POST.get("visible") == "on")
    return redirect(membership.group)


@require_http_methods(["GET", "POST"])
def assignment_new(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    membership = _owner_membership(request, group_id)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        is_full = data["kind"] == "full"
        assignment = group_services.assignment_create(
            group=membership.group,
            created_by=request.user,
            title=data["title"],
            mode=Attempt.Mode.FULL if is_full else Attempt.Mode.CUSTOM,
            question_count=75 if is_full else data["question_count"],
            time_limit_minutes=180 if is_full else data["time_limit_minutes"],
            domain_keys=[] if is_full else [d.key for d in data["domains"]],
            topic_keys=[],
            due_at=data["due_at"],
            now=timezone.now(),
        )
        return redirect(assignment)
    return TemplateResponse(request, "quiz/assignment_new.html", {"group": membership.group, "form": form})


@require_GET
def assignment_detail(request: HtmxHttpRequest, group_id: int, assignment_id: int) -> HttpResponse:
    membership = _membership(request, group_id)
    assignment = get_object_or_404(Assignment, pk=assignment_id, group_id=group_id)
    own_attempts = Attempt.objects.filter(assignment=assignment, user=request.user).order_by("-started_at")
    return TemplateResponse(
        request,
        "quiz/assignment_detail.html",
        {
            "membership": membership,
            "assignment": assignment,
            "report": group_reports.assignment_report(assignment=assignment),
            "own_attempts": own_attempts,
        },
    )


@require_POST
def start_assignment(request: HtmxHttpRequest, group_id: int, assignment_id: int) -> HttpResponse:
    _membership(request, group_id)
    assignment = get_object_or_404(Assignment, pk=assignment_id, group_id=group_id)
    # A second click resumes the attempt already under way instead of opening another.
    open_attempt = Attempt.objects.for_user(request.user).in_progress().filter(assignment=assignment).first()
    if open_attempt is not None:
        return redirect("quiz:resume-attempt", attempt_id=open_attempt.pk)
    try:
        attempt = services.attempt_start(user=request.user, request=assignment_request(assignment), now=timezone.now())
    except services.SelectionShortfall as shortfall:
        messages.error(request, str(shortfall))
        return redirect(assignment)
    remember_deadline(request, attempt.deadline_at)
    return redirect("quiz:attempt-question", attempt_id=attempt.pk, slot=1)
