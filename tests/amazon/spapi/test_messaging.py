"""Message via Amazon against the local Amazon: the types offered per order, the buyer's
language, and the Messaging API gateway on the one outbound path (attachments through Uploads)."""

from datetime import UTC, datetime, timedelta

import pytest

from amazon.spapi.messaging import MessagingUnavailable, amazon_message_send, messaging_options
from amazon_sandbox import contact_api
from amazon_sandbox.marketplace import MFN
from tests.factories import OrderFactory, TicketFactory
from tickets.attachments import AttachmentIn
from tickets.models import Gateway, MessageTemplate, OutboundMessage
from tickets.outbound.amazon_actions import AMAZON_ACTIONS, AmazonActionInvalid, amazon_action_proposal
from tickets.outbound.services import ComplianceRefused, outbound_deliver

from .conftest import START

PDF = AttachmentIn(name="warranty.pdf", content_type="application/pdf", content=b"%PDF-1.4 two years\n")


def desk_ticket(account, sandbox_order):
    order = OrderFactory(seller_account=account, amazon_order_id=sandbox_order.order_id)
    return TicketFactory(seller_account=account, buyer=order.buyer, order=order)


def delivered(marketplace):
    return next(o for o in marketplace.visible(START) if o.is_delivered(START) and o.status(START) == "SHIPPED")


def in_transit(marketplace):
    return next(
        o
        for o in marketplace.visible(START)
        if o.channel == MFN and o.status(START) == "SHIPPED" and not o.is_delivered(START)
    )


@pytest.fixture
def now(advance):
    advance(seconds=0)


def test_the_desk_offers_what_amazon_offers_for_the_order(connection, marketplace, seller_account, clock):
    ticket = desk_ticket(seller_account, in_transit(marketplace))
    options = messaging_options(ticket=ticket)
    assert "confirmDeliveryDetails" in options.actions and "warranty" not in options.actions


def test_the_buyers_language_comes_from_amazon(connection, marketplace, seller_account):
    order = next(o for o in marketplace.visible(START) if contact_api.buyer_locale(o) == "es-US")
    assert messaging_options(ticket=desk_ticket(seller_account, order)).locale == "es-US"


def test_an_account_not_connected_cannot_ask(db, marketplace, seller_account, sandbox_url):
    ticket = desk_ticket(seller_account, delivered(marketplace))
    with pytest.raises(MessagingUnavailable):
        messaging_options(ticket=ticket)


def test_an_unexpected_problem_reaches_amazon_through_the_outbox(connection, sandbox, marketplace, seller_account):
    order = delivered(marketplace)
    ticket = desk_ticket(seller_account, order)
    text = f"Order {order.order_id}: the carrier reports a damaged parcel; a replacement ships today."
    outbound = amazon_message_send(
        ticket=ticket, action_name="unexpectedProblem", text=text, attachments=[], actor=None, channel="test"
    )
    assert (outbound.gateway, outbound_deliver(outbound_id=outbound.pk)) == (Gateway.SP_API, "sent")
    assert sandbox.contacts.messages[-1]["body"] == {"text": text}


def test_a_warranty_uploads_its_attachment_and_sends_the_coverage(connection, sandbox, marketplace, seller_account):
    ticket = desk_ticket(seller_account, delivered(marketplace))
    coverage = (datetime(2026, 6, 15, tzinfo=UTC), datetime(2028, 6, 15, tzinfo=UTC))
    outbound = amazon_message_send(
        ticket=ticket, action_name="warranty", text="", attachments=[PDF], coverage=coverage, actor=None, channel="t"
    )
    outbound_deliver(outbound_id=outbound.pk)
    sent = sandbox.contacts.messages[-1]["body"]
    destination = sandbox.contacts.uploads.destinations[sent["attachments"][0]["uploadDestinationId"]]
    assert (sent["coverageStartDate"], destination.content) == ("2026-06-15T00:00:00Z", PDF.content)


