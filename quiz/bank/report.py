"""Bank-wide quality rules and counts, computed on the validated files (no DB)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from quiz.bank.reader import Bank
from quiz.engine.selection import apportion

# Enough for this many full mock exams without repeating a question.
EXAMS_WITHOUT_REPEATS = 3
MIN_QUESTIONS_PER_TOPIC = 4
MIN_MULTIPLE_SHARE = 0.25
MAX_RECALL_SHARE = 0.20
MAX_CORRECT_LONGEST_SHARE = 0.30
# The reverse giveaway: if the key is rarely the longest or often the shortest, a test-wise
# learner gains by ruling out the longest option or picking the shortest.
MIN_CORRECT_LONGEST_SHARE = 0.10
MAX_CORRECT_SHORTEST_SHARE = 0.35
NEAR_DUPLICATE_SIMILARITY = 0.8
AWS_DOC_HOSTS = ("https://docs.aws.amazon.com/", "https://aws.amazon.com/")
GIVEAWAY = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)
ABSOLUTE = re.compile(r"\b(always|never)\b", re.IGNORECASE)


@dataclass
class ContentReport:
    domain_rows: list[tuple[str, int, int]] = field(default_factory=list)  # key, count, target
    topic_counts: dict[str, int] = field(default_factory=dict)
    task_counts: dict[str, int] = field(default_factory=dict)
    kind_counts: dict[str, int] = field(default_factory=dict)
    style_counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    single_count: int = 0
    correct_longest_count: int = 0
    correct_shortest_count: int = 0
    notes_words: dict[str, int] = field(default_factory=dict)
    near_duplicates: list[tuple[str, str, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def multiple_share(self) -> float:
        return self.kind_counts.get("multiple", 0) / self.total if self.total else 0.0

    @property
    def recall_share(self) -> float:
        return self.style_counts.get("recall", 0) / self.total if self.total else 0.0

    @property
    def correct_longest_share(self) -> float:
        return self.correct_longest_count / self.single_count if self.single_count else 0.0

    @property
    def correct_shortest_share(self) -> float:
        return self.correct_shortest_count / self.single_count if self.single_count else 0.0


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _similarity(left: set[str], right: set[str]) -> float:
    return len(left & right) / len(left | right) if left | right else 0.0


def build_report(bank: Bank) -> ContentReport:
    """Return the bank's counts and every rule it breaks (an empty `failures` passes)."""
    report = ContentReport()
    questions = [(topic.key, q) for topic in bank.topics for q in topic.questions]
    report.total = len(questions)
    weights = {d.key: d.weight_percent for d in bank.exam.domains}
    targets = {
        key: share * EXAMS_WITHOUT_REPEATS
        for key, share in apportion(bank.exam.question_count, weights).items()
    }
    domain_counts = Counter(q.domain for _, q in questions)
    report.domain_rows = [(key, domain_counts.get(key, 0), targets[key]) for key in weights]
    report.topic_counts = {topic.key: len(topic.questions) for topic in bank.topics}
    report.task_counts = dict(sorted(Counter(q.task for _, q in questions).items()))
    report.kind_counts = dict(Counter(q.kind for _, q in questions))
    report.style_counts = dict(Counter(q.style for _, q in questions))
    report.notes_words = {topic.key: len(topic.notes.split()) for topic in bank.topics}

    for key, count, target in report.domain_rows:
        if count < target:
            report.failures.append(f"domain {key}: {count} questions, needs at least {target}")
    for key, count in report.topic_counts.items():
        if count < MIN_QUESTIONS_PER_TOPIC:
            report.failures.append(
                f"topic {key}: {count} questions, needs at least {MIN_QUESTIONS_PER_TOPIC}"
            )
    if report.multiple_share < MIN_MULTIPLE_SHARE:
        report.failures.append(
            f"multiple response is {report.multiple_share:.0%} of the bank, needs at least {MIN_MULTIPLE_SHARE:.0%}"
        )
    if report.recall_share > MAX_RECALL_SHARE:
        report.failures.append(
            f"recall questions are {report.recall_share:.0%} of the bank, at most {MAX_RECALL_SHARE:.0%}"
        )

    for topic_key, question in questions:
        where = f"{topic_key}: question {question.key}"
        correct = [c for c in question.choices if c.correct]
        wrong = [c for c in question.choices if not c.correct]
        if question.kind == "single":
            report.single_count += 1
            lengths = [len(c.text) for c in question.choices]
            if len(correct[0].text) == max(lengths):
                report.correct_longest_count += 1
            if len(correct[0].text) == min(lengths):
                report.correct_shortest_count += 1
        if not any(url.startswith(AWS_DOC_HOSTS) for url in question.references):
            report.failures.append(f"{where}: no AWS documentation link")
        for choice in question.choices:
            if not choice.why.strip():
                report.failures.append(f"{where}: choice {choice.label} has no rationale")
            if GIVEAWAY.search(choice.text):
                report.failures.append(f"{where}: choice {choice.label} says all/none of the above")
        if any(ABSOLUTE.search(c.text) for c in wrong) and not any(
            ABSOLUTE.search(c.text) for c in correct
        ):
            report.failures.append(f"{where}: absolute words (always/never) appear only in distractors")
    if report.correct_longest_share > MAX_CORRECT_LONGEST_SHARE:
        report.failures.append(
            f"the correct choice is the longest in {report.correct_longest_share:.0%} of single-answer "
            f"questions, at most {MAX_CORRECT_LONGEST_SHARE:.0%}"
        )

    if report.single_count and report.correct_longest_share < MIN_CORRECT_LONGEST_SHARE:
        report.failures.append(
            f"the correct choice is the longest in only {report.correct_longest_share:.0%} of "
            f"single-answer questions, at least {MIN_CORRECT_LONGEST_SHARE:.0%}"
        )
    if report.correct_shortest_share > MAX_CORRECT_SHORTEST_SHARE:
        report.failures.append(
            f"the correct choice is the shortest in {report.correct_shortest_share:.0%} of "
            f"single-answer questions, at most {MAX_CORRECT_SHORTEST_SHARE:.0%}"
        )

    stems = [(q.key, _words(q.stem)) for _, q in questions]
    for index, (key, words) in enumerate(stems):
        for other_key, other_words in stems[index + 1 :]:
            similarity = _similarity(words, other_words)
            if similarity >= NEAR_DUPLICATE_SIMILARITY:
                report.near_duplicates.append((key, other_key, similarity))
                report.failures.append(
                    f"near-duplicate stems: {key} and {other_key} ({similarity:.0%} of words shared)"
                )
    return report
