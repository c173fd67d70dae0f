"""The two articles the catalogue is built from, named by the file names its citations use.

A catalogue entry taken from an article cites it as ``<file>#<section>``; people see the
article's title, linked, and the section instead of the file name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    title: str
    url: str


ARTICLES: dict[str, Article] = {
    "000_30d3a4d8a395521c.txt": Article(
        title="What is a Machine Learning Engineer? Skills, Salary, and Career Path",
        url="https://www.upgrad.com/blog/what-is-a-machine-learning-engineer",
    ),
    "003_7b66ddfa3a052512.txt": Article(
        title="What Does a Machine Learning Engineer do? Roles, Responsibilities & Skills",
        url="https://www.upgrad.com/blog/what-does-a-machine-learning-engineer-do/",
    ),
}


@dataclass(frozen=True)
class Citation:
    """A citation of one of the articles: the article and the section cited (may be empty)."""

    article: Article
    section: str


def cite(source: str) -> Citation | None:
    """The article and section a ``<file>#<section>`` source names, or None for any other source."""
    name, _, section = str(source).partition("#")
    article = ARTICLES.get(name.strip())
    return Citation(article=article, section=section.strip()) if article else None
