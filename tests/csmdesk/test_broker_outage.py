"""A broker that is down never holds a web request: publishing fails at once (the
transport options in settings), the write still succeeds, and its outbox row waits for the
sweeper. Before, kombu's reconnect loop held each write for ~6 s."""

import time

import pytest

from csmdesk.celery import app
from tests.api.conftest import KeyClient, make_key
from tests.factories import TicketFactory
from tickets.models import OutboundMessage

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused, as when Redis is down.
DOWN = "redis://127.0.0.1:1/0"


def _forget_broker_connections():
    # Celery keeps a connection pool and a producer pool per app, made on first use for
    # the broker_url of that moment.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    saved = app.conf.broker_url
    app.conf.task_always_eager = False  # publish for real, to the dead broker
    app.conf.broker_url = DOWN
    _forget_broker_connections()
    yield
    app.conf.broker_url = saved
    _forget_broker_connections()


@pytest.fixture
def alice_api(alice, account):
    return KeyClient(make_key(accounts=[account], scope="agent", created_by=alice)[1])


def test_a_reply_is_accepted_quickly_when_the_broker_is_down(
    broker_down, alice_api, account, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(seller_account=account)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Your parcel ships today."})
    elapsed = time.monotonic() - started
    assert response.status_code == 201
    # A generous ceiling: the bug it guards against took ~6 s; a refused publish takes ms.
    assert elapsed < 3


def test_the_reply_waits_in_the_outbox_for_the_sweeper(
    broker_down, alice_api, account, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(seller_account=account)
    with django_capture_on_commit_callbacks(execute=True):
        alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Your parcel ships today."})
    assert OutboundMessage.objects.get().status == OutboundMessage.Status.QUEUED
