"""Message via Amazon in the agent desk: the menu offers only Amazon's types for the order."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amazon_sandbox.marketplace import MFN
from tests.factories import OrderFactory, TicketFactory, UserFactory
from tickets.models import OutboundMessage

from .conftest import START


@pytest.fixture
def agent(seller_account):
    user = UserFactory()
    seller_account.agents.add(user)
    return user


def ticket_on(account, sandbox_order):
    order = OrderFactory(seller_account=account, amazon_order_id=sandbox_order.order_id)
    return TicketFactory(seller_account=account, buyer=order.buyer, order=order)


def delivered(marketplace):
    return next(o for o in marketplace.visible(START) if o.is_delivered(START) and o.status(START) == "SHIPPED")


def test_the_workspace_links_to_message_via_amazon(client, agent, connection, marketplace, seller_account):
    client.force_login(agent)
    ticket = ticket_on(seller_account, delivered(marketplace))
    assert b'id="message-via-amazon"' in client.get(f"/tickets/{ticket.pk}/").content


def test_the_menu_offers_only_amazons_types(client, agent, connection, marketplace, seller_account):
    client.force_login(agent)
    order = next(o for o in marketplace.visible(START) if o.channel == MFN and o.status(START) == "UNSHIPPED")
    page = client.get(f"/amazon/tickets/{ticket_on(seller_account, order).pk}/messages/").content.decode()
    assert 'data-action="confirmOrderDetails"' in page and 'data-action="warranty"' not in page


def test_a_warranty_with_its_file_is_queued(client, agent, connection, marketplace, seller_account):
    client.force_login(agent)
    ticket = ticket_on(seller_account, delivered(marketplace))
    response = client.post(
        f"/amazon/tickets/{ticket.pk}/messages/warranty/",
        {
            "coverage_start": "2026-06-15",
            "coverage_end": "2028-06-15",
            "attachments": SimpleUploadedFile("warranty.pdf", b"%PDF-1.4 card", content_type="application/pdf"),
        },
    )
    outbound = OutboundMessage.objects.get()
    assert (response.status_code, outbound.purpose, outbound.attachments.get().name) == (
        302,
        "amazon_warranty",
        "warranty.pdf",
    )


def test_a_refused_text_is_shown_with_the_rule(client, agent, connection, marketplace, seller_account):
    client.force_login(agent)
    ticket = ticket_on(seller_account, delivered(marketplace))
    response = client.post(
        f"/amazon/tickets/{ticket.pk}/messages/unexpectedProblem/", {"text": "Mail us at help@brewline.example"}
    )
    assert response.status_code == 422 and b"contact_details" in response.content


def test_another_agents_ticket_is_not_found(client, connection, marketplace, seller_account):
    client.force_login(UserFactory())
    ticket = ticket_on(seller_account, delivered(marketplace))
    assert client.get(f"/amazon/tickets/{ticket.pk}/messages/").status_code == 404


def test_request_a_review_says_why_it_cannot(client, agent, connection, marketplace, seller_account):
    client.force_login(agent)
    order = next(o for o in marketplace.visible(START) if o.status(START) == "UNSHIPPED")
    ticket = ticket_on(seller_account, order)
    response = client.post(f"/amazon/tickets/{ticket.pk}/review-request/", follow=True)
    assert b"No review requested: The order is not delivered yet" in response.content
