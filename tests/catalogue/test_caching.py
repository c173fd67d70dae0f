"""The catalogue's version is read once per request, and what is built from it is kept per process
until the version changes: a catalogue edit shows on the next page, never a stale copy."""

from __future__ import annotations

import weakref

import pytest
from django.core import signals
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue import caching, selectors, services
from catalogue.models import CareerMilestone, CatalogueState, Role

pytestmark = pytest.mark.django_db


# What the request signals call (sending the signals themselves would also close the test's
# database connection, as Django does between requests).
def in_request():
    caching.request_started()


def request_done():
    caching.request_finished()


def test_the_request_signals_reach_the_catalogue():
    assert any(receiver is caching.request_started for receiver in live(signals.request_started))
    assert any(receiver is caching.request_finished for receiver in live(signals.request_finished))


def live(signal):
    return [
        ref() if isinstance(ref, weakref.ReferenceType) else ref for _key, ref, *_rest in signal.receivers
    ]


def test_inside_a_request_the_version_is_read_once_and_outside_every_time(small_catalogue):
    version = selectors.catalogue_version()
    in_request()
    try:
        with CaptureQueriesContext(connection) as queries:
            assert selectors.catalogue_version() == version
            CatalogueState.objects.filter(pk=1).update(version="changed-elsewhere")
            assert selectors.catalogue_version() == version  # the request goes on with what it read
        assert len(queries) == 2  # the read and the update
    finally:
        request_done()
    in_request()
    try:
        assert selectors.catalogue_version() == "changed-elsewhere"  # the next request reads it
    finally:
        request_done()
    with CaptureQueriesContext(connection) as queries:
        selectors.catalogue_version()
        selectors.catalogue_version()
    assert len(queries) == 2


def test_a_change_made_during_a_request_is_seen_by_the_rest_of_it(small_catalogue):
    in_request()
    try:
        before = selectors.catalogue_version()
        Role.objects.filter(slug="data-scientist").update(name="Data Science Person")
        after = services.refresh_catalogue_version()
        assert after != before
        assert selectors.catalogue_version() == after
        assert selectors.role_names()["data-scientist"] == "Data Science Person"
    finally:
        request_done()


def test_kept_data_is_built_once_per_version_and_dropped_when_it_changes():
    built = []

    def build():
        built.append(1)
        return len(built)

    assert caching.local("v1", "thing", build) == 1
    assert caching.local("v1", "thing", build) == 1
    assert caching.local("v2", "thing", build) == 2
    assert caching.local("v1", "thing", build) == 3  # one version at a time: v1 was dropped
    assert len(caching.LOCAL) == 1


def test_a_renamed_milestone_shows_on_the_next_page(user_client, small_catalogue):
    page = user_client.get(reverse("roadmap")).content.decode()
    assert "A certification" in page
    CareerMilestone.objects.filter(slug="certification").update(name="An industry certificate")
    services.refresh_catalogue_version()  # as the admin and the loader do after every change
    page = user_client.get(reverse("roadmap")).content.decode()
    assert "An industry certificate" in page and "A certification" not in page


def test_a_page_reads_the_version_once_however_many_kept_things_it_uses(user_client, small_catalogue):
    user_client.get(reverse("roadmap"))
    with CaptureQueriesContext(connection) as queries:
        user_client.get(reverse("roadmap"))
    reads = [q for q in queries.captured_queries if "catalogue_cataloguestate" in q["sql"]]
    assert len(reads) == 1
    # and nothing the roadmap keeps per version (the milestones, the salary figures) is read again
    kept = ('FROM "catalogue_careermilestone"', 'FROM "catalogue_salarybenchmark"')
    assert not [q["sql"] for q in queries.captured_queries if any(table in q["sql"] for table in kept)]


def test_kept_values_are_built_once_and_the_oldest_goes_past_the_limit():
    store: dict[str, int] = {}
    built: list[str] = []

    def build(key: str):
        def make() -> int:
            built.append(key)
            return len(built)

        return make

    assert caching.kept(store, "a", build("a"), 2) == 1
    assert caching.kept(store, "a", build("a"), 2) == 1  # kept: not built again
    assert caching.kept(store, "b", build("b"), 2) == 2
    assert caching.kept(store, "c", build("c"), 2) == 3  # "a", the oldest, makes room
    assert list(store) == ["b", "c"] and built == ["a", "b", "c"]
    assert caching.kept(store, "a", build("a"), 2) == 4
