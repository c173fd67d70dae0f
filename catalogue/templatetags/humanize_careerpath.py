"""Template filters for figures."""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from catalogue import markdown as catalogue_markdown

register = template.Library()


def _amount(value: Decimal, currency: str) -> str:
    """A figure with the active language's separators and digit grouping ("INR 795,677")."""
    if currency == "INR":
        # Indian articles print lakhs (1 lakh = 100,000): "INR 7.1L".
        lakhs = value / Decimal(100000)
        if lakhs == lakhs.quantize(Decimal("0.01")):
            figure = number_format(lakhs.normalize(), use_l10n=True)
            lakh = pgettext("lakh (100,000) after a figure, as in INR 7.1L", "L")
            return f"INR {figure}{lakh}"
    return f"{currency} {number_format(value, 0, use_l10n=True, force_grouping=True)}"


@register.filter
def salary_amount(row) -> str:
    """A salary benchmark's figure or range, in the article's own notation and the active language."""
    low = _amount(row.amount_min, row.currency)
    if row.amount_min == row.amount_max:
        return low
    return _("%(low)s to %(high)s") % {"low": low, "high": _amount(row.amount_max, row.currency)}


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
