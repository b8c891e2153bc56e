"""Shared fixtures: fast hashing, users, logged-in clients, a small loaded bank."""

import pytest
from django.test import Client

from tests.factories import QuestionFactory, UserFactory, blueprint


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (SQLite reuses row ids after a rollback)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _test_host(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def user(db):
    return UserFactory(username="learner")


@pytest.fixture
def other_user(db):
    return UserFactory(username="someone-else")


@pytest.fixture
def client_logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_client(other_user) -> Client:
    client = Client()
    client.force_login(other_user)
    return client


@pytest.fixture
def exam_bank(db):
    """The DOP-C02 blueprint with 20 questions per domain (a third multiple response)."""
    exam, domains = blueprint()
    for domain in domains:
        for index in range(20):
            QuestionFactory(domain=domain, multiple=index % 3 == 0)
    return exam


HTMX = {"HX-Request": "true"}
