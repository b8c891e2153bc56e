"""Frozen dataclasses passed in and out of the engine."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class History(IntEnum):
    """What the learner's past says of a question; lower values are preferred."""

    UNSEEN = 0
    LAST_WRONG = 1
    SEEN = 2


@dataclass(frozen=True, slots=True)
class PoolQuestion:
    question_id: int
    domain: str
    history: History = History.UNSEEN


@dataclass(frozen=True, slots=True)
class Shortfall:
    domain: str
    wanted: int
    available: int


@dataclass(frozen=True, slots=True)
class PresentedChoice:
    choice_id: int
    text: str
    position: int
    is_selected: bool = False

    @property
    def letter(self) -> str:
        return "ABCDEF"[self.position]

    # Strings, not ints: the template prints them as they are, without localizing numbers.
    @property
    def value(self) -> str:
        return str(self.choice_id)

    @property
    def key(self) -> str:
        """The keyboard shortcut that picks this choice: 1 for the first."""
        return str(self.position + 1)


@dataclass(frozen=True, slots=True)
class PresentedQuestion:
    """What an in-progress screen may show: no correctness, no rationale, no explanation."""

    slot: int
    stem: str
    kind: str
    choices: tuple[PresentedChoice, ...]
    selected_ids: frozenset[int]
    required_count: int
    is_flagged: bool

    @property
    def is_multiple(self) -> bool:
        return self.kind == "multiple"

    @property
    def input_type(self) -> str:
        return "checkbox" if self.is_multiple else "radio"

    @property
    def is_answered(self) -> bool:
        return len(self.selected_ids) == self.required_count


@dataclass(frozen=True, slots=True)
class SlotStatus:
    slot: int
    is_answered: bool
    is_flagged: bool
    selected_count: int
    required_count: int


@dataclass(frozen=True, slots=True)
class GradedAnswer:
    domain: str
    task: str
    selected: frozenset[int]
    correct: frozenset[int]

    @property
    def is_correct(self) -> bool:
        # Multiple-response items score all-or-nothing, as on the real exam.
        return bool(self.correct) and self.selected == self.correct


@dataclass(frozen=True, slots=True)
class PartScore:
    key: str
    correct: int
    total: int
    percent: float
    meets_competencies: bool


@dataclass(frozen=True, slots=True)
class AttemptScore:
    correct: int
    total: int
    percent: float
    scaled_score: int
    passed: bool
    domains: tuple[PartScore, ...]
    tasks: tuple[PartScore, ...]
