"""Loading: upsert by key, all-or-nothing, no writes when unchanged, retire never delete."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz.models import Choice, Concept, Domain, Question, TaskStatement, Topic
from tests.bank.test_reader import GOOD_BANK, edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_dir(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(GOOD_BANK, target)
    return target


def load(path: Path) -> str:
    out = StringIO()
    call_command("load_content", str(path), stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "domains": list(Domain.objects.values_list("key", "number", "name", "weight_percent")),
        "tasks": list(TaskStatement.objects.values_list("code", "domain__key", "name")),
        "concepts": list(Concept.objects.values_list("key", "name")),
        "topics": list(Topic.objects.values_list("key", "name", "domain__key", "notes", "references")),
        "questions": list(
            Question.objects.values_list(
                "key", "topic__key", "domain__key", "task__code", "kind", "style", "stem",
                "explanation", "difficulty", "references", "is_active", "content_hash",
            )
        ),
        "choices": list(
            Choice.objects.values_list("question__key", "label", "text", "is_correct", "rationale", "concept__key")
        ),
    }


def test_load_creates_every_row(bank_dir):
    output = load(bank_dir)
    assert "3 questions in 2 topics" in output
    assert Domain.objects.count() == 6
    assert TaskStatement.objects.count() == 19
    question = Question.objects.get(key="deploys-alarm-rollback")
    assert (question.domain.key, question.task.code, question.topic.key) == ("incident", "5.2", "deploys")
    assert question.choices.get(label="B").concept.name == "rollback when the deployment fails"
    assert question.choices.filter(is_correct=True).count() == 1
    assert Question.objects.get(key="alarms-composite").style == "recall"


def test_second_load_of_unchanged_files_writes_nothing(bank_dir):
    load(bank_dir)
    with CaptureQueriesContext(connection) as queries:
        output = load(bank_dir)
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert "0 created, 0 updated, 0 retired" in output


def test_a_bad_file_among_good_ones_loads_nothing(bank_dir):
    edit(bank_dir / "topics" / "alarms.yaml", "    kind: single", "    kind: singel")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_content", str(bank_dir), stderr=err)
    assert 'alarms.yaml:10: question "alarms-composite": field "kind"' in err.getvalue()
    assert Question.objects.count() == 0 and Topic.objects.count() == 0


def test_a_bad_file_leaves_a_loaded_bank_unchanged(bank_dir):
    load(bank_dir)
    before = snapshot()
    edit(bank_dir / "topics" / "deploys.yaml", "Which setting rolls back", "Which option rolls back")
    edit(bank_dir / "topics" / "alarms.yaml", "    kind: single", "    kind: singel")
    with pytest.raises(CommandError):
        call_command("load_content", str(bank_dir), stderr=StringIO())
    assert snapshot() == before


def test_a_question_removed_from_the_files_is_retired_not_deleted(bank_dir):
    load(bank_dir)
    path = bank_dir / "topics" / "alarms.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("questions:")] + "questions: []\n")
    output = load(bank_dir)
    assert "0 created, 0 updated, 1 retired" in output
    retired = Question.objects.get(key="alarms-composite")
    assert retired.is_active is False
    assert retired.choices.count() == 4
    path.write_text(text)
    assert "1 updated" in load(bank_dir)
    assert Question.objects.get(key="alarms-composite").is_active


def test_changing_a_question_updates_it_in_place(bank_dir):
    load(bank_dir)
    question = Question.objects.get(key="deploys-alarm-rollback")
    choice_ids = set(question.choices.values_list("pk", flat=True))
    edit(bank_dir / "topics" / "deploys.yaml", "        why: Only notifies.", "        why: A trigger only notifies.")
    output = load(bank_dir)
    assert "0 created, 1 updated, 0 retired" in output
    question.refresh_from_db()
    assert question.pk == Question.objects.get(key="deploys-alarm-rollback").pk
    assert set(question.choices.values_list("pk", flat=True)) == choice_ids
    assert question.choices.get(label="C").rationale == "A trigger only notifies."


def test_export_then_load_round_trips_to_identical_rows(bank_dir, tmp_path):
    load(bank_dir)
    before = snapshot()
    call_command("export_content", str(tmp_path / "exported"), stdout=StringIO())
    output = load(tmp_path / "exported")
    assert "0 created, 0 updated, 0 retired" in output
    assert snapshot() == before


def test_check_validates_without_writing(bank_dir):
    out = StringIO()
    call_command("load_content", str(bank_dir), "--check", stdout=out)
    assert "3 questions in 2 topics are valid" in out.getvalue()
    assert Question.objects.count() == 0


def test_single_files_can_only_be_checked(bank_dir):
    with pytest.raises(CommandError, match="only be validated with --check"):
        call_command("load_content", str(bank_dir / "topics" / "alarms.yaml"))
