"""The templates in TRANSLATED_TEMPLATES show no user-facing text outside the i18n tags.

Every word a visitor reads must reach the translation catalogue: inside {% translate %} or
{% blocktranslate %}, or through _("...") in a tag's argument. This reads each template's source:
the text left once the i18n blocks, template tags, comments, HTML tags, and <script>/<style>
contents are taken out must have no letters, apart from ALLOWED_WORDS. The attributes a visitor or
a screen reader meets (aria-label, title, alt, placeholder, a meta description) are checked too, and
so are phrases handed to a tag as a string literal (an include's caption="...", |default:"...").

Catalogue content (skill names, questions, resources...) comes from the database through
{{ variables }}, so it never shows up here.
"""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.template.base import Lexer, TokenType

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

# The templates whose text is all marked for translation, as glob patterns under templates/.
# Add a directory's pattern here once its templates are converted; a new template matching a
# pattern is checked from the start.
TRANSLATED_TEMPLATES = [
    "404.html",
    "413.html",
    "500.html",
    "account/*.html",
    "account/snippets/*.html",
    "accounts/*.html",
    "allauth/**/*.html",
    "api/*.html",
    "assessments/*.html",
    "base.html",
    "admin/**/*.html",
    "catalogue/*.html",
    "includes/*.html",
    "pages/dashboard.html",
    "pages/home.html",
    "pages/how_we_score.html",
    "pages/privacy.html",
    "pages/sample_banner.html",
    "pages/sample_missing.html",
    "roadmap/*.html",
    "roadmap/email/*",
]

# Words that stay as they are in every language.
ALLOWED_WORDS = {
    "careerpath",  # the brand name
}

I18N_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
TRANSLATED_ATTRIBUTES = ("aria-label", "aria-description", "title", "alt", "placeholder")
LETTERS = re.compile(r"[^\W\d_]+")
COMMENTS_AND_CODE = re.compile(
    r"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>", re.DOTALL | re.IGNORECASE
)
HTML_TAG = re.compile(r"<[^>]*>")
ATTRIBUTE = re.compile(r"""\s([\w-]+)\s*=\s*("[^"]*"|'[^']*')""")
ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
# A literal in {% include ... with name="..." %} or {% with %}, and a |default:"..." argument
# (not one wrapped in _(...)).
ARGUMENT_LITERAL = re.compile(r"""(?<![_\w])(?:\w+=|default:)("[^"]*"|'[^']*')""")


def template_files() -> list[str]:
    files = {
        path.relative_to(TEMPLATES_DIR).as_posix()
        for pattern in TRANSLATED_TEMPLATES
        for path in TEMPLATES_DIR.glob(pattern)
        if path.is_file()
    }
    return sorted(files)


def has_words(text: str) -> list[str]:
    return [word for word in LETTERS.findall(text) if word not in ALLOWED_WORDS]


def is_phrase(literal: str) -> bool:
    """A quoted literal that reads as words: it has a space or starts with a capital letter."""
    words = literal[1:-1]
    return bool(has_words(words)) and (" " in words or words[:1].isupper())


def untranslated(source: str) -> list[str]:
    """The pieces of a template's source that a visitor would read untranslated."""
    found = []
    outside = []  # the text outside i18n blocks, template tags and comments
    closing = None  # the tag that ends the i18n block or comment we are in
    for token in Lexer(source).tokenize():
        is_tag = token.token_type in (TokenType.VAR, TokenType.BLOCK)
        name = token.split_contents()[0] if token.token_type == TokenType.BLOCK else ""
        shown = (
            f"{{{{ {token.contents} }}}}"
            if token.token_type == TokenType.VAR
            else f"{{% {token.contents} %}}"
        )
        if closing:
            if name == closing:
                closing = None
            elif (
                token.token_type == TokenType.VAR
                and closing in I18N_BLOCKS.values()
                and not re.fullmatch(r"\w+", token.contents)
            ):
                # {% blocktranslate %} looks the whole expression up as one name: it would show nothing.
                found.append(f"{shown} inside {{% {closing.removeprefix('end')} %}}")
            continue
        if name in I18N_BLOCKS:
            closing = I18N_BLOCKS[name]
        elif name == "comment":
            closing = "endcomment"
        elif token.token_type == TokenType.TEXT:
            outside.append(token.contents)
            continue
        elif is_tag and any(is_phrase(literal) for literal in ARGUMENT_LITERAL.findall(token.contents)):
            found.append(shown)
        # A tag's output is not part of a word around it.
        outside.append(" ")
    text = COMMENTS_AND_CODE.sub(" ", "".join(outside))
    for tag in HTML_TAG.findall(text):
        attributes = {key.lower(): value[1:-1] for key, value in ATTRIBUTE.findall(tag)}
        checked = [attributes.get(key, "") for key in TRANSLATED_ATTRIBUTES]
        if tag.lower().startswith("<meta") and attributes.get("name") == "description":
            checked.append(attributes.get("content", ""))
        found.extend(f"{tag.split()[0]}>: {value}" for value in checked if has_words(value))
    text = ENTITY.sub(" ", HTML_TAG.sub("\n", text))
    found.extend(line.strip() for line in text.splitlines() if has_words(line))
    return found


@pytest.mark.parametrize("name", template_files())
def test_template_text_is_marked_for_translation(name):
    source = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
    assert untranslated(source) == [], f"{name} has text outside the i18n tags"


@pytest.mark.parametrize("name", template_files())
def test_template_compiles(name):
    """The i18n tags are well formed (a {% blocktranslate %} takes its values after "with", for one)."""
    engines["django"].from_string((TEMPLATES_DIR / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("pattern", TRANSLATED_TEMPLATES)
def test_every_pattern_names_templates(pattern):
    assert any(path.is_file() for path in TEMPLATES_DIR.glob(pattern)), pattern


def test_the_check_finds_untranslated_text():
    source = (
        '{% load i18n %}<p title="Open it">{% translate "Fine" %} Stray words</p>'
        '{% include "x.html" with caption="A caption" %}{% include "x.html" with caption=_("Fine") %}'
        "{{ value|default:'Nothing' }}"
        "{% blocktranslate trimmed with n=1 %}Also fine {{ n }}{% endblocktranslate %}"
        "<script>let ignored = 1;</script>{# ignored #}{% comment %}ignored{% endcomment %}"
        "<p>careerpath &middot; {{ value }}</p>"
        "{% blocktranslate %}Not shown: {{ skill.name }}{% endblocktranslate %}"
    )
    assert untranslated(source) == [
        '{% include "x.html" with caption="A caption" %}',
        "{{ value|default:'Nothing' }}",
        "{{ skill.name }} inside {% blocktranslate %}",
        "<p>: Open it",
        "Stray words",
    ]
