"""Citations of the source articles read as the article's title, linked, and the section."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue import sources
from catalogue.models import Skill

pytestmark = pytest.mark.django_db


def test_a_skill_cites_its_source_article_by_title_and_section(client, small_catalogue):
    Skill.objects.filter(slug="python").update(source="003_7b66ddfa3a052512.txt#responsibilities")
    body = client.get(reverse("catalogue_skill", args=["python"])).content.decode()
    article = sources.ARTICLES["003_7b66ddfa3a052512.txt"]
    assert (
        f'source: <a href="{article.url}" rel="noopener noreferrer">'
        "What Does a Machine Learning Engineer do? Roles, Responsibilities &amp; Skills</a>, section responsibilities"
    ) in body
    assert ".txt" not in body


def test_every_seed_file_has_a_title_and_an_address():
    assert set(sources.ARTICLES) == {"000_30d3a4d8a395521c.txt", "003_7b66ddfa3a052512.txt"}
    for article in sources.ARTICLES.values():
        assert article.title and article.url.startswith("https://")
    assert sources.cite("editorial") is None
    assert sources.cite("Glassdoor") is None
    citation = sources.cite("000_30d3a4d8a395521c.txt#faq")
    assert citation is not None and citation.section == "faq"
