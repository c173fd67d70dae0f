"""``{% kept %}``: a part of a page rendered once per process for its name, language and values, with
each request's own CSRF token in its forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.template.backends.django import DjangoTemplates
from django.utils import translation

from careerpath import layout

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture
def engine() -> Iterator[Engine]:
    layout._blocks.clear()
    backend = DjangoTemplates(
        {
            "NAME": "kept-test",
            "DIRS": [],
            "APP_DIRS": False,
            "OPTIONS": {"libraries": {"layout": "careerpath.layout"}},
        }
    )
    yield backend.engine
    layout._blocks.clear()


def render(engine: Engine, source: str, **values: object) -> str:
    return engine.from_string("{% load i18n layout %}" + source).render(Context(values))


def test_a_block_is_rendered_once_for_its_name_and_values(engine):
    source = '{% kept "greeting" who %}Hello {{ who }}, seen {{ count }} times{% endkept %}'
    assert render(engine, source, who="Asha", count=1) == "Hello Asha, seen 1 times"
    # What is not in the key comes from what was kept: the key must name all the block shows.
    assert render(engine, source, who="Asha", count=2) == "Hello Asha, seen 1 times"
    assert render(engine, source, who="Ravi", count=3) == "Hello Ravi, seen 3 times"
    other = '{% kept "other" who %}Bye {{ who }}{% endkept %}'
    assert render(engine, other, who="Asha") == "Bye Asha"  # another name, another block


def test_a_list_value_keys_the_block_like_the_same_tuple(engine):
    source = '{% kept "ticked" held %}{{ held|join:"," }}{% endkept %}'
    assert render(engine, source, held=["a", "b"]) == "a,b"
    assert render(engine, source, held=("a", "b")) == "a,b"
    assert render(engine, source, held=["b"]) == "b"


def test_each_language_has_its_own_block(engine):
    source = '{% kept "save" %}{% translate "Save milestones" %}{% endkept %}'
    with translation.override("en"):
        english = render(engine, source)
    with translation.override("hi"):
        hindi = render(engine, source)
    with translation.override("en"):
        assert render(engine, source) == english == "Save milestones"
    assert hindi != english


def test_forms_in_a_kept_block_carry_each_requests_own_token(engine):
    source = '{% kept "form" %}<form method="post">{% csrf_token %}<button>Go</button></form>{% endkept %}'
    first = render(engine, source, csrf_token="token-one")
    second = render(engine, source, csrf_token="token-<two>")
    assert TOKEN.findall(first) == ["token-one"]
    assert TOKEN.findall(second) == ["token-&lt;two&gt;"]  # escaped on the way in
    assert first.replace("token-one", "") == second.replace("token-&lt;two&gt;", "")


def test_a_token_printed_outside_a_form_is_refused_rather_than_kept(engine):
    source = '{% kept "raw" %}<body data-token="{{ csrf_token }}">{% endkept %}'
    with pytest.raises(TemplateSyntaxError, match="outside a form"):
        render(engine, source, csrf_token="token-one")
    assert not layout._blocks


@pytest.mark.parametrize("tag", ["{% kept %}", "{% kept greeting %}", '{% kept "" %}', "{% kept 'x\" %}"])
def test_a_block_without_a_quoted_name_is_refused(engine, tag):
    with pytest.raises(TemplateSyntaxError, match="name in quotes"):
        engine.from_string("{% load layout %}" + tag + "x{% endkept %}")


def test_past_the_limit_the_oldest_block_is_dropped(engine, monkeypatch):
    monkeypatch.setattr(layout, "BLOCKS_LIMIT", 3)
    source = '{% kept "n" n %}{{ n }}{% endkept %}'
    for n in range(5):
        render(engine, source, n=n)
    assert len(layout._blocks) == 3
    assert [key[-1] for key in layout._blocks] == [2, 3, 4]
