"""The blind review of the question bank: records per skill, and the figures they give.

Pure: review records and questions come in as plain data; figures and problems come out. A
record (``fixtures/reviews/<skill>.yaml``) keeps, per question key, the content hash of the
question as reviewed, the key and level tag it had, the knowledgeable reviewer's answer and
judged level, and the test-wise reviewer's three attempts and cue (docs/catalogue/questions.md).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MSG_NEVER_REVIEWED = "question {key!r} was never reviewed blind"
MSG_CHANGED = "question {key!r} changed after its review; review it again"


@dataclass(frozen=True)
class Review:
    """One question's blind review."""

    key: str
    skill: str
    content_hash: str
    answer_key: str
    tag: int
    expert_answer: str | None
    judged_level: int | None
    confidence: str
    note: str
    testwise_attempts: tuple[str, ...]
    testwise_cue: str

    @property
    def expert_agrees(self) -> bool:
        return self.expert_answer == self.answer_key

    @property
    def testwise_right(self) -> int:
        return sum(1 for a in self.testwise_attempts if a == self.answer_key)

    @property
    def leaks(self) -> bool:
        """The test-wise reviewer got it right at least twice out of three with a named cue."""
        return self.testwise_right >= 2 and self.testwise_cue.strip().lower() not in {"", "none"}


def reviews_from_record(record: Mapping[str, Any]) -> list[Review]:
    """The reviews of one skill's record file."""
    skill = record["skill"]
    out = []
    for key, entry in sorted(record.get("questions", {}).items()):
        expert = entry.get("expert") or {}
        testwise = entry.get("testwise") or {}
        out.append(
            Review(
                key=key,
                skill=skill,
                content_hash=entry["content_hash"],
                answer_key=entry["key"],
                tag=int(entry["tag"]),
                expert_answer=expert.get("answer"),
                judged_level=expert.get("judged_level"),
                confidence=expert.get("confidence", ""),
                note=expert.get("note", ""),
                testwise_attempts=tuple(testwise.get("attempts", ())),
                testwise_cue=testwise.get("cue", ""),
            )
        )
    return out


def review_problems(current: Mapping[str, str], reviews: Iterable[Review]) -> list[str]:
    """Questions (key -> content hash now) never reviewed, or changed since their review."""
    by_key = {r.key: r for r in reviews}
    problems = []
    for key, content_hash in sorted(current.items()):
        review = by_key.get(key)
        if review is None:
            problems.append(MSG_NEVER_REVIEWED.format(key=key))
        elif review.content_hash != content_hash:
            problems.append(MSG_CHANGED.format(key=key))
    return problems


@dataclass(frozen=True)
class Figures:
    """What the review says of the bank, against the question-bank issue's targets."""

    questions: int
    expert_reviewed: int
    key_agreed: int
    mean_abs_level_diff_by_tag: dict[int, float]
    off_by_one_or_more: int
    testwise_reviewed: int
    leaks: int

    def as_rows(self) -> list[tuple[str, str]]:
        share = lambda n, d: f"{n} of {d} ({100 * n / d:.1f}%)" if d else "n/a"  # noqa: E731
        rows = [
            ("questions in the bank", str(self.questions)),
            ("reviewed by a knowledgeable reviewer", share(self.expert_reviewed, self.questions)),
            ("reviewer's answer = key", share(self.key_agreed, self.expert_reviewed)),
            (
                "judged level off the tag by a level or more",
                share(self.off_by_one_or_more, self.expert_reviewed),
            ),
            (
                "reviewed by a test-wise reviewer (first review round)",
                share(self.testwise_reviewed, self.questions),
            ),
            (
                "that reviewer right 2 of 3 with a named cue (it knew the subject, so this is no"
                " test-wise figure: see the mechanical cues)",
                share(self.leaks, self.testwise_reviewed),
            ),
        ]
        rows += [
            (f"mean |judged - tag| at tag {tag}", f"{diff:.2f}")
            for tag, diff in sorted(self.mean_abs_level_diff_by_tag.items())
        ]
        return rows


