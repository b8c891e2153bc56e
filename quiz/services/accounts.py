"""A user's own settings: the name groups see and the zone dates are shown in."""

from __future__ import annotations

from quiz.models import Profile


def profile_update(*, user, display_name: str, time_zone: str) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.display_name = display_name.strip()
    profile.time_zone = time_zone
    profile.save(update_fields=["display_name", "time_zone"])
    return profile


def saved_time_zone(*, user) -> str:
    """The user's chosen zone name, or "" for the installation's."""
    return Profile.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""
