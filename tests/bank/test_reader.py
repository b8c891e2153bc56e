"""Validation: every rule names file, line, question key and field, and nothing is loaded."""

import shutil
from pathlib import Path

import pytest

from quiz.bank.reader import MAX_FILE_BYTES, BankInvalid, read_bank

GOOD_BANK = Path(__file__).resolve().parent.parent / "data" / "bank"


@pytest.fixture
def bank_dir(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(GOOD_BANK, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found"
    path.write_text(text.replace(old, new, count))


def errors_of(bank_dir: Path) -> list[str]:
    with pytest.raises(BankInvalid) as caught:
        read_bank(bank_dir)
    return [str(error) for error in caught.value.errors]


def test_the_good_bank_reads_cleanly(bank_dir):
    bank = read_bank(bank_dir)
    assert [topic.key for topic in bank.topics] == ["alarms", "deploys"]
    assert sum(len(t.questions) for t in bank.topics) == 3
    assert bank.concepts["deploys-hooks"] == "lifecycle hooks"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    kind: single\n    difficulty: 2", "    kind: single\n    difficulty: 2\n    dificulty: 3",
         'topics/deploys.yaml:17: question "deploys-alarm-rollback": field "dificulty": unknown field'),
        ("        correct: true\n        why: Alarms catch what hooks miss.", "        correct: false\n        why: Alarms catch what hooks miss.",
         'topics/deploys.yaml:19: question "deploys-alarm-rollback": field "choices": a single question with 4 choices needs 1 correct, found 0'),
        ("      - label: D\n        text: OneAtATime configuration\n        correct: false\n        why: Slower, not safer on its own.\n        concept: deploys-hooks\n", "",
         'question "deploys-alarm-rollback": field "choices": a single question needs 4 choices, found 3'),
        ("{label: E, text: A cron job, correct: false, why: Irrelevant.}", "{label: E, text: A cron job, correct: true, why: Irrelevant.}",
         'question "deploys-multi": field "choices": a multiple question with 5 choices needs 2 correct, found 3'),
        ("        why: Nothing failed.", "        why: ''",
         'topics/deploys.yaml:28: question "deploys-alarm-rollback": field "choices[1].why": String should have at least 1 character'),
        ("      - label: C\n        text: A trigger to SNS", "      - label: B\n        text: A trigger to SNS",
         'topics/deploys.yaml:30: question "deploys-alarm-rollback": field "choices[2].label": label "B" is used twice'),
        ("        text: A trigger to SNS", "        text: Rollback when a deployment fails",
         'question "deploys-alarm-rollback": field "choices[2].text": the same choice text appears twice'),
        ("    task: \"5.2\"", "    task: \"1.1\"",
         'topics/deploys.yaml:14: question "deploys-alarm-rollback": field "task": task "1.1" does not belong to domain "incident"'),
        ("    domain: incident", "    domain: devops",
         'topics/deploys.yaml:13: question "deploys-alarm-rollback": field "domain": unknown domain "devops"'),
        ("      - https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html",
         "      - http://example.com/page",
         'question "deploys-alarm-rollback": field "references[0]": String should match pattern'),
        ("        concept: rollback-on-failure", "        concept: rollback-on-failur",
         'topics/deploys.yaml:29: question "deploys-alarm-rollback": field "choices[1].concept": concept "rollback-on-failur" is not defined'),
        ("  - key: deploys-multi", "  - key: Deploys_Multi",
         'question "Deploys_Multi": field "key": String should match pattern'),
    ],
    ids=["unknown-field", "no-correct", "three-choices", "multiple-three-of-five", "empty-why",
         "duplicate-label", "duplicate-text", "task-of-other-domain", "unknown-domain",
         "http-reference", "undefined-concept", "bad-key"],
)
def test_each_rule_reports_file_line_key_and_field(bank_dir, old, new, expected):
    edit(bank_dir / "topics" / "deploys.yaml", old, new)
    errors = errors_of(bank_dir)
    assert any(expected in error for error in errors), errors


def test_duplicate_keys_across_files_are_reported(bank_dir):
    edit(bank_dir / "topics" / "alarms.yaml", "key: alarms-composite", "key: deploys-multi")
    errors = errors_of(bank_dir)
    assert any('question "deploys-multi": field "key": question key is also used in content/topics/alarms.yaml' in e
               or 'question "deploys-multi": field "key": question key is also used in' in e for e in errors), errors


def test_all_errors_are_reported_at_once(bank_dir):
    edit(bank_dir / "topics" / "deploys.yaml", "    domain: incident", "    domain: devops")
    edit(bank_dir / "topics" / "alarms.yaml", "    kind: single", "    kind: singel")
    errors = errors_of(bank_dir)
    assert any("deploys.yaml" in e for e in errors) and any("alarms.yaml" in e for e in errors)


def test_yaml_that_constructs_python_objects_is_rejected(bank_dir):
    edit(bank_dir / "topics" / "alarms.yaml", "notes: Alarm notes.", "notes: !!python/object/apply:os.system ['true']")
    errors = errors_of(bank_dir)
    assert any("alarms.yaml:5:" in e and "not allowed" in e for e in errors), errors


def test_files_over_the_size_limit_are_rejected(bank_dir):
    path = bank_dir / "topics" / "alarms.yaml"
    path.write_text(path.read_text() + "#" * MAX_FILE_BYTES)
    assert any("alarms.yaml:1:" in e and "the limit is" in e for e in errors_of(bank_dir))


def test_deeply_nested_documents_are_rejected(bank_dir):
    path = bank_dir / "topics" / "alarms.yaml"
    path.write_text(path.read_text() + "extra: " + "[" * 40 + "]" * 40 + "\n")
    assert any("nested deeper than" in e for e in errors_of(bank_dir))


def test_broken_yaml_syntax_reports_the_line(bank_dir):
    edit(bank_dir / "topics" / "alarms.yaml", "name: Alarms", "name: [Alarms")
    assert any("alarms.yaml:" in e and "invalid YAML" in e for e in errors_of(bank_dir))