def figures(questions: int, reviews: Iterable[Review]) -> Figures:
    reviews = list(reviews)
    expert = [r for r in reviews if r.expert_answer and r.judged_level is not None]
    diffs: dict[int, list[int]] = defaultdict(list)
    for r in expert:
        diffs[r.tag].append(abs(int(r.judged_level or 0) - r.tag))
    testwise = [r for r in reviews if len(r.testwise_attempts) == 3]
    return Figures(
        questions=questions,
        expert_reviewed=len(expert),
        key_agreed=sum(1 for r in expert if r.expert_agrees),
        mean_abs_level_diff_by_tag={tag: sum(d) / len(d) for tag, d in diffs.items()},
        off_by_one_or_more=sum(1 for r in expert if abs(int(r.judged_level or 0) - r.tag) >= 1),
        testwise_reviewed=len(testwise),
        leaks=sum(1 for r in testwise if r.leaks),
    )


# --- a mechanical test-wise baseline ------------------------------------------------------------
# Surface cues a test-wise student uses, computed without any knowledge of the subject, so the
# figure cannot be inflated by a reviewer who knows the answers.

_WORD = re.compile(r"[a-z0-9_]+")
_HEDGES = ("may", "might", "can", "usually", "often", "depends", "typically", "about", "roughly")
_ABSOLUTES = ("always", "never", "only", "all", "none", "every", "must", "cannot", "any")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2}


def cue_guesses(prompt: str, options: Mapping[str, str]) -> dict[str, str]:
    """The option each surface cue points at: longest, most echo of the prompt, most like the others,
    the only hedged one (or, failing that, the only one without an absolute word)."""
    labels = sorted(options)
    prompt_words = _words(prompt)
    words = {label: _words(options[label]) for label in labels}

    def best(score: Mapping[str, float]) -> str:
        return max(labels, key=lambda label: (score[label], -labels.index(label)))

    def overlap(a: set[str], b: set[str]) -> float:
        return len(a & b) / (len(a | b) or 1)

    guesses = {
        "longest": best({label: len(options[label]) for label in labels}),
        "echo": best({label: len(words[label] & prompt_words) for label in labels}),
        "convergence": best(
            {
                label: sum(overlap(words[label], words[other]) for other in labels if other != label)
                for label in labels
            }
        ),
    }
    hedged = [label for label in labels if words[label] & set(_HEDGES)]
    plain = [label for label in labels if not words[label] & set(_ABSOLUTES)]
    if len(hedged) == 1:
        guesses["hedge"] = hedged[0]
    elif len(plain) == 1:
        guesses["hedge"] = plain[0]
    return guesses


def cue_leaks(prompt: str, options: Mapping[str, str], key: str) -> bool:
    """Whether most surface cues (at least two, more than any other option) point at the key."""
    votes = Counter(cue_guesses(prompt, options).values())
    top, count = votes.most_common(1)[0]
    return top == key and count >= 2 and list(votes.values()).count(count) == 1


@dataclass(frozen=True)
class TagStatus:
    """How the level tags stand against the latest blind judgement."""

    retagged: tuple[str, ...]  # tag changed after the review to the judged level
    still_off: tuple[str, ...]  # tag now off the judged level by a level or more


def tag_status(current_tags: Mapping[str, int], reviews: Iterable[Review]) -> TagStatus:
    """Questions retagged to their judged level since their review, and those still off it."""
    retagged, still_off = [], []
    for review in reviews:
        tag = current_tags.get(review.key)
        if tag is None or review.judged_level is None:
            continue
        if tag != review.tag and tag == review.judged_level:
            retagged.append(review.key)
        if abs(tag - review.judged_level) >= 1:
            still_off.append(review.key)
    return TagStatus(retagged=tuple(sorted(retagged)), still_off=tuple(sorted(still_off)))


def reviewer_agreement(records: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """(same judged level, questions) over questions judged by two reviewers in the same form."""
    same = total = 0
    for record in records:
        for entry in record.get("questions", {}).values():
            earlier = [
                h
                for h in entry.get("history", ())
                if h.get("content_hash") == entry.get("content_hash") and h.get("expert")
            ]
            if not earlier or not entry.get("expert"):
                continue
            total += 1
            same += earlier[-1]["expert"].get("judged_level") == entry["expert"].get("judged_level")
    return same, total
