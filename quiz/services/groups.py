"""Study groups: create, join, leave, manage members and assignments."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from quiz.models import Assignment, Membership, StudyGroup


class GroupActionRefused(Exception):
    """The action would break the group (for example, removing its last owner)."""


def new_invite_code() -> str:
    return secrets.token_urlsafe(16)


@transaction.atomic
def group_create(*, owner, name: str, now: datetime) -> StudyGroup:
    group = StudyGroup.objects.create(name=name, invite_code=new_invite_code(), created_at=now)
    Membership.objects.create(group=group, user=owner, role=Membership.Role.OWNER, joined_at=now)
    return group


def group_join(*, user, group: StudyGroup, now: datetime) -> Membership:
    """Join with the invite link; joining twice keeps the existing membership."""
    membership, _created = Membership.objects.get_or_create(
        group=group, user=user, defaults={"joined_at": now}
    )
    return membership


def invite_code_regenerate(*, group: StudyGroup) -> str:
    """Issue a new secret code; links with the old one stop working."""
    group.invite_code = new_invite_code()
    group.save(update_fields=["invite_code"])
    return group.invite_code


@transaction.atomic
def group_leave(*, membership: Membership) -> None:
    """Leave the group. The last owner hands ownership to the longest-standing member,
    and the group is deleted when nobody is left."""
    group = StudyGroup.objects.select_for_update().get(pk=membership.group_id)
    others = Membership.objects.filter(group=group).exclude(pk=membership.pk)
    if membership.is_owner and not others.filter(role=Membership.Role.OWNER).exists():
        successor = others.order_by("joined_at", "pk").first()
        if successor is None:
            group.delete()
            return
        successor.role = Membership.Role.OWNER
        successor.save(update_fields=["role"])
    membership.delete()


@transaction.atomic
def member_remove(*, group: StudyGroup, membership: Membership) -> None:
    if membership.group_id != group.pk:
        raise GroupActionRefused(_("That person is not a member of this group."))
    if membership.is_owner:
        raise GroupActionRefused(_("An owner cannot be removed; they can leave the group themselves."))
    membership.delete()


def member_promote(*, group: StudyGroup, membership: Membership) -> None:
    if membership.group_id != group.pk:
        raise GroupActionRefused(_("That person is not a member of this group."))
    membership.role = Membership.Role.OWNER
    membership.save(update_fields=["role"])


def leaderboard_visibility_set(*, membership: Membership, is_visible: bool) -> None:
    membership.show_on_leaderboard = is_visible
    membership.save(update_fields=["show_on_leaderboard"])


def assignment_create(
    *,
    group: StudyGroup,
    created_by,
    title: str,
    mode: str,
    question_count: int,
    time_limit_minutes: int | None,
    domain_keys: list[str],
    topic_keys: list[str],
    due_at: datetime,
    now: datetime,
) -> Assignment:
    return Assignment.objects.create(
        group=group,
        created_by=created_by,
        title=title,
        mode=mode,
        question_count=question_count,
        time_limit_minutes=time_limit_minutes,
        domain_keys=domain_keys,
        topic_keys=topic_keys,
        due_at=due_at,
        created_at=now,
    )
