"""Write a validated bank to the database: upsert by key, all-or-nothing, retire, never delete."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from quiz.bank.reader import Bank, BankError, BankInvalid, question_hash, topic_hash
from quiz.models import (
    Choice,
    ChosenChoice,
    Concept,
    Domain,
    Exam,
    Question,
    TaskStatement,
    Topic,
)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    created: int
    updated: int
    retired: int
    question_count: int
    topic_count: int

    def __str__(self) -> str:
        return (
            f"{self.question_count} questions in {self.topic_count} topics: "
            f"{self.created} created, {self.updated} updated, {self.retired} retired"
        )


class _Counter:
    def __init__(self) -> None:
        self.created = 0
        self.updated = 0


def _upsert(model, lookup: dict, values: dict, existing: dict, counter: _Counter):
    """Create the row, update it when a value differs, or leave it alone (no write)."""
    key = next(iter(lookup.values()))
    row = existing.get(key)
    if row is None:
        row = model.objects.create(**lookup, **values)
        counter.created += 1
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
        counter.updated += 1
    return row


@transaction.atomic
def import_bank(bank: Bank) -> ImportSummary:
    """Upsert the whole bank in one transaction; questions missing from it are retired."""
    counter = _Counter()
    exam = bank.exam
    _upsert(
        Exam,
        {"code": exam.code},
        {
            "title": exam.title,
            "question_count": exam.question_count,
            "time_limit_minutes": exam.time_limit_minutes,
            "passing_score": exam.passing_score,
        },
        {row.code: row for row in Exam.objects.all()},
        counter,
    )

    domains_by_key = {row.key: row for row in Domain.objects.all()}
    # Renumbering domains could collide with the unique number; park moved ones first.
    moved = [
        d
        for d in exam.domains
        if d.key in domains_by_key and domains_by_key[d.key].number != d.number
    ]
    for parked, domain in enumerate(moved, start=1):
        Domain.objects.filter(key=domain.key).update(number=1000 + parked)
        domains_by_key[domain.key].number = 1000 + parked
    tasks_by_code = {row.code: row for row in TaskStatement.objects.all()}
    for domain in exam.domains:
        domain_row = _upsert(
            Domain,
            {"key": domain.key},
            {"number": domain.number, "name": domain.name, "weight_percent": domain.weight_percent},
            domains_by_key,
            counter,
        )
        domains_by_key[domain.key] = domain_row
        for task in domain.tasks:
            tasks_by_code[task.code] = _upsert(
                TaskStatement,
                {"code": task.code},
                {"domain_id": domain_row.id, "name": task.name},
                tasks_by_code,
                counter,
            )

    concepts_by_key = {row.key: row for row in Concept.objects.all()}
    for key, name in bank.concepts.items():
        concepts_by_key[key] = _upsert(
            Concept, {"key": key}, {"name": name}, concepts_by_key, counter
        )

    topics_by_key = {row.key: row for row in Topic.objects.all()}
    questions_by_key = {row.key: row for row in Question.objects.all()}
    seen_question_keys: set[str] = set()
    new_choices: list[Choice] = []
    question_total = 0
    for topic in bank.topics:
        topic_row = _upsert(
            Topic,
            {"key": topic.key},
            {
                "name": topic.name,
                "domain_id": domains_by_key[topic.domain].id,
                "notes": topic.notes,
                "source_section": topic.source_section,
                "references": list(topic.references),
                "content_hash": topic_hash(topic),
            },
            topics_by_key,
            counter,
        )
        for question in topic.questions:
            question_total += 1
            seen_question_keys.add(question.key)
            digest = question_hash(topic.key, question)
            row = questions_by_key.get(question.key)
            if row is not None and row.content_hash == digest and row.is_active:
                continue
            values = {
                "topic_id": topic_row.id,
                "domain_id": domains_by_key[question.domain].id,
                "task_id": tasks_by_code[question.task].id,
                "kind": question.kind,
                "style": question.style,
                "stem": question.stem,
                "explanation": question.explanation,
                "difficulty": question.difficulty,
                "references": list(question.references),
                "is_active": True,
                "content_hash": digest,
            }
            if row is None:
                row = Question.objects.create(key=question.key, **values)
                counter.created += 1
                new_choices.extend(
                    _choice_row(row, choice, concepts_by_key) for choice in question.choices
                )
                continue
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            counter.updated += 1
            _sync_choices(row, question, concepts_by_key)
    Choice.objects.bulk_create(new_choices)

    # Select first so that an unchanged bank issues no UPDATE at all.
    retired_ids = [
        row.pk
        for key, row in questions_by_key.items()
        if key not in seen_question_keys and row.is_active
    ]
    retired_count = 0
    if retired_ids:
        retired_count = Question.objects.filter(pk__in=retired_ids, is_active=True).update(
            is_active=False
        )
    return ImportSummary(
        created=counter.created,
        updated=counter.updated,
        retired=retired_count,
        question_count=question_total,
        topic_count=len(bank.topics),
    )


def _choice_row(question_row: Question, choice, concepts_by_key: dict) -> Choice:
    concept = concepts_by_key.get(choice.concept) if choice.concept else None
    return Choice(
        question=question_row,
        label=choice.label,
        text=choice.text,
        is_correct=choice.correct,
        rationale=choice.why,
        concept=concept,
    )


def _sync_choices(question_row: Question, question, concepts_by_key: dict) -> None:
    """Update choices in place by label so past answers keep pointing at the same rows."""
    existing = {choice.label: choice for choice in question_row.choices.all()}
    wanted = {choice.label for choice in question.choices}
    removed = [label for label in existing if label not in wanted]
    if removed:
        referenced = ChosenChoice.objects.filter(
            choice__question=question_row, choice__label__in=removed
        ).exists()
        if referenced:
            raise BankInvalid(
                [
                    BankError(
                        "content",
                        1,
                        f"choices {', '.join(removed)} were chosen in past attempts and cannot "
                        "be removed; retire the question and add it under a new key",
                        question_key=question_row.key,
                        field_name="choices",
                    )
                ]
            )
        question_row.choices.filter(label__in=removed).delete()
    for choice in question.choices:
        row = _choice_row(question_row, choice, concepts_by_key)
        current = existing.get(choice.label)
        if current is None:
            row.save()
            continue
        row.pk = current.pk
        row.save()