def test_a_type_amazon_does_not_offer_is_never_queued(connection, marketplace, seller_account):
    ticket = desk_ticket(seller_account, in_transit(marketplace))
    with pytest.raises(AmazonActionInvalid) as refused:
        amazon_message_send(
            ticket=ticket,
            action_name="warranty",
            text="",
            attachments=[PDF],
            actor=None,
            channel="test",
            coverage=(datetime(2026, 6, 15, tzinfo=UTC), datetime(2027, 6, 15, tzinfo=UTC)),
        )
    assert refused.value.not_offered and not OutboundMessage.objects.exists()


def test_the_guard_refuses_an_email_address_before_amazon_sees_it(connection, sandbox, marketplace, seller_account):
    ticket = desk_ticket(seller_account, in_transit(marketplace))
    with pytest.raises(ComplianceRefused):
        amazon_message_send(
            ticket=ticket,
            action_name="confirmDeliveryDetails",
            text="Please confirm your address at help@brewline.example.",
            attachments=[],
            actor=None,
            channel="test",
        )
    assert sandbox.contacts.messages == [] and not OutboundMessage.objects.exists()


def test_a_type_amazon_withdrew_since_shows_amazons_reason(connection, advance, marketplace, seller_account):
    order = in_transit(marketplace)
    ticket = desk_ticket(seller_account, order)
    outbound = amazon_message_send(
        ticket=ticket,
        action_name="confirmDeliveryDetails",
        text=f"Order {order.order_id}: which day suits you for the delivery?",
        attachments=[],
        actor=None,
        channel="test",
    )
    advance(seconds=(order.delivered - START).total_seconds() + 60)  # delivered before the worker ran
    assert outbound_deliver(outbound_id=outbound.pk) == "rejected"
    outbound.refresh_from_db()
    assert "not available for the order" in outbound.last_error


def test_amazons_rate_limit_is_retried_later(connection, sandbox, marketplace, seller_account):
    order = delivered(marketplace)
    ticket = desk_ticket(seller_account, order)
    outbound = amazon_message_send(
        ticket=ticket,
        action_name="unexpectedProblem",
        text=f"Order {order.order_id} is delayed by the carrier.",
        attachments=[],
        actor=None,
        channel="test",
    )
    sandbox.limiter.allow = lambda **kwargs: False  # every bucket empty
    assert outbound_deliver(outbound_id=outbound.pk) == "failed"


def test_a_template_in_the_buyers_language_is_proposed(db, seller_account, marketplace):
    ticket = desk_ticket(seller_account, delivered(marketplace))
    MessageTemplate.objects.create(
        seller_account=seller_account,
        name="Problema",
        slug="problema-es",
        purpose="amazon_unexpected_problem",
        language="es",
        body="Hola {{ buyer.name }}, hay un problema con su pedido {{ order.amazon_order_id }}.",
    )
    action = AMAZON_ACTIONS["unexpectedProblem"]
    (es, _), (fr, template) = (
        amazon_action_proposal(ticket=ticket, action=action, locale=locale) for locale in ("es-US", "fr-FR")
    )
    assert es.startswith("Hola") and ticket.order.amazon_order_id in es and (fr, template) == ("", None)


@pytest.mark.parametrize(
    ("action", "fields", "field"),
    [
        ("unexpectedProblem", {"text": "x" * 2001}, "text"),
        ("digitalAccessKey", {"text": "k" * 401}, "text"),
        ("confirmCustomizationDetails", {"text": "c" * 801}, "text"),
        ("warranty", {"text": "", "attachments": []}, "attachments"),
        ("invoice", {"text": "Here is your invoice", "attachments": [PDF]}, "text"),
        ("warranty", {"text": "", "attachments": [PDF]}, "coverage"),
        ("unexpectedProblem", {"text": "Delayed", "attachments": [PDF]}, "attachments"),
        ("legalDisclosure", {"text": "", "attachments": [PDF] * 6}, "attachments"),
    ],
)
def test_each_type_has_its_own_limits(db, seller_account, marketplace, action, fields, field):
    from tickets.outbound.amazon_actions import amazon_action_send

    ticket = desk_ticket(seller_account, delivered(marketplace))
    with pytest.raises(AmazonActionInvalid) as refused:
        amazon_action_send(
            ticket=ticket,
            action_name=action,
            offered=list(AMAZON_ACTIONS),
            actor=None,
            channel="test",
            text=fields["text"],
            attachments=fields.get("attachments", []),
        )
    assert field in refused.value.errors


