"""Formatting filters and the question card's choice list.

HTML is marked safe in two places only: the markdown filter (sanitized by nh3) and
choice_list (every text in it escaped).
"""

from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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
def reference_label(url: str) -> str:
    """Name a documentation link by its page: ".../ec2-auto-scaling-default-instance-warmup.html"
    reads "ec2 auto scaling default instance warmup"."""
    parts = [part for part in urlsplit(url).path.split("/") if part]
    page = parts[-1].removesuffix(".html") if parts else ""
    if page in {"", "index", "welcome", "Welcome"} and len(parts) > 1:
        page = parts[-2]
    return page.replace("-", " ").replace("_", " ") or urlsplit(url).netloc


@register.filter
def duration_words(seconds: int | None) -> str:
    """Say a length of time with its units ("1 min 35 s"), where a bare 1:35 could read as
    hours and minutes (the clock keeps the compact form)."""
    if seconds is None:
        return ""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    if minutes:
        return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": secs}
    return _("%(seconds)d s") % {"seconds": secs}


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


@register.simple_tag
def choice_list(question, feedback=None) -> SafeString:
    """The card's choices as radio buttons or checkboxes, with the verdict and rationale
    of each once a practice question is checked (feedback).

    Built in one pass: as a template loop, its ~40 variable lookups, escapes and ifs were
    a quarter of the time to render the card on every move between questions.
    """
    graded_by_id = feedback["choices"] if feedback else {}
    correct_label, wrong_label = escape(_("Correct answer.")), escape(_("Not this one."))
    items = []
    for choice in question.choices:
        css = "choice"
        rationale = ""
        if feedback:
            graded = graded_by_id[choice.choice_id]
            if graded.is_correct:
                css += " is-correct"
            elif choice.is_selected:
                css += " is-wrong"
            verdict = correct_label if graded.is_correct else wrong_label
            rationale = f'<p class="rationale"><strong>{verdict}</strong> {escape(graded.rationale)}</p>'
        checked = " checked" if choice.is_selected else ""
        items.append(
            f'<li class="{css}"><label>'
            f'<input type="{question.input_type}" name="choice" value="{int(choice.choice_id)}"'
            f' data-key="{int(choice.key)}"{checked}>'
            f'<span class="letter" aria-hidden="true">{choice.letter}</span>'
            f'<span class="choice-text">{escape(choice.text)}</span></label>{rationale}</li>'
        )
    return mark_safe("\n".join(items))  # every text above is escaped; the rest are our constants
