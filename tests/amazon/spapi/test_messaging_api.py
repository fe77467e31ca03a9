"""The REST API's Message via Amazon: every type Amazon can offer, and every refusal."""

import base64
from datetime import timedelta

import pytest

from amazon_sandbox import contact_api
from amazon_sandbox.marketplace import AFN, MFN
from api.models import ApiKeyScope
from tests.api.conftest import KeyClient, make_key
from tests.factories import OrderFactory, SellerAccountFactory, TicketFactory
from tickets.models import MessageTemplate, OutboundMessage
from tickets.outbound.services import outbound_deliver

from .conftest import START

PDF = {"file_name": "doc.pdf", "content_base64": base64.b64encode(b"%PDF-1.4 doc\n").decode()}
COVERAGE = {"coverage_start_date": "2026-06-15T00:00:00Z", "coverage_end_date": "2028-06-15T00:00:00Z"}


def find(marketplace, test):
    return next(o for o in marketplace.visible(START) if test(o))


# One sandbox order per type that Amazon (the sandbox) offers, and a valid body for it.
CASES = {
    "confirmDeliveryDetails": (
        lambda o: o.channel == MFN and o.status(START) == "SHIPPED" and not o.is_delivered(START),
        {"text": "Which day suits you for the delivery of your order?"},
    ),
    "confirmOrderDetails": (
        lambda o: o.channel == MFN and o.status(START) == "UNSHIPPED",
        {"text": "Which of the two grind sizes did you mean for your order?"},
    ),
    "confirmCustomizationDetails": (
        lambda o: o.channel == MFN and o.status(START) == "UNSHIPPED",
        {"text": "Please confirm the initials to engrave: J. R.", "attachments": [PDF]},
    ),
    "unexpectedProblem": (
        lambda o: o.is_delivered(START) and o.status(START) == "SHIPPED",
        {"text": "The carrier reports your parcel damaged; a replacement ships today."},
    ),
    "digitalAccessKey": (
        lambda o: o.is_delivered(START) and any(i.product.title.startswith("Digital") for i in o.items),
        {"text": "Your scale's app key: 7F3K-22QX-9LMB."},
    ),
    "warranty": (lambda o: o.is_delivered(START), {"attachments": [PDF], **COVERAGE}),
    "invoice": (lambda o: o.status(START) == "SHIPPED", {"attachments": [PDF]}),
    "legalDisclosure": (lambda o: o.status(START) == "SHIPPED", {"attachments": [PDF]}),
}


@pytest.fixture
def key(seller_account):
    return KeyClient(make_key(accounts=[seller_account], scope=ApiKeyScope.AGENT)[1])


def ticket_on(account, sandbox_order):
    order = OrderFactory(seller_account=account, amazon_order_id=sandbox_order.order_id)
    return TicketFactory(seller_account=account, buyer=order.buyer, order=order)


def url(ticket, action=None):
    base = f"/api/v1/tickets/{ticket.pk}/amazon-actions/"
    return f"{base}{action}/" if action else base


def test_the_list_is_what_amazon_offers_for_the_order(connection, key, marketplace, seller_account):
    ticket = ticket_on(seller_account, find(marketplace, CASES["confirmDeliveryDetails"][0]))
    body = key.get(url(ticket)).json()
    offered = contact_api.message_actions(marketplace.by_id[ticket.order.amazon_order_id], START)
    assert {a["action"] for a in body["actions"]} == set(offered) and "warranty" not in offered


def test_the_list_proposes_a_template_in_the_buyers_language(connection, key, marketplace, seller_account):
    order = find(marketplace, lambda o: o.is_delivered(START) and contact_api.buyer_locale(o) == "es-US")
    ticket = ticket_on(seller_account, order)
    MessageTemplate.objects.create(
        seller_account=seller_account,
        name="Problema (es)",
        slug="problema-es",
        purpose="amazon_unexpected_problem",
        language="es",
        body="Hola, hay un problema con su pedido {{ order.amazon_order_id }}.",
    )
    body = key.get(url(ticket)).json()
    problem = next(a for a in body["actions"] if a["action"] == "unexpectedProblem")
    assert (body["buyer_locale"], problem["template"]) == ("es-US", "problema-es")
    assert order.order_id in problem["proposed_text"]


