"""Write the database's active bank back out as content files that load to the same rows."""

from __future__ import annotations

from pathlib import Path

import yaml

from quiz.models import Concept, Domain, Exam, Question, Topic


class _BlockDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def _dump(payload: object, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(payload, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def export_bank(target: Path) -> int:
    """Write exam.yaml, concepts.yaml and topics/*.yaml under target; return questions written."""
    target = Path(target)
    exam = Exam.objects.order_by("pk").first()
    domains = Domain.objects.prefetch_related("tasks")
    _dump(
        {
            "code": exam.code,
            "title": exam.title,
            "question_count": exam.question_count,
            "time_limit_minutes": exam.time_limit_minutes,
            "passing_score": exam.passing_score,
            "domains": [
                {
                    "key": domain.key,
                    "number": domain.number,
                    "name": domain.name,
                    "weight_percent": domain.weight_percent,
                    "tasks": [{"code": t.code, "name": t.name} for t in domain.tasks.all()],
                }
                for domain in domains
            ],
        },
        target / "exam.yaml",
    )
    _dump({c.key: c.name for c in Concept.objects.all()}, target / "concepts.yaml")
    questions = (
        Question.objects.active()
        .select_related("domain", "task", "topic")
        .prefetch_related("choices__concept")
        .order_by("topic_id", "pk")
    )
    by_topic: dict[int, list[Question]] = {}
    for question in questions:
        by_topic.setdefault(question.topic_id, []).append(question)
    written = 0
    for topic in Topic.objects.select_related("domain"):
        topic_questions = by_topic.get(topic.id, [])
        written += len(topic_questions)
        _dump(
            {
                "key": topic.key,
                "name": topic.name,
                "domain": topic.domain.key,
                "source_section": topic.source_section,
                "references": topic.references,
                "notes": topic.notes,
                "questions": [_question_payload(q) for q in topic_questions],
            },
            target / "topics" / f"{topic.key}.yaml",
        )
    return written


def _question_payload(question: Question) -> dict:
    return {
        "key": question.key,
        "domain": question.domain.key,
        "task": question.task.code,
        "kind": question.kind,
        "difficulty": question.difficulty,
        "style": question.style,
        "stem": question.stem,
        "choices": [
            {
                "label": choice.label,
                "text": choice.text,
                "correct": choice.is_correct,
                "why": choice.rationale,
                **({"concept": choice.concept.key} if choice.concept else {}),
            }
            for choice in question.choices.all()
        ],
        "explanation": question.explanation,
        "references": question.references,
    }
