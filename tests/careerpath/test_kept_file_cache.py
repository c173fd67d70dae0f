"""The sessions' file cache without Redis keeps what it read (careerpath/file_cache.py).

Two cache objects on one folder stand for two processes on the machine. What one writes, deletes
or lets expire, the other must never serve from memory: a person signed out through one process
would otherwise stay signed in on another.
"""

from __future__ import annotations

import os
import time
from unittest import mock

import pytest

from careerpath import file_cache
from careerpath.file_cache import KeptFileBasedCache


@pytest.fixture
def processes(tmp_path):
    return KeptFileBasedCache(str(tmp_path), {}), KeptFileBasedCache(str(tmp_path), {})


def files_opened(cache: KeptFileBasedCache):
    return mock.patch("careerpath.file_cache.open", wraps=open)


def test_a_second_read_opens_no_file(processes):
    first, _ = processes
    first.set("session", {"user": 1})
    assert first.get("session") == {"user": 1}
    with files_opened(first) as opened:
        assert first.get("session") == {"user": 1}
        assert first.get_many(["session", "missing"]) == {"session": {"user": 1}}
    assert opened.call_count == 0


def test_what_another_process_writes_is_read_at_once(processes):
    first, second = processes
    second.set("session", {"language": "en"})
    assert first.get("session") == {"language": "en"}
    second.set("session", {"language": "fr"})  # the same size: the file is new all the same
    assert first.get("session") == {"language": "fr"}


def test_a_session_deleted_by_another_process_is_gone(processes):
    first, second = processes
    second.set("session", {"user": 7})
    assert first.get("session") == {"user": 7}
    second.delete("session")
    assert first.get("session", "gone") == "gone"
    second.set("session", {"user": 8})
    assert first.get("session") == {"user": 8}


def test_a_cleared_cache_is_gone_everywhere(processes):
    first, second = processes
    second.set("a", 1)
    assert first.get("a") == 1
    second.clear()
    assert first.get("a") is None


def test_an_expired_entry_is_not_served_and_its_file_goes(processes):
    first, second = processes
    second.set("marker", "retired", timeout=1)
    assert first.get("marker") == "retired"
    with mock.patch("careerpath.file_cache.time.time", return_value=time.time() + 2):
        assert first.get("marker") is None
    assert not os.path.exists(first._key_to_file("marker"))


def test_a_touched_entry_is_read_again(processes):
    first, second = processes
    second.set("a", 1, timeout=100)
    assert first.get("a") == 1
    time.sleep(0.01)
    assert second.touch("a", timeout=1)  # rewritten in place: its times change
    with mock.patch("careerpath.file_cache.time.time", return_value=time.time() + 2):
        assert first.get("a") is None


def test_changing_what_a_read_returned_changes_nothing_kept(processes):
    first, _ = processes
    first.set("session", {"items": [1]})
    first.get("session")["items"].append(2)
    assert first.get("session") == {"items": [1]}


def test_kept_values_are_bounded(processes, monkeypatch):
    first, _ = processes
    monkeypatch.setattr(file_cache, "KEPT_ENTRIES", 3)
    for name in "abcde":
        first.set(name, name)
        assert first.get(name) == name
    assert len(first._kept) == 3
    assert first.get_many(list("abcde")) == {name: name for name in "abcde"}