@pytest.mark.parametrize("action", sorted(CASES))
def test_every_type_amazon_offers_is_queued_and_delivered(
    connection, sandbox, key, marketplace, seller_account, action
):
    test, payload = CASES[action]
    ticket = ticket_on(seller_account, find(marketplace, test))
    response = key.post(url(ticket, action), payload)
    assert response.status_code == 201, response.json()
    assert outbound_deliver(outbound_id=response.json()["id"]) == "sent"
    assert sandbox.contacts.messages[-1]["action"] == action


def test_home_service_details_are_refused_when_amazon_does_not_offer_them(connection, key, marketplace, seller_account):
    ticket = ticket_on(seller_account, find(marketplace, lambda o: o.status(START) == "SHIPPED"))
    response = key.post(url(ticket, "confirmServiceDetails"), {"text": "When may our technician come?"})
    assert (response.status_code, OutboundMessage.objects.count()) == (409, 0)


def test_a_warranty_before_delivery_is_refused(connection, key, marketplace, seller_account):
    ticket = ticket_on(seller_account, find(marketplace, CASES["confirmDeliveryDetails"][0]))
    response = key.post(url(ticket, "warranty"), {"attachments": [PDF], **COVERAGE})
    assert response.status_code == 409 and "warranty" not in str(response.json()).split("allows:")[1].lower()


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [
        ("unexpectedProblem", {"text": "x" * 2001}, "text"),
        ("digitalAccessKey", {"text": "k" * 401}, "text"),
        ("unexpectedProblem", {"text": ""}, "text"),
        ("warranty", {"attachments": [], **COVERAGE}, "attachments"),
        ("warranty", {"attachments": [PDF]}, "coverage"),
        ("invoice", {"text": "Your invoice", "attachments": [PDF]}, "text"),
        ("legalDisclosure", {"attachments": [PDF] * 6}, "attachments"),
        ("invoice", {"attachments": [{"file_name": "i.pdf", "content_base64": "not base64!"}]}, "attachments"),
    ],
)
def test_the_types_limits_are_field_errors(connection, key, marketplace, seller_account, action, payload, field):
    test = CASES["digitalAccessKey"][0] if action == "digitalAccessKey" else CASES["warranty"][0]
    ticket = ticket_on(seller_account, find(marketplace, test))
    response = key.post(url(ticket, action), payload)
    assert (response.status_code, field in response.json()) == (400, True)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Your parcel is <b>delayed</b>.", "html"),
        ("Write to help@brewline.example about the delay.", "contact_details"),
        ("Your parcel is delayed 😢 sorry.", "emoji"),
        ("Sorry for the delay! Please leave us a 5-star review.", "positive_review_request"),
        ("Delayed: use code SAVE20 for 20% off your next order.", "marketing"),
        ("Track it at http://tracking.example.net/abc", "external_link"),
    ],
)
def test_the_guard_refuses_before_amazon_sees_it(connection, sandbox, key, marketplace, seller_account, text, rule):
    ticket = ticket_on(seller_account, find(marketplace, CASES["unexpectedProblem"][0]))
    response = key.post(url(ticket, "unexpectedProblem"), {"text": text})
    assert response.status_code == 422 and rule in {v["rule"] for v in response.json()["violations"]}
    assert sandbox.contacts.messages == []


def test_a_read_key_may_list_but_not_send(connection, marketplace, seller_account):
    reader = KeyClient(make_key(accounts=[seller_account], scope=ApiKeyScope.READ)[1])
    ticket = ticket_on(seller_account, find(marketplace, CASES["unexpectedProblem"][0]))
    statuses = (
        reader.get(url(ticket)).status_code,
        reader.post(url(ticket, "unexpectedProblem"), CASES["unexpectedProblem"][1]).status_code,
    )
    assert statuses == (200, 403)


def test_another_accounts_ticket_is_not_found(connection, marketplace, seller_account):
    stranger = KeyClient(make_key(accounts=[SellerAccountFactory()], scope=ApiKeyScope.AGENT)[1])
    ticket = ticket_on(seller_account, find(marketplace, CASES["unexpectedProblem"][0]))
    statuses = (stranger.get(url(ticket)).status_code, stranger.post(url(ticket, "invoice"), {}).status_code)
    assert statuses == (404, 404)


