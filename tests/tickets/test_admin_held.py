"""Managers decide held messages in the admin too: approve and reject are actions calling
the same services as the desk (audited there), filtered by account and status, and the
decisions export as labelled JSONL."""

import json

import pytest
from django.contrib.auth.models import Permission

from tests.factories import OrderFactory, TicketFactory, UserFactory
from tickets.audit import audit_trail
from tickets.models import ForbiddenPhrase, HeldMessage, OutboundMessage, PhraseAction
from tickets.outbound.services import MessageHeld, message_send

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/tickets/heldmessage/"
DOUBTFUL = "We can offer a lifetime guarantee on the new reservoir."


@pytest.fixture
def held(account, alice) -> HeldMessage:
    ForbiddenPhrase.objects.create(seller_account=account, phrase="lifetime guarantee", action=PhraseAction.HOLD)
    order = OrderFactory(seller_account=account)
    ticket = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="open")
    with pytest.raises(MessageHeld) as raised:
        message_send(ticket=ticket, body=DOUBTFUL, actor=alice, channel="ui")
    return raised.value.held


def act(client, action: str, *held: HeldMessage):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [h.pk for h in held]}, follow=True)


def test_the_list_filters_by_account_and_status(client, manager, held, other_account):
    from tests.factories import HeldMessageFactory

    HeldMessageFactory(ticket=TicketFactory(seller_account=other_account), body="OTHER-ACCOUNT held reply")
    client.force_login(manager)
    html = client.get(CHANGELIST, {"status__exact": "held", "seller_account__id__exact": held.seller_account_id})
    assert "lifetime guarantee" in html.content.decode()
    assert "OTHER-ACCOUNT" not in html.content.decode()


def test_a_manager_approves_with_the_action(client, manager, held):
    client.force_login(manager)
    response = act(client, "approve", held)
    assert "1 message(s) approved" in response.content.decode()
    assert OutboundMessage.objects.get().body == DOUBTFUL
    assert audit_trail(held.ticket).filter(action="held_message.approved", actor=manager).exists()


def test_a_manager_rejects_with_the_action(client, manager, held):
    client.force_login(manager)
    act(client, "reject", held)
    held.refresh_from_db()
    assert (held.status, held.decided_by, OutboundMessage.objects.count()) == ("rejected", manager, 0)
    assert audit_trail(held.ticket).filter(action="held_message.rejected").exists()


def test_staff_without_the_managers_permission_cannot_decide(client, held):
    viewer = UserFactory(username="auditor", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_heldmessage"))
    client.force_login(viewer)
    assert client.get(CHANGELIST).status_code == 200
    act(client, "approve", held)
    held.refresh_from_db()
    assert (held.status, OutboundMessage.objects.count()) == ("held", 0)


def test_the_export_action_gives_decided_messages_as_corpus_lines(client, manager, held):
    client.force_login(manager)
    act(client, "approve", held)
    response = client.post(CHANGELIST, {"action": "export_labelled", "_selected_action": [held.pk]})
    lines = [json.loads(line) for line in response.content.decode().splitlines()]
    assert response["Content-Type"] == "application/x-ndjson"
    assert [(line["id"], line["text"], line["allowed"], line["decided_by"]) for line in lines] == [
        (f"held-{held.pk}", DOUBTFUL, True, "manager")
    ]
