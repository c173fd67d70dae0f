"""The form rules of a knowledge check (docs/catalogue/questions.md), as plain functions.

Pure: questions come in as plain data (prompt, explanation, source, choices) and problems come
out as sentences, so the question-file check, the catalogue validator and the tests share them.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .vocab import MAX_LEVEL, MIN_CHECK_LEVEL

LABELS = ("A", "B", "C", "D")
# Per published skill and level: at least this many active questions (level 4: see level_minimum).
MIN_PER_LEVEL = 8
MIN_AT_TOP_WHEN_TARGET_BELOW_3 = 4

FENCE = re.compile(r"^```([\w+-]*)\s*$")
BANNED_OPTIONS = re.compile(
    r"\b(all|none) of the (above|options|answers)\b|\bboth [a-d] and [a-d]\b", flags=re.IGNORECASE
)
# Strong signs of code (not of a formula such as "O(n log n)" or "z = (x - mean) / sd"): a
# statement keyword with code punctuation, a method call, an assignment of a string, list or dict,
# an interactive or shell prompt, an SQL statement. Such text belongs in a fence or in backticks.
CODE_LIKE = re.compile(
    r"^\s*(?:def|class|import|from|return|lambda|raise|assert)\s+[\w.]+.*$"
    r"|^\s*(?:for|while|if|elif|with|try|except)\b[^.?!]*:\s*$"
    r"|[A-Za-z_]\w*\.[A-Za-z_]\w*\("
    r"|[A-Za-z_]\w*\s*=\s*['\"\[{]"
    r"|^\s*(?:>>>|\$) \S"
    r"|^\s*(?:SELECT|INSERT|UPDATE|DELETE)\s.+\b(?:FROM|INTO|SET|WHERE)\b"
)

MSG_FOUR_CHOICES = "needs exactly four choices labelled A-D; has {labels}"
MSG_ONE_KEY = "needs exactly one correct choice; has {count}"
MSG_BANNED_OPTION = "option {label} is an 'all/none of the above'-style option"
MSG_NO_SOURCE = "cites no source (a documentation URL, a paper or a book section)"
MSG_NO_EXPLANATION = "has no explanation"
MSG_PYTHON_BLOCK = "a python code block does not parse: {error}"
MSG_UNCLOSED_FENCE = "a code fence is not closed"
MSG_CODE_OUTSIDE_FENCE = "a code-like line is outside a fenced block: {line!r}"
MSG_LEVEL = "level {level} is outside {low}-{high}"
MSG_TOO_FEW = "level {level} has {count} active questions; needs at least {minimum}"
MSG_KEYS_UNBALANCED = "the key is {label} for {count} of {total} questions; spread keys over A-D"


@dataclass(frozen=True)
class ChoiceText:
    label: str
    text: str
    is_correct: bool


@dataclass(frozen=True)
class QuestionText:
    key: str
    level: int
    prompt: str
    explanation: str
    source: str
    active: bool
    choices: tuple[ChoiceText, ...]


def code_blocks(text: str) -> tuple[list[tuple[str, str]], list[str], bool]:
    """(language, code) of each fenced block, the lines outside fences, and whether every fence closed."""
    blocks: list[tuple[str, str]] = []
    outside: list[str] = []
    language: str | None = None
    body: list[str] = []
    for line in text.splitlines():
        match = FENCE.match(line.strip())
        if language is None:
            if match:
                language, body = match.group(1).lower(), []
            else:
                outside.append(line)
        elif line.strip() == "```":
            blocks.append((language, "\n".join(body)))
            language = None
        else:
            body.append(line)
    return blocks, outside, language is None


def text_problems(text: str) -> list[str]:
    """Code outside fences, unclosed fences, and Python blocks that do not parse."""
    problems = []
    blocks, outside, closed = code_blocks(text)
    if not closed:
        problems.append(MSG_UNCLOSED_FENCE)
    for language, code in blocks:
        if language in ("python", "py"):
            try:
                ast.parse(code)
            except SyntaxError as error:
                problems.append(MSG_PYTHON_BLOCK.format(error=f"line {error.lineno}: {error.msg}"))
    for line in outside:
        stripped = re.sub(r"`[^`]*`", "", line)  # inline code is fine
        if CODE_LIKE.search(stripped):
            problems.append(MSG_CODE_OUTSIDE_FENCE.format(line=line.strip()[:60]))
    return problems


def question_problems(question: QuestionText) -> list[str]:
    """Every form rule one question breaks."""
    problems = []
    if not MIN_CHECK_LEVEL <= question.level <= MAX_LEVEL:
        problems.append(MSG_LEVEL.format(level=question.level, low=MIN_CHECK_LEVEL, high=MAX_LEVEL))
    labels = sorted(c.label for c in question.choices)
    if tuple(labels) != LABELS:
        problems.append(MSG_FOUR_CHOICES.format(labels=labels))
    correct = sum(1 for c in question.choices if c.is_correct)
    if correct != 1:
        problems.append(MSG_ONE_KEY.format(count=correct))
    for choice in question.choices:
        if BANNED_OPTIONS.search(choice.text):
            problems.append(MSG_BANNED_OPTION.format(label=choice.label))
    if not question.source.strip():
        problems.append(MSG_NO_SOURCE)
    if not question.explanation.strip():
        problems.append(MSG_NO_EXPLANATION)
    for text in (question.prompt, question.explanation, *(c.text for c in question.choices)):
        problems.extend(text_problems(text))
    return problems


def level_minimum(level: int, top_target: int) -> int:
    """How many active questions a published skill needs at ``level``, given its highest target."""
    if level == MAX_LEVEL and top_target < 3:
        return MIN_AT_TOP_WHEN_TARGET_BELOW_3
    return MIN_PER_LEVEL


def bank_problems(questions: Sequence[QuestionText], top_target: int) -> list[str]:
    """Per skill: the minimum count at each level, and keys spread over the labels."""
    problems = []
    active = [q for q in questions if q.active]
    per_level = Counter(q.level for q in active)
    for level in range(MIN_CHECK_LEVEL, MAX_LEVEL + 1):
        minimum = level_minimum(level, top_target)
        if per_level[level] < minimum:
            problems.append(MSG_TOO_FEW.format(level=level, count=per_level[level], minimum=minimum))
    problems.extend(key_balance_problems(active))
    return problems


def key_balance_problems(questions: Iterable[QuestionText]) -> list[str]:
    """A label that is the key for more than 40% of a skill's questions (with at least 10 of them)."""
    keys = Counter(c.label for q in questions for c in q.choices if c.is_correct)
    total = sum(keys.values())
    if total < 10:
        return []
    return [
        MSG_KEYS_UNBALANCED.format(label=label, count=count, total=total)
        for label, count in sorted(keys.items())
        if count > 0.4 * total
    ]