def test_coverage_must_end_after_it_starts(db, seller_account, marketplace):
    from tickets.outbound.amazon_actions import amazon_action_send

    ticket = desk_ticket(seller_account, delivered(marketplace))
    start = datetime(2026, 6, 15, tzinfo=UTC)
    with pytest.raises(AmazonActionInvalid) as refused:
        amazon_action_send(
            ticket=ticket,
            action_name="warranty",
            offered=["warranty"],
            actor=None,
            channel="test",
            text="",
            attachments=[PDF],
            coverage=(start, start - timedelta(days=1)),
        )
    assert "coverage" in refused.value.errors


def test_the_default_templates_propose_german_for_a_german_buyer(db, seller_account, marketplace):
    ticket = desk_ticket(seller_account, delivered(marketplace))
    text, template = amazon_action_proposal(ticket=ticket, action=AMAZON_ACTIONS["unexpectedProblem"], locale="de-DE")
    assert (template.language, ticket.order.amazon_order_id in text) == ("de", True)


def test_a_retry_uploads_the_stored_file_again(connection, sandbox, marketplace, seller_account):
    ticket = desk_ticket(seller_account, delivered(marketplace))
    coverage = (datetime(2026, 6, 15, tzinfo=UTC), datetime(2028, 6, 15, tzinfo=UTC))
    outbound = amazon_message_send(
        ticket=ticket, action_name="warranty", text="", attachments=[PDF], coverage=coverage, actor=None, channel="t"
    )
    allow = sandbox.limiter.allow
    sandbox.limiter.allow = lambda **kwargs: False  # Amazon throttles the first attempt
    assert outbound_deliver(outbound_id=outbound.pk) == "failed"
    sandbox.limiter.allow = allow
    OutboundMessage.objects.filter(pk=outbound.pk).update(next_attempt_at=outbound.created_at)
    assert outbound_deliver(outbound_id=outbound.pk) == "sent"
    sent = sandbox.contacts.messages[-1]["body"]["attachments"][0]
    assert sandbox.contacts.uploads.destinations[sent["uploadDestinationId"]].content == PDF.content


def send_invoice(ticket, file):
    from tickets.outbound.amazon_actions import amazon_action_send

    return amazon_action_send(
        ticket=ticket,
        action_name="invoice",
        offered=["invoice"],
        actor=None,
        channel="test",
        text="",
        attachments=[file],
    )


def test_an_invoice_takes_a_type_the_relay_does_not(db, seller_account, marketplace):
    # The Messaging API's own rules, not the relay's: any type its Uploads API takes.
    ticket = desk_ticket(seller_account, delivered(marketplace))
    manual = AttachmentIn(name="manual.zip", content_type="application/zip", content=b"PK\x03\x04 the manual")
    outbound = send_invoice(ticket, manual)
    assert outbound.attachments.values_list("name", "content_type", "size").get() == (
        "manual.zip",
        "application/zip",
        len(manual.content),
    )


@pytest.mark.parametrize(
    "file",
    [
        AttachmentIn(name="big.pdf", content_type="application/pdf", content=b"x" * (10 * 1024 * 1024 + 1)),
        AttachmentIn(name="empty.pdf", content_type="application/pdf", content=b""),
    ],
)
def test_an_invoice_file_over_10_mb_or_empty_is_a_field_error(db, seller_account, marketplace, file):
    ticket = desk_ticket(seller_account, delivered(marketplace))
    with pytest.raises(AmazonActionInvalid) as refused:
        send_invoice(ticket, file)
    assert (list(refused.value.errors), OutboundMessage.objects.exists()) == (["attachments"], False)
