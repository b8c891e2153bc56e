"""Formatting filters; the markdown filter is the only place HTML is marked safe."""

from functools import lru_cache

import nh3
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

register = template.Library()

# html=False: raw HTML in the bank is escaped by the parser; nh3 then strips anything
# unsafe that markdown itself could produce (javascript: links, event attributes).
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


@register.filter
def markdown(text: str) -> str:
    return mark_safe(_render_markdown(text or ""))  # sanitized by nh3 in _render_markdown


# Bank texts repeat on every question screen; rendering is a pure function of the text.
@lru_cache(maxsize=4096)
def _render_markdown(text: str) -> str:
    rendered = _markdown.render(text)
    clean = nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
    )
    return clean


@register.filter
def duration(seconds: int | None) -> str:
    """Format seconds as H:MM:SS or M:SS."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def select_count(required: int) -> str:
    """Return the exam's instruction for a multiple-response question."""
    return {2: _("Select TWO."), 3: _("Select THREE.")}.get(required, "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(fraction: float | None) -> str:
    """Format a 0..1 fraction as a whole percentage."""
    if fraction is None:
        return ""
    return f"{round(100 * fraction)}%"
