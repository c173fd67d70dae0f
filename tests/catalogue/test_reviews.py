"""The blind review records and their figures; the mechanical test-wise cues."""

from __future__ import annotations

from catalogue import reviews


def record(**questions) -> dict:
    return {"skill": "python", "questions": questions}


def entry(key="B", tag=2, answer="B", judged=2, attempts=("A", "C", "D"), cue="none", content_hash="h"):
    return {
        "key": key,
        "tag": tag,
        "content_hash": content_hash,
        "expert": {"answer": answer, "confidence": "high", "judged_level": judged, "note": ""},
        "testwise": {"attempts": list(attempts), "cue": cue},
    }


def test_figures_count_agreement_level_differences_and_leaks():
    found = reviews.reviews_from_record(
        record(
            a=entry(),
            b=entry(answer="C", judged=3),
            c=entry(tag=4, judged=3, attempts=("B", "B", "A"), cue="longest option"),
            d=entry(attempts=("B", "B", "B"), cue="none"),
        )
    )
    figures = reviews.figures(4, found)
    assert (figures.expert_reviewed, figures.key_agreed, figures.off_by_one_or_more) == (4, 3, 2)
    assert figures.mean_abs_level_diff_by_tag == {2: 1 / 3, 4: 1.0}
    assert figures.leaks == 1  # right twice with a named cue; a lucky guess with no cue is not a leak


def test_questions_never_reviewed_or_changed_after_review_are_reported():
    found = reviews.reviews_from_record(record(a=entry(content_hash="old")))
    assert reviews.review_problems({"a": "new", "b": "x"}, found) == [
        reviews.MSG_CHANGED.format(key="a"),
        reviews.MSG_NEVER_REVIEWED.format(key="b"),
    ]


def test_surface_cues_find_a_key_that_is_longest_and_echoes_the_prompt():
    options = {
        "A": "It fails",
        "B": "The shuffle spills to disk when memory runs out",
        "C": "It hangs",
        "D": "No",
    }
    guesses = reviews.cue_guesses("Why does the shuffle spill?", options)
    assert guesses["longest"] == "B" and guesses["echo"] == "B"
    assert reviews.cue_leaks("Why does the shuffle spill?", options, "B")
    assert not reviews.cue_leaks("Why does the shuffle spill?", options, "A")


def test_tag_status_tells_retagged_questions_from_those_still_off():
    reviewed = reviews.reviews_from_record(
        record(
            a=entry(tag=4, judged=3),  # retagged to 3 since
            b=entry(tag=4, judged=3),  # still 4: off
            c=entry(tag=2, judged=2),
        )
    )
    status = reviews.tag_status({"a": 3, "b": 4, "c": 2}, reviewed)
    assert status.retagged == ("a",)
    assert status.still_off == ("b",)


def test_reviewer_agreement_compares_two_reviews_of_the_same_form_only():
    def judged(level, content, history=()):
        return {"content_hash": content, "expert": {"judged_level": level}, "history": list(history)}

    stored = {
        "questions": {
            "same": judged(3, "h1", [judged(3, "h1")]),
            "differs": judged(2, "h2", [judged(3, "h2")]),
            "rewritten": judged(4, "new", [judged(3, "old")]),
            "once": judged(1, "h3"),
        }
    }
    assert reviews.reviewer_agreement([stored]) == (1, 2)
