"""Catalogue text as Markdown: fenced code highlighted on the server, and no raw HTML ever."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from catalogue.markdown import render_block, render_inline


def test_a_fenced_python_block_is_highlighted_with_classes_not_inline_styles():
    html = render_block("Read this:\n\n```python\nx = [1, 2]\nprint(len(x))\n```\n")
    assert '<pre class="highlight"><code>' in html
    assert '<span class="nb">print</span>' in html
    assert "style=" not in html


def test_raw_html_and_script_links_in_catalogue_text_never_become_markup():
    html = render_block("<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))")
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_an_option_renders_inline_code_without_a_paragraph():
    assert render_inline("Call `df.merge()` first") == "Call <code>df.merge()</code> first"


def test_an_option_holding_a_fenced_block_renders_the_block():
    assert '<pre class="highlight">' in render_inline("```sql\nSELECT 1;\n```")


@given(st.text(max_size=200))
def test_no_text_produces_a_script_or_an_event_handler(text):
    html = render_block(text) + render_inline(text)
    assert "<script" not in html.lower() and "onerror=" not in html.lower()
