"""Read content/ YAML into validated schema objects, with exact error locations (no DB)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from quiz.bank.schema import ExamIn, KebabKey, QuestionIn, Text, TopicIn

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 20
MAX_NODES = 50_000
# The C loader (libyaml) parses the bank ~25x faster; both refuse Python object tags.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CONCEPT_GLOSSARY = TypeAdapter(dict[KebabKey, Text])

# Rules on the shape of a question (exam guide: one correct of 4; multiple response
# states how many are correct; we use 2 of 5 or 3 of 6).
CHOICE_COUNTS = {"single": {4: 1}, "multiple": {5: 2, 6: 3}}


@dataclass(frozen=True, slots=True)
class BankError:
    path: str
    line: int
    message: str
    question_key: str | None = None
    topic_key: str | None = None
    field_name: str | None = None

    def __str__(self) -> str:
        parts = [f"{self.path}:{self.line}:"]
        if self.question_key:
            parts.append(f'question "{self.question_key}":')
        elif self.topic_key:
            parts.append(f'topic "{self.topic_key}":')
        if self.field_name:
            parts.append(f'field "{self.field_name}":')
        parts.append(self.message)
        return " ".join(parts)


class BankInvalid(Exception):
    def __init__(self, errors: Sequence[BankError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class Bank:
    exam: ExamIn
    concepts: dict[str, str]
    topics: list[TopicIn] = field(default_factory=list)


def content_hash(payload: object) -> str:
    """Return a stable hash of a JSON-serialisable value (tells whether content changed)."""
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


class _LineMap:
    """Line numbers of every node of a YAML document, keyed by its path."""

    def __init__(self) -> None:
        self.lines: dict[tuple, int] = {}

    def line_of(self, path: Sequence) -> int:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def _walk(node: yaml.Node, path: tuple, lines: _LineMap, depth: int, counter: list[int]) -> None:
    counter[0] += 1
    if depth > MAX_DEPTH:
        raise _DocumentTooComplex(f"nested deeper than {MAX_DEPTH} levels", node)
    if counter[0] > MAX_NODES:
        raise _DocumentTooComplex(f"more than {MAX_NODES} nodes", node)
    lines.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines.lines.setdefault(path + (key,), key_node.start_mark.line + 1)
            _walk(value_node, path + (key,), lines, depth + 1, counter)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines, depth + 1, counter)


class _DocumentTooComplex(Exception):
    def __init__(self, message: str, node: yaml.Node):
        super().__init__(message)
        self.line = node.start_mark.line + 1


def _load_yaml(path: Path, display: str) -> tuple[object, _LineMap] | BankError:
    try:
        size = path.stat().st_size
    except OSError as error:
        return BankError(display, 1, f"cannot read file: {error.strerror}")
    if size > MAX_FILE_BYTES:
        return BankError(display, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return BankError(display, 1, f"not UTF-8 text ({error.reason})")
    lines = _LineMap()
    try:
        loader = _SAFE_LOADER(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return BankError(display, 1, "file is empty")
            _walk(node, (), lines, 0, [0])
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _DocumentTooComplex as error:
        return BankError(display, error.line, f"document is too complex: {error}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        if "could not determine a constructor" in str(error):
            problem = f"YAML tags that construct objects are not allowed ({problem})"
        return BankError(display, line, f"invalid YAML: {problem}")
    return data, lines


def _pydantic_errors(
    error: ValidationError, display: str, lines: _LineMap, data: object, what: str
) -> list[BankError]:
    found = []
    for item in error.errors():
        loc = tuple(item["loc"])
        question_key = None
        topic_key = data.get("key") if isinstance(data, dict) and what == "topic" else None
        field_path = loc
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            questions = data.get("questions") if isinstance(data, dict) else None
            if isinstance(questions, list) and loc[1] < len(questions):
                candidate = questions[loc[1]]
                if isinstance(candidate, dict):
                    question_key = str(candidate.get("key") or f"#{loc[1] + 1}")
            field_path = loc[2:]
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field (not part of the format)"
        elif item["type"] == "missing":
            message = "required field is missing"
        found.append(
            BankError(
                display,
                lines.line_of(loc),
                message,
                question_key=question_key,
                topic_key=None if question_key else topic_key,
                field_name=_field_name(field_path) or None,
            )
        )
    return found


def _field_name(path: Sequence) -> str:
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + str(part)
    return name


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def read_bank(content_dir: Path, only: Iterable[Path] | None = None) -> Bank:
    """Return the validated bank in content_dir, or raise BankInvalid listing every error.

    `only` limits the topic files read (for checking single files); cross-file rules
    then apply to those files only.
    """
    content_dir = Path(content_dir)
    errors: list[BankError] = []

    exam_path = content_dir / "exam.yaml"
    exam = None
    loaded = _load_yaml(exam_path, _display(exam_path, content_dir))
    if isinstance(loaded, BankError):
        errors.append(loaded)
    else:
        data, lines = loaded
        try:
            exam = ExamIn.model_validate(data)
        except ValidationError as error:
            errors.extend(
                _pydantic_errors(error, _display(exam_path, content_dir), lines, data, "exam")
            )

    concepts: dict[str, str] = {}
    concepts_path = content_dir / "concepts.yaml"
    if concepts_path.exists():
        loaded = _load_yaml(concepts_path, _display(concepts_path, content_dir))
        if isinstance(loaded, BankError):
            errors.append(loaded)
        else:
            data, lines = loaded
            if not isinstance(data, dict):
                errors.append(
                    BankError(
                        _display(concepts_path, content_dir),
                        1,
                        "expected a mapping of concept key to phrase",
                    )
                )
            else:
                try:
                    concepts = dict(CONCEPT_GLOSSARY.validate_python(data))
                except ValidationError as error:
                    for item in error.errors():
                        key = item["loc"][0] if item["loc"] else ""
                        errors.append(
                            BankError(
                                _display(concepts_path, content_dir),
                                lines.line_of((key,)),
                                f'concept "{key}": {item["msg"]}',
                            )
                        )

    topic_paths = (
        sorted(Path(p) for p in only)
        if only is not None
        else sorted((content_dir / "topics").glob("*.yaml"))
    )
    topics: list[tuple[TopicIn, str, _LineMap]] = []
    for topic_path in topic_paths:
        display = _display(topic_path, content_dir)
        loaded = _load_yaml(topic_path, display)
        if isinstance(loaded, BankError):
            errors.append(loaded)
            continue
        data, lines = loaded
        try:
            topic = TopicIn.model_validate(data)
        except ValidationError as error:
            errors.extend(_pydantic_errors(error, display, lines, data, "topic"))
            continue
        topics.append((topic, display, lines))

    if exam is not None:
        errors.extend(_cross_file_errors(exam, concepts, topics))
    if errors:
        raise BankInvalid(errors)
    merged_concepts = dict(concepts)
    for topic, _display_name, _lines in topics:
        merged_concepts.update(topic.concepts)
    return Bank(exam=exam, concepts=merged_concepts, topics=[topic for topic, _, _ in topics])


def _cross_file_errors(
    exam: ExamIn, concepts: dict[str, str], topics: list[tuple[TopicIn, str, _LineMap]]
) -> list[BankError]:
    errors: list[BankError] = []
    tasks_by_domain = {domain.key: {task.code for task in domain.tasks} for domain in exam.domains}
    concept_owner: dict[str, str] = dict.fromkeys(concepts, "concepts.yaml")
    for topic, display, lines in topics:
        for key in topic.concepts:
            if key in concept_owner:
                errors.append(
                    BankError(
                        display,
                        lines.line_of(("concepts", key)),
                        f'concept "{key}" is already defined in {concept_owner[key]}',
                        topic_key=topic.key,
                        field_name="concepts",
                    )
                )
            else:
                concept_owner[key] = display
    seen_questions: dict[str, str] = {}
    seen_topics: dict[str, str] = {}
    for topic, display, lines in topics:
        topic_problems: list[tuple[str, str]] = []
        if topic.key in seen_topics:
            topic_problems.append(("key", f"topic key is also used in {seen_topics[topic.key]}"))
        seen_topics[topic.key] = display
        if Path(display).stem != topic.key:
            topic_problems.append(
                ("key", f'topic key must equal the file name ("{Path(display).stem}")')
            )
        if topic.domain not in tasks_by_domain:
            known = ", ".join(tasks_by_domain)
            topic_problems.append(("domain", f'unknown domain "{topic.domain}" (known: {known})'))
        errors.extend(
            BankError(
                display,
                lines.line_of((field_name,)),
                message,
                topic_key=topic.key,
                field_name=field_name,
            )
            for field_name, message in topic_problems
        )
        for index, question in enumerate(topic.questions):
            for message, path, field_name in _question_errors(
                question, tasks_by_domain, concept_owner
            ):
                errors.append(
                    BankError(
                        display,
                        lines.line_of(("questions", index, *path)),
                        message,
                        question_key=question.key,
                        field_name=field_name,
                    )
                )
            if question.key in seen_questions:
                errors.append(
                    BankError(
                        display,
                        lines.line_of(("questions", index, "key")),
                        f"question key is also used in {seen_questions[question.key]}",
                        question_key=question.key,
                        field_name="key",
                    )
                )
            else:
                seen_questions[question.key] = (
                    f"{display}:{lines.line_of(('questions', index, 'key'))}"
                )
    return errors


def _question_errors(
    question: QuestionIn, tasks_by_domain: dict[str, set[str]], concepts: dict[str, str]
) -> list[tuple[str, tuple, str]]:
    found: list[tuple[str, tuple, str]] = []
    if question.domain not in tasks_by_domain:
        found.append((f'unknown domain "{question.domain}"', ("domain",), "domain"))
    elif question.task not in tasks_by_domain[question.domain]:
        allowed = ", ".join(sorted(tasks_by_domain[question.domain]))
        found.append(
            (
                f'task "{question.task}" does not belong to domain "{question.domain}" ({allowed})',
                ("task",),
                "task",
            )
        )
    choice_count = len(question.choices)
    correct_count = sum(choice.correct for choice in question.choices)
    allowed_counts = CHOICE_COUNTS[question.kind]
    if choice_count not in allowed_counts:
        wanted = " or ".join(str(n) for n in allowed_counts)
        found.append(
            (
                f"a {question.kind} question needs {wanted} choices, found {choice_count}",
                ("choices",),
                "choices",
            )
        )
    elif correct_count != allowed_counts[choice_count]:
        found.append(
            (
                f"a {question.kind} question with {choice_count} choices needs {allowed_counts[choice_count]} correct, found {correct_count}",
                ("choices",),
                "choices",
            )
        )
    labels: set[str] = set()
    texts: set[str] = set()
    for index, choice in enumerate(question.choices):
        if choice.label in labels:
            found.append(
                (
                    f'label "{choice.label}" is used twice',
                    ("choices", index, "label"),
                    f"choices[{index}].label",
                )
            )
        labels.add(choice.label)
        normalized = " ".join(choice.text.lower().split())
        if normalized in texts:
            found.append(
                (
                    "the same choice text appears twice",
                    ("choices", index, "text"),
                    f"choices[{index}].text",
                )
            )
        texts.add(normalized)
        if choice.concept and choice.concept not in concepts:
            found.append(
                (
                    f'concept "{choice.concept}" is not defined (add it to concepts.yaml or the topic\'s concepts)',
                    ("choices", index, "concept"),
                    f"choices[{index}].concept",
                )
            )
    return found


def question_hash(topic_key: str, question: QuestionIn) -> str:
    return content_hash({"topic": topic_key, **question.model_dump(mode="json")})


def topic_hash(topic: TopicIn) -> str:
    return content_hash(topic.model_dump(mode="json", exclude={"questions", "concepts"}))
