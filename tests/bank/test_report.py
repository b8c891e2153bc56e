"""The content report fails, naming the rule, when the bank breaks one."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quiz.bank.reader import read_bank
from quiz.bank.report import build_report
from tests.bank.test_reader import GOOD_BANK, edit


@pytest.fixture
def bank_dir(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(GOOD_BANK, target)
    return target


def test_a_small_bank_fails_the_count_rules(bank_dir):
    failures = build_report(read_bank(bank_dir)).failures
    assert "domain sdlc: 1 questions, needs at least 51" in failures
    assert "topic alarms: 1 questions, needs at least 4" in failures


def test_giveaways_and_missing_aws_links_are_named(bank_dir):
    path = bank_dir / "topics" / "deploys.yaml"
    edit(path, "text: OneAtATime configuration", "text: All of the above")
    edit(path, "      - https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html", "      - https://example.com/blog")
    failures = build_report(read_bank(bank_dir)).failures
    assert "deploys: question deploys-alarm-rollback: choice D says all/none of the above" in failures
    assert "deploys: question deploys-alarm-rollback: no AWS documentation link" in failures


def test_near_duplicate_stems_are_reported(bank_dir):
    edit(bank_dir / "topics" / "alarms.yaml", "stem: What does a composite alarm combine?",
         "stem: A release passed every hook but raised errors. Which setting rolls back on its own?")
    failures = build_report(read_bank(bank_dir)).failures
    assert any(f.startswith("near-duplicate stems: alarms-composite and deploys-alarm-rollback") for f in failures)


def test_the_command_exits_non_zero_when_a_rule_is_broken(bank_dir):
    err = StringIO()
    with pytest.raises(CommandError, match="rule"):
        call_command("content_report", str(bank_dir), stdout=StringIO(), stderr=err)
    assert "RULE BROKEN: domain iac" in err.getvalue()
