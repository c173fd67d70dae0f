"""The real catalogue: it covers the articles' skills, cites its sources, and its content is sound."""

from __future__ import annotations

import pytest

from catalogue.models import Skill

pytestmark = pytest.mark.django_db


# --- coverage of the articles -------------------------------------------------------------

# The technical and soft skills both articles name, typed here (never read from the fixtures).
ARTICLE_TERMS = [
    # 2019 article, skills required
    "linear algebra",
    "calculus",
    "Bayesian statistics",
    "mean",
    "median",
    "variance",
    "data modelling",
    "data architecture",
    "Python",
    "R",
    "Java",
    "C++",
    "Hadoop",
    "Spark",
    "Pig",
    "Hive",
    "Flume",
    "TensorFlow",
    "Keras",
    "Scikit learn",
    "Theano",
    "Matplotlib",
    "Caffe",
    "written communication",
    "verbal communication",
    "interpersonal skills",
    "collaboration",
    # 2025 article: certifications, FAQ, comparison table
    "tokenization",
    "stemming",
    "lemmatization",
    "sentiment analysis",
    "NLTK",
    "spaCy",
    "language modeling",
    "neural network design",
    "optimization",
    "backpropagation",
    "PyTorch",
    "hyperparameter tuning",
    "algorithm design",
    "computational complexity analysis",
    "debugging",
    "problem-solving",
    "AWS",
    "Google Cloud",
    "data visualization",
    "exploratory data analysis",
    "statistics",
    # 2019 article, responsibilities
    "retraining",
    "deployment",
    "monitoring",
]


def test_every_article_term_is_covered_by_a_published_skill(full_catalogue):
    names = []
    for skill in Skill.objects.filter(is_published=True):
        names.append(skill.name.lower())
        names.extend(term.lower() for term in skill.covered_terms)
    missing = [
        term
        for term in ARTICLE_TERMS
        if term.lower() not in names and not any(term.lower() in n.split(" / ") for n in names)
    ]
    assert missing == []


def test_sources_cite_the_seed_sections_or_editorial(full_catalogue):
    seeds = {"000_30d3a4d8a395521c.txt", "003_7b66ddfa3a052512.txt"}
    for skill in Skill.objects.all():
        assert skill.source == "editorial" or skill.source.split("#")[0] in seeds, skill.slug


# --- the content of the real catalogue -----------------------------------------------------------


def targets(role: str, seniority: str) -> dict[str, int]:
    """Each skill's importance-weighted target (level x weight) for a role at a seniority."""
    from catalogue.models import RoleTarget

    rows = RoleTarget.objects.filter(role__slug=role, seniority=seniority)
    return {
        slug: level * weight for slug, level, weight in rows.values_list("skill__slug", "level", "weight")
    }


@pytest.mark.parametrize("seniority", ["entry", "mid", "senior"])
def test_role_targets_follow_the_articles_comparison_table(full_catalogue, seniority):
    """Data Scientists need more statistics and communication; ML engineers more production skills."""
    mle, ds = targets("machine-learning-engineer", seniority), targets("data-scientist", seniority)
    current = set(Skill.objects.filter(is_historical=False).values_list("slug", flat=True))
    assert set(mle) == current
    assert set(ds) <= current
    for slug in (
        "descriptive-statistics",
        "probability-bayesian-statistics",
        "data-visualization",
        "exploratory-data-analysis",
        "communication",
    ):
        assert ds[slug] > mle[slug], (seniority, slug)
    for slug in (
        "model-deployment",
        "model-monitoring-retraining",
        "mlops-tooling",
        "hadoop-ecosystem",
        "spark",
        "tensorflow-keras",
        "pytorch",
        "software-engineering-practice",
        "software-testing",
    ):
        assert mle[slug] > ds.get(slug, 0), (seniority, slug)


def test_every_question_has_four_choices_and_keys_are_spread_over_the_labels(full_catalogue):
    from collections import Counter

    from catalogue.models import Choice

    per_question = Counter(Choice.objects.values_list("question__key", flat=True))
    assert set(per_question.values()) == {4}
    keyed = Counter(Choice.objects.filter(is_correct=True).values_list("label", flat=True))
    total = sum(keyed.values())
    assert all(0.2 <= keyed[label] / total <= 0.3 for label in "ABCD"), keyed


def test_hours_are_realistic(full_catalogue):
    """Reaching proficiency in a major framework takes months, not days."""
    from catalogue.models import LevelAnchor

    hours = dict(LevelAnchor.objects.filter(skill__slug="pytorch").values_list("level", "hours_to_reach"))
    assert hours[0] == 0
    assert hours[1] < hours[2] < hours[3] < hours[4]
    assert hours[3] >= 100
    # Months at 10 hours a week, as the cited courses and books add up (docs/catalogue/targets.md).
    assert sum(hours[level] for level in (1, 2, 3)) >= 200


def test_every_hour_figure_cites_where_it_comes_from(full_catalogue):
    """Hours per level are derived from named courses, books or syllabi, never left unexplained."""
    from catalogue.models import LevelAnchor

    unexplained = LevelAnchor.objects.filter(level__gt=0, hours_source="").values_list("skill__slug", "level")
    assert list(unexplained) == []


def test_each_seniority_takes_longer_than_the_one_below(full_catalogue):
    """The hours from zero grow with seniority (the totals themselves are reported, never tuned)."""
    from catalogue import selectors

    totals = {str(o.key): o.hours_from_zero for o in selectors.target_overview()}
    assert totals["machine-learning-engineer:entry"] < totals["machine-learning-engineer:mid"]
    assert totals["machine-learning-engineer:mid"] < totals["machine-learning-engineer:senior"]


def test_legacy_frameworks_say_what_replaced_them(full_catalogue):
    legacy = Skill.objects.get(slug="legacy-frameworks")
    text = legacy.description.lower()
    assert "theano" in text and "caffe" in text and "pytorch" in text