def test_an_unknown_type_is_not_found(connection, key, marketplace, seller_account):
    ticket = ticket_on(seller_account, find(marketplace, CASES["unexpectedProblem"][0]))
    assert key.post(url(ticket, "negativeFeedbackRemoval"), {"text": "Please"}).status_code == 404


def test_a_ticket_without_an_order_is_a_conflict(connection, key, seller_account):
    ticket = TicketFactory(seller_account=seller_account)
    assert key.get(url(ticket)).status_code == 409


def test_an_account_not_connected_is_a_conflict(db, sandbox_url, key, marketplace, seller_account):
    ticket = ticket_on(seller_account, find(marketplace, CASES["unexpectedProblem"][0]))
    assert key.get(url(ticket)).status_code == 409


def test_amazons_rate_limit_answers_429_with_retry_after(connection, sandbox, key, marketplace, seller_account):
    ticket = ticket_on(seller_account, find(marketplace, CASES["unexpectedProblem"][0]))
    sandbox.limiter.allow = lambda **kwargs: False
    response = key.get(url(ticket))
    assert (response.status_code, int(response["Retry-After"]) >= 1) == (429, True)


def test_amazon_down_answers_503(connection, key, marketplace, seller_account):
    connection.endpoint = "http://127.0.0.1:9"  # nothing listens there
    connection.save()
    ticket = ticket_on(seller_account, find(marketplace, CASES["unexpectedProblem"][0]))
    assert key.get(url(ticket)).status_code == 503


def test_a_type_withdrawn_before_delivery_shows_amazons_reason(connection, advance, key, marketplace, seller_account):
    order = find(marketplace, CASES["confirmDeliveryDetails"][0])
    ticket = ticket_on(seller_account, order)
    response = key.post(url(ticket, "confirmDeliveryDetails"), CASES["confirmDeliveryDetails"][1])
    advance(seconds=(order.delivered - START + timedelta(minutes=1)).total_seconds())
    outbound_deliver(outbound_id=response.json()["id"])
    outbound = OutboundMessage.objects.get(pk=response.json()["id"])
    assert (outbound.status, "not available" in outbound.last_error) == ("rejected", True)


def test_an_fba_order_before_shipping_has_no_invoice(connection, key, marketplace, seller_account):
    order = find(marketplace, lambda o: o.channel == AFN and o.status(START) == "UNSHIPPED")
    ticket = ticket_on(seller_account, order)
    assert key.post(url(ticket, "invoice"), {"attachments": [PDF]}).status_code == 409


def test_a_doubt_refuses_instead_of_holding(connection, sandbox, key, marketplace, seller_account):
    from tickets.models import ForbiddenPhrase, HeldMessage, PhraseAction

    ForbiddenPhrase.objects.create(seller_account=seller_account, phrase="lifetime guarantee", action=PhraseAction.HOLD)
    ticket = ticket_on(seller_account, find(marketplace, CASES["unexpectedProblem"][0]))
    response = key.post(url(ticket, "unexpectedProblem"), {"text": "Delayed, but it has a lifetime guarantee."})
    assert (response.status_code, HeldMessage.objects.count(), sandbox.contacts.messages) == (422, 0, [])


def test_a_warranty_file_is_listed_on_its_message_and_served_only_to_the_tickets_accounts(
    connection, key, marketplace, seller_account, other_seller_account
):
    ticket = ticket_on(seller_account, find(marketplace, CASES["warranty"][0]))
    key.post(url(ticket, "warranty"), {"attachments": [PDF], **COVERAGE})
    [message] = key.get(f"/api/v1/messages/?ticket={ticket.pk}").json()["results"]
    [file] = message["attachments"]
    outsider = KeyClient(make_key(accounts=[other_seller_account], scope=ApiKeyScope.AGENT)[1])
    served = key.get(file["url"])
    assert (file["name"], file["size"], file["content_type"]) == ("doc.pdf", 13, "application/pdf")
    assert (b"".join(served.streaming_content), outsider.get(file["url"]).status_code) == (b"%PDF-1.4 doc\n", 404)
