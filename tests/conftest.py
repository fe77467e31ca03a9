"""Shared fixtures: the personas every permission test uses.

- alice: agent on the Espresso Co. account (her tickets are the subject of most tests)
- bob: agent on the same account (alice's teammate)
- charlie: agent on another account (must never see alice's data)
- manager: a manager (Django admin, sees every account)
"""

import pytest
from django.contrib.auth.models import Group

from tests.factories import SellerAccountFactory, UserFactory
from tests.smtp import smtp_server  # noqa: F401 - a shared fixture
from tickets.roles import MANAGERS


@pytest.fixture
def account(db):
    return SellerAccountFactory(name="Espresso Co.")


@pytest.fixture
def other_account(db):
    return SellerAccountFactory(name="Grinders Ltd.")


@pytest.fixture
def alice(account):
    user = UserFactory(username="alice")
    account.agents.add(user)
    return user


@pytest.fixture
def bob(account):
    user = UserFactory(username="bob")
    account.agents.add(user)
    return user


@pytest.fixture
def charlie(other_account):
    user = UserFactory(username="charlie")
    other_account.agents.add(user)
    return user


@pytest.fixture
def manager(db):
    user = UserFactory(username="manager", is_staff=True)
    user.groups.add(Group.objects.get(name=MANAGERS))
    return user


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run inline in unit tests; tests marked ``worker`` talk to a real broker."""
    from csmdesk.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache (kept queue counts, presence) outlives a test's database rollback, and the
    next test's rows may reuse the same ids."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher costs ~0.4 s a user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _flushes_the_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    return transactional or "live_server" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests (the browser, worker and race tests) end by flushing the database,
    which also removes what the migrations installed (default templates, review themes,
    roles). pytest-django runs them last, as Django does, but another plugin (the browser
    parametrisation) reorders afterwards: sort again, last, keeping the order otherwise."""
    items.sort(key=_flushes_the_database)


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Stored files (attachments, raw mail) go to the test's own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
