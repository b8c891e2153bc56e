"""Pydantic models of the content files; unknown fields are errors (extra="forbid")."""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"

KebabKey = Annotated[str, StringConstraints(pattern=KEBAB, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
HttpsUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^https://[^\s/$.?#][^\s]*$")
]


def _task_code(value: object) -> object:
    # An unquoted `task: 1.4` arrives as a float; accept it as the code it means.
    if isinstance(value, float):
        return f"{value:.1f}"
    return value


TaskCode = Annotated[str, BeforeValidator(_task_code), StringConstraints(pattern=r"^\d\.\d$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TaskIn(Strict):
    code: TaskCode
    name: Text


class DomainIn(Strict):
    key: KebabKey
    number: int = Field(ge=1, le=20)
    name: Text
    weight_percent: int = Field(ge=0, le=100)
    tasks: list[TaskIn] = Field(min_length=1)


class ExamIn(Strict):
    code: Text
    title: Text
    question_count: int = Field(ge=1, le=500)
    time_limit_minutes: int = Field(ge=1, le=1000)
    passing_score: int = Field(ge=100, le=1000)
    domains: list[DomainIn] = Field(min_length=1)


class ChoiceIn(Strict):
    label: Annotated[str, StringConstraints(pattern=r"^[A-F]$")]
    text: Text
    correct: bool
    why: Text
    concept: KebabKey | None = None


class QuestionIn(Strict):
    key: KebabKey
    domain: KebabKey
    task: TaskCode
    kind: Literal["single", "multiple"]
    difficulty: int = Field(default=2, ge=1, le=3)
    style: Literal["scenario", "recall"] = "scenario"
    stem: Text
    choices: list[ChoiceIn]
    explanation: Text
    references: list[HttpsUrl] = Field(min_length=1)


class TopicIn(Strict):
    key: KebabKey
    name: Text
    domain: KebabKey
    source_section: Text
    references: list[HttpsUrl] = Field(default_factory=list)
    notes: Text
    concepts: dict[KebabKey, Text] = Field(default_factory=dict)
    questions: list[QuestionIn] = Field(default_factory=list)
