"""Template filters that show catalogue text and figures."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from catalogue.templatetags.humanize_careerpath import inline_code, salary_amount


def test_backticks_become_code_and_everything_else_is_escaped():
    assert inline_code("Use `x < y` in <b>bold</b>") == "Use <code>x &lt; y</code> in &lt;b&gt;bold&lt;/b&gt;"
    assert inline_code("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert inline_code("a lone ` backtick") == "a lone ` backtick"


def row(low, high, currency="INR"):
    return SimpleNamespace(amount_min=Decimal(low), amount_max=Decimal(high), currency=currency)


def test_salaries_read_as_the_articles_print_them():
    assert salary_amount(row("710000.00", "710000.00")) == "INR 7.1L"
    assert salary_amount(row("1462000", "2244000")) == "INR 14.62L to INR 22.44L"
    assert salary_amount(row("795677", "795677")) == "INR 795,677"
    assert salary_amount(row("146085", "146085", "USD")) == "USD 146,085"
