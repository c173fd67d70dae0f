"""Citations as people read them: an article's title, linked, and the section cited."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from catalogue import sources

register = template.Library()


@register.filter
def source_citation(source: str) -> SafeString:
    """``<title>, section <x>`` for a citation of a source article; any other source as written."""
    citation = sources.cite(source)
    if citation is None:
        return format_html("{}", source)
    link = format_html(
        '<a href="{}" rel="noopener noreferrer">{}</a>', citation.article.url, citation.article.title
    )
    if not citation.section:
        return link
    return format_html("{}, section {}", link, citation.section)
