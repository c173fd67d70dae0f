"""Template filters for figures."""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from catalogue import markdown as catalogue_markdown

register = template.Library()


def _amount(value: Decimal, currency: str) -> str:
    if currency == "INR":
        # Indian articles print lakhs (1 lakh = 100,000): "INR 7.1L".
        lakhs = value / Decimal(100000)
        return (
            f"INR {lakhs.normalize():f}L" if lakhs == lakhs.quantize(Decimal("0.01")) else f"INR {value:,.0f}"
        )
    return f"{currency} {value:,.0f}"


@register.filter
def salary_amount(row) -> str:
    """A salary benchmark's figure or range, in the article's own notation."""
    low = _amount(row.amount_min, row.currency)
    if row.amount_min == row.amount_max:
        return low
    return f"{low} to {_amount(row.amount_max, row.currency)}"


INLINE_CODE = re.compile(r"`([^`\n]+)`")


@register.filter(needs_autoescape=True)
def inline_code(text, autoescape=True) -> str:
    """Catalogue text with `backticks` shown as code; everything else escaped."""
    escaped = conditional_escape(str(text)) if autoescape else str(text)
    return mark_safe(INLINE_CODE.sub(r"<code>\1</code>", escaped))  # escaped above


@register.filter
def markdown(text: str) -> SafeString:
    """Catalogue Markdown (paragraphs, fenced code) as sanitised HTML: see catalogue.markdown."""
    return mark_safe(catalogue_markdown.render_block(str(text)))  # sanitised by nh3 in render_block


@register.filter
def markdown_inline(text: str) -> SafeString:
    """One line of catalogue Markdown (an option) as sanitised HTML, without a paragraph."""
    return mark_safe(catalogue_markdown.render_inline(str(text)))  # sanitised by nh3 in render_inline
