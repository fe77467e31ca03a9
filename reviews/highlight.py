"""Untrusted text with some of its words marked, escaped: the words a review theme
matched (admin insights, outreach queue) and the words a compliance rule objects to
(the agent desk's live check)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .models import ReviewThemeMatch
from .themes import Span, snippet


def highlight(text: str, spans: list[Span]) -> SafeString:
    """``text`` with ``spans`` (sorted, not overlapping: see ``merged_spans``) wrapped in
    <mark>; everything escaped."""
    parts, last = [], 0
    for start, end in spans:
        parts.append(("{}", text[last:start]))
        parts.append(("<mark>{}</mark>", text[start:end]))
        last = end
    parts.append(("{}", text[last:]))
    return format_html_join("", "{}", ((format_html(fmt, piece),) for fmt, piece in parts))


def match_snippet(match: ReviewThemeMatch, *, width: int = 160) -> SafeString:
    text, spans = snippet(match.review.theme_text, [tuple(s) for s in match.spans], width=width)
    return highlight(text, spans)
