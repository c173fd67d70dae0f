"""Catalogue text (question prompts, options, explanations) as safe HTML.

Catalogue text is Markdown: fenced code blocks (highlighted on the server with Pygments, as CSS
classes so the Content-Security-Policy needs no inline style), inline code, emphasis, lists and
links. Raw HTML in the text is never passed through: markdown-it runs with HTML off, and nh3
sanitises what it produces against a short allow-list, so no catalogue text can add markup, a
script or a ``javascript:`` link to a page. Results are cached by the text itself.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "span", "div", "ul", "ol", "li",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"span": {"class"}, "div": {"class"}, "code": {"class"}, "pre": {"class"}, "a": {"href"}}
FORMATTER = HtmlFormatter(nowrap=True)


def _highlight(code: str, language: str, _attrs: str) -> str:
    """A fenced block as ``<pre class="highlight"><code>`` with Pygments' token classes."""
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return '<pre class="highlight"><code>' + highlight(code, lexer, FORMATTER) + "</code></pre>"


_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "highlight": _highlight})


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@lru_cache(maxsize=8192)
def render_block(text: str) -> str:
    """Markdown with paragraphs and fenced code, as sanitised HTML."""
    return _clean(_MD.render(text or ""))


@lru_cache(maxsize=8192)
def render_inline(text: str) -> str:
    """One line of Markdown (an option of a question) without paragraphs, as sanitised HTML.

    An option that holds a fenced block is rendered as a block.
    """
    text = text or ""
    if "```" in text:
        return render_block(text)
    return _clean(_MD.renderInline(text))
