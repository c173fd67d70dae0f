"""The base layout's header and footer, rendered once per process instead of on every page.

``{% layout_header %}`` and ``{% layout_footer %}`` (a template library registered as ``layout`` in
the settings) print templates/includes/header.html and footer.html. What those show depends on the
language, the script prefix, and for the header on the kind of visitor (logged in, staff, on a
public sample page), so each is rendered once per such key and kept. Two things in the header are
the request's own: the CSRF token of the log-out form and the path the language switch comes back
to. The header is kept with stand-ins in their place (the token's is ``catalogue.caching``'s), each
replaced as the whole ``name=... value=...`` pair, which no escaped text can contain, and the
request's values go in on the way out.

``{% kept "name" value ... %}...{% endkept %}`` does the same for a part of a page: the block is
rendered once per process for its name, the language, the script prefix and the values listed (which
must be everything the block shows that can differ), and kept; forms inside carry this request's
CSRF token. A page keeps with it what is the same for everyone, or for everyone in the same state
(the roadmap's actions, an unfilled form), and renders the rest.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from catalogue import caching

from .context_processors import LAYOUT_CACHE_LIMIT

register = template.Library()

NEXT_PLACEHOLDER = "careerpath-next-placeholder"
NEXT_FIELD = 'name="next" value="{}"'

_kept: dict[tuple[Any, ...], str] = {}
_blocks: dict[tuple[Hashable, ...], str] = {}  # {% kept %}, the oldest dropped past BLOCKS_LIMIT
BLOCKS_LIMIT = 4096


def _render(name: str, key: tuple[Any, ...], page: template.Context, context: dict[str, Any]) -> str:
    """``name`` rendered with ``context`` and the page's layout links (careerpath.context_processors), kept by ``key``."""

    def build() -> str:
        shared = {part: page.get(part) for part in ("layout_urls", "interface_languages")}
        return get_template(name).render(shared | context)

    return caching.kept(_kept, key, build, LAYOUT_CACHE_LIMIT * 8)


@register.simple_tag(takes_context=True)
def layout_header(context: template.Context) -> SafeString:
    """The header: navigation for this visitor and the language switch, with this request's token and path."""
    user = context.get("user")
    signed_in = user is not None and bool(user.is_authenticated)
    staff = user is not None and signed_in and bool(user.is_staff)
    sample = bool(context.get("sample"))
    language = translation.get_language()
    html = _render(
        "includes/header.html",
        ("header", get_script_prefix(), language, signed_in, staff, sample),
        context,
        {
            "user": {"is_authenticated": signed_in, "is_staff": staff},
            "sample": sample,
            "LANGUAGE_CODE": language,
            "csrf_token": caching.TOKEN_PLACEHOLDER,
            "next_path": NEXT_PLACEHOLDER,
        },
    )
    if signed_in:  # only the log-out form carries a token: a visitor's page sets no cookie
        html = caching.put_token(html, str(context["csrf_token"]))
    if not sample:
        request = context.get("request")
        path = request.get_full_path() if request is not None else ""
        html = html.replace(NEXT_FIELD.format(NEXT_PLACEHOLDER), NEXT_FIELD.format(escape(path)))
    return mark_safe(html)  # our own template's output, escaped there; the values put in are escaped


@register.simple_tag(takes_context=True)
def layout_footer(context: template.Context) -> SafeString:
    """The footer, the same on every page in a language."""
    key = ("footer", get_script_prefix(), translation.get_language())
    return mark_safe(_render("includes/footer.html", key, context, {}))


def _hashable(value: Any) -> Hashable:
    """A block's key value: lists (a multiple choice's initial value) as tuples."""
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    return value if isinstance(value, Hashable) else repr(value)


class KeptNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, values: list[Any]) -> None:
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context: template.Context) -> SafeString:
        key = (
            self.name,
            get_script_prefix(),
            translation.get_language(),
            *(_hashable(value.resolve(context)) for value in self.values),
        )

        def build() -> str:
            with context.push(csrf_token=caching.TOKEN_PLACEHOLDER):
                html = str(self.nodelist.render(context))
            if caching.token_outside_forms(html):  # it would be kept, and shown, as it is
                raise template.TemplateSyntaxError(
                    f"{{% kept '{self.name}' %}} prints the CSRF token outside a form's {{% csrf_token %}}:"
                    " leave that part out of the block"
                )
            return html

        html = caching.kept(_blocks, key, build, BLOCKS_LIMIT)
        if caching.TOKEN_PLACEHOLDER in html:
            html = caching.put_token(html, str(context.get("csrf_token", "")))
        return mark_safe(html)  # our own template's output, escaped there; the token is escaped


@register.tag("kept")
def do_kept(parser: template.base.Parser, token: template.base.Token) -> KeptNode:
    """``{% kept "name" value ... %}...{% endkept %}`` (see the module's docstring)."""
    bits = token.split_contents()
    if len(bits) < 2 or len(bits[1]) < 3 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            "{% kept %} takes the block's name in quotes, then the values what it shows depends on"
        )
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])


def forget(**kwargs: Any) -> None:
    """A changed setting (in tests: URLconf, static storage, languages) may change what they show."""
    _kept.clear()
    _blocks.clear()


setting_changed.connect(forget, dispatch_uid="careerpath.layout.forget")
