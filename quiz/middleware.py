"""Small middleware: htmx-aware login redirects, CSP header, the user's time zone,
finalizing overdue attempts, and a page for a visit to a form-only address."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from quiz.engine import timing

# Every script and style is a static file, so no 'unsafe-inline' is needed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class HtmxLoginRedirectMiddleware:
    """Turn a login redirect of an htmx request into HX-Redirect, so the login page
    replaces the whole page instead of being swapped into a fragment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and not request.user.is_authenticated
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response


# With DEBUG on (make run), a 404 or 500 is Django's technical page, styled inline: allow
# that page's inline styles so it stays readable. The app's own pages never get this.
DEBUG_ERROR_PAGE_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_debug_error_page = settings.DEBUG and response.status_code in (404, 500)
        response.headers.setdefault(
            "Content-Security-Policy",
            DEBUG_ERROR_PAGE_POLICY if is_debug_error_page else CONTENT_SECURITY_POLICY,
        )
        return response


TIME_ZONE_KEY = "quiz_time_zone"


def remember_time_zone(request: HttpRequest, zone_name: str) -> None:
    """Keep the user's zone in the session (set at login and on saving settings), so
    showing a date in it costs no query."""
    if zone_name:
        request.session[TIME_ZONE_KEY] = zone_name
    else:
        request.session.pop(TIME_ZONE_KEY, None)


class UserTimeZoneMiddleware:
    """Show and read dates in the zone the user chose; without one, the installation's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone_name = request.session.get(TIME_ZONE_KEY) if hasattr(request, "session") else None
        zone = None
        if zone_name:
            try:
                zone = zoneinfo.ZoneInfo(zone_name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None  # a zone this system no longer knows: fall back to the site's
        # override(None) is the installation's zone; either way the thread's zone is reset after.
        with timezone.override(zone):
            return self.get_response(request)


DEADLINE_HINT_KEY = "quiz_next_deadline"


def remember_deadline(request: HttpRequest, deadline_at) -> None:
    """Keep the earliest deadline of this session's timed attempts (read by the middleware)."""
    if deadline_at is None:
        return
    timestamp = deadline_at.timestamp()
    current = request.session.get(DEADLINE_HINT_KEY)
    if current is None or timestamp < current:
        request.session[DEADLINE_HINT_KEY] = timestamp


class OverdueAttemptMiddleware:
    """Finalize the user's attempts whose time ran out, on their next request of any kind.

    The session carries the earliest deadline, so ordinary requests cost no query; only a
    request after that deadline (plus grace) looks up and scores the overdue attempts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        hint = request.session.get(DEADLINE_HINT_KEY) if hasattr(request, "session") else None
        if hint is not None and request.user.is_authenticated:
            now = timezone.now()
            if now.timestamp() > hint + timing.GRACE_SECONDS:
                from quiz import services

                services.attempts_expire_overdue(now=now, user=request.user)
                next_deadline = services.next_deadline(user=request.user)
                if next_deadline is None:
                    request.session.pop(DEADLINE_HINT_KEY, None)
                else:
                    request.session[DEADLINE_HINT_KEY] = next_deadline.timestamp()
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Answer a browser visit to a form-only address (log out, end exam, leave a group)
    with a page that says what to do, instead of Django's empty 405."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and request.method == "GET" and not response.content:
            page = render(
                request,
                "registration/message_page.html",
                {
                    "title": _("Use the button on the page"),
                    "message": _(
                        "This address only takes a form sent from its page (for example a Log out, "
                        "End exam or Leave button), so visiting it does nothing."
                    ),
                },
                status=405,
            )
            page["Allow"] = response["Allow"]
            return page
        return response
