"""The ticket workspace: the conversation, the side panel, and every action on a ticket."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amazon.spapi.deliveries import fba_deliveries_estimate
from tests.factories import (
    AtoZClaimFactory,
    ProductReviewFactory,
    SellerFeedbackFactory,
    TicketFactory,
)
from tickets.audit import audit_trail
from tickets.models import BlockedMessage, Message, MessageTemplate, Order, OutboundMessage, Ticket
from tickets.presence import presence_touch
from tickets.services import ticket_note_add

pytestmark = pytest.mark.django_db

REFUSED = "We'll refund you if you update your review."


def page(client, ticket) -> str:
    response = client.get(f"/tickets/{ticket.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def reply(client, ticket, body="Your parcel is out for delivery today.", **fields):
    last = ticket.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
    data = {"mode": "reply", "body": body, "status_after": "pending", "seen_message_id": last, **fields}
    return client.post(f"/tickets/{ticket.pk}/reply/", data)


def test_the_conversation_shows_buyer_messages_replies_and_notes_apart(alice_client, alice, account, buyer_writes):
    ticket = buyer_writes(account, "My grinder is jammed.")
    reply(alice_client, ticket, "Sorry! Remove the top burr and brush it out.")
    ticket_note_add(ticket=ticket, body="Second jam this month: check the batch.", actor=alice)
    html = page(alice_client, ticket)
    assert html.index('class="msg inbound"') < html.index('class="msg outbound"') < html.index('class="msg note"')
    assert "internal note · not sent to the buyer" in html


def test_an_outbound_reply_shows_its_delivery_status(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    reply(alice_client, ticket)
    outbound = OutboundMessage.objects.get(ticket=ticket)
    assert f'class="delivery {outbound.status}"' in page(alice_client, ticket)


def test_a_ticket_of_another_account_is_a_404(client, charlie, account, buyer_writes):
    ticket = buyer_writes(account)
    client.force_login(charlie)
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404
    assert reply(client, ticket).status_code == 404
    assert not OutboundMessage.objects.exists()


def test_the_side_panel_shows_the_order_its_channel_and_tracking(alice_client, account, buyer_writes, fbm_order):
    order = fbm_order(account, carrier="UPS", tracking_number="1Z999AA10123456784")
    ticket = buyer_writes(account, order=order)
    html = page(alice_client, ticket)
    assert order.amazon_order_id in html
    assert "UPS" in html and "1Z999AA10123456784" in html
    assert "Brewline Pro Espresso Machine" in html


def test_an_fba_order_says_amazon_handles_its_logistics(alice_client, account, buyer_writes, fbm_order):
    ticket = buyer_writes(account, order=fbm_order(account, fulfillment_channel="FBA"))
    assert "FBA: Amazon handles delivery questions and returns" in page(alice_client, ticket)


def test_an_estimated_fba_delivery_says_it_is_amazons_promise(alice_client, account, buyer_writes, fbm_order):
    promise = timezone.now() - timedelta(days=1)
    order = fbm_order(account, fulfillment_channel="FBA", latest_delivery_date=promise)
    fba_deliveries_estimate(seller_account_id=account.pk, now=timezone.now(), actor="test")
    html = page(alice_client, buyer_writes(account, order=order))
    assert f"Delivered (estimated from Amazon's promise) {promise:%-d %b %Y}" in html


def test_an_open_a_to_z_claim_is_flagged_with_its_respond_by_time_and_counts_toward_odr(
    alice_client, account, buyer_writes, fbm_order
):
    order = fbm_order(account)
    AtoZClaimFactory(order=order, respond_by=timezone.now() + timedelta(hours=30))
    html = page(alice_client, buyer_writes(account, order=order))
    assert "Open A-to-z claim" in html
    assert "Respond by" in html
    assert "This order counts toward ODR" in html


def test_an_order_without_defects_does_not_count_toward_odr(alice_client, account, buyer_writes, fbm_order):
    html = page(alice_client, buyer_writes(account, order=fbm_order(account)))
    assert "counts toward ODR" not in html


def test_negative_feedback_older_than_the_panel_lists_still_counts_toward_odr(
    alice_client, account, buyer_writes, fbm_order
):
    order = fbm_order(account)
    SellerFeedbackFactory(order=order, rating=1, left_at=timezone.now() - timedelta(days=3))
    for _ in range(10):  # newer feedback on the buyer's other orders fills the panel
        SellerFeedbackFactory(order=fbm_order(account, buyer=order.buyer), rating=5)
    assert "This order counts toward ODR" in page(alice_client, buyer_writes(account, order=order))


def test_an_order_without_claims_chargebacks_or_feedback_is_not_asked_about_odr(
    alice_client, account, buyer_writes, fbm_order, django_assert_num_queries
):
    order_without = fbm_order(account)
    order_with = fbm_order(account, buyer=order_without.buyer)
    SellerFeedbackFactory(order=order_with, rating=5)
    without, with_feedback = buyer_writes(account, order=order_without), buyer_writes(account, order=order_with)
    page(alice_client, with_feedback)
    with CaptureQueriesContext(connection) as asked:
        page(alice_client, with_feedback)
    with django_assert_num_queries(len(asked) - 1):
        page(alice_client, without)


def test_the_buyer_panel_shows_earlier_tickets_feedback_and_reviews(alice_client, account, buyer_writes, fbm_order):
    order = fbm_order(account)
    earlier = TicketFactory(seller_account=account, buyer=order.buyer, subject="Earlier: missing scoop")
    SellerFeedbackFactory(order=order, rating=1, comment="Arrived broken")
    ProductReviewFactory(product=order.items.get().product, buyer=order.buyer, rating=2, title="Leaks water")
    html = page(alice_client, buyer_writes(account, order=order))
    assert "Earlier: missing scoop" in html and f"/tickets/{earlier.pk}/" in html
    assert "Arrived broken" in html
    assert "Leaks water" in html
    assert "Negative seller feedback (1★)" in html


def test_buyer_text_is_escaped_in_the_workspace(alice_client, account, buyer_writes):
    ticket = buyer_writes(account, '<script>alert("x")</script><b onmouseover=alert(1)>hi</b>', subject="<i>x</i>")
    html = page(alice_client, ticket)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "<b onmouseover" not in html
    assert "<i>x</i>" not in html


def test_the_workspace_runs_the_same_number_of_queries_for_a_short_or_long_history(
    alice_client, account, buyer_writes, fbm_order, django_assert_max_num_queries
):
    order = fbm_order(account)
    ticket = buyer_writes(account, "first", order=order)
    with CaptureQueriesContext(connection) as short:
        page(alice_client, ticket)
    for n in range(30):
        buyer_writes(account, f"more {n}", order=order, hours_ago=0.5)
        fbm_order(account, buyer=order.buyer)
        TicketFactory(seller_account=account, buyer=order.buyer)
    with django_assert_max_num_queries(len(short)):
        page(alice_client, ticket)


# --- Replies --------------------------------------------------------------------------------------


def test_a_reply_goes_through_the_outbound_path_and_stops_the_clock(alice_client, alice, account, buyer_writes):
    ticket = buyer_writes(account)
    response = reply(alice_client, ticket, "Your parcel is out for delivery today.")
    assert response.status_code == 302
    outbound = OutboundMessage.objects.get(ticket=ticket)
    assert outbound.body == "Your parcel is out for delivery today."
    assert outbound.created_by == alice
    ticket.refresh_from_db()
    assert ticket.sla_due_at is None
    assert ticket.status == Ticket.Status.PENDING


def test_send_and_solve_solves_the_ticket(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    reply(alice_client, ticket, status_after="solved")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED


def test_a_refused_reply_is_not_sent_keeps_the_draft_and_shows_the_rule(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    response = reply(alice_client, ticket, REFUSED)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Not sent: this message breaks Amazon" in html
    # The rule in a sentence an agent reads, not its id.
    assert "Do not ask the buyer to change, update or remove a review" in html
    assert "review_change_request" not in html
    assert "We&#x27;ll refund you if you update your review." in html  # the draft is kept
    assert not OutboundMessage.objects.exists()
    assert BlockedMessage.objects.get().channel == "ui"
    ticket.refresh_from_db()
    assert ticket.sla_due_at is not None  # a refused message is no response
    assert ticket.status == Ticket.Status.NEW


def test_an_empty_reply_is_a_form_error(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    response = reply(alice_client, ticket, "   ")
    assert response.status_code == 400
    assert "Write a message first." in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_an_internal_note_is_never_sent_and_leaves_the_clock_running(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    due = ticket.sla_due_at
    response = reply(alice_client, ticket, "Check the warehouse photo first.", mode="note")
    assert response.status_code == 302
    assert ticket.messages.filter(direction=Message.Direction.NOTE, body="Check the warehouse photo first.").exists()
    assert not OutboundMessage.objects.exists()
    ticket.refresh_from_db()
    assert ticket.sla_due_at == due


def test_a_template_is_filled_in_for_the_ticket(alice_client, account, buyer_writes, fbm_order):
    order = fbm_order(account, carrier="UPS", tracking_number="1Z999AA10123456784")
    ticket = buyer_writes(account, order=order)
    html = alice_client.get(f"/tickets/{ticket.pk}/", {"template": "where_is_my_package"}).content.decode()
    assert f"Hello {order.buyer.name}" in html.replace("&#x27;", "'")
    assert "1Z999AA10123456784" in html


def test_picking_a_template_with_htmx_returns_only_the_reply_box(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    response = alice_client.get(
        f"/tickets/{ticket.pk}/", {"template": "refund_issued"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="reply-form"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="reply-form"')
    assert "I have issued a full refund" in html


def test_an_account_template_replaces_the_default_of_the_same_slug(alice_client, account, buyer_writes):
    MessageTemplate.objects.create(
        seller_account=account, slug="refund_issued", name="Our refund text", body="Refund done, {{ buyer.name }}."
    )
    ticket = buyer_writes(account)
    html = alice_client.get(f"/tickets/{ticket.pk}/", {"template": "refund_issued"}).content.decode()
    assert "Refund done," in html
    assert "Our refund text" in html and html.count("refund_issued") >= 1


def test_the_refund_action_records_the_refund_on_the_order_with_the_reply(
    alice_client, account, buyer_writes, fbm_order
):
    order = fbm_order(account)
    ticket = buyer_writes(account, order=order)
    response = reply(
        alice_client, ticket, "I have issued a full refund for your order.", action="refund", template="refund_issued"
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.refunded_at is not None
    assert audit_trail(ticket).filter(action="action.refund").exists()
    assert OutboundMessage.objects.get(ticket=ticket).template.slug == "refund_issued"


def test_a_return_label_for_an_fba_order_is_refused_and_nothing_is_sent(alice_client, account, buyer_writes, fbm_order):
    ticket = buyer_writes(account, order=fbm_order(account, fulfillment_channel="FBA"))
    response = reply(alice_client, ticket, "Here is your return label.", action="return_label")
    assert response.status_code == 409
    assert "Amazon handles FBA returns" in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_a_refused_action_reply_records_no_refund(alice_client, account, buyer_writes, fbm_order):
    order = fbm_order(account)
    ticket = buyer_writes(account, order=order)
    reply(alice_client, ticket, "Refund issued. " + REFUSED, action="refund")
    order.refresh_from_db()
    assert order.refunded_at is None
    assert not audit_trail(ticket).filter(action="action.refund").exists()


# --- Collisions -----------------------------------------------------------------------------------


def test_a_reply_written_before_a_colleague_replied_is_held_back_with_a_notice(
    alice_client, account, bob, buyer_writes
):
    ticket = buyer_writes(account)
    seen = ticket.messages.latest("pk").pk
    from tickets.replies import ticket_reply

    ticket_reply(ticket=ticket, body="Bob here: it ships today.", actor=bob, channel="ui")
    response = alice_client.post(
        f"/tickets/{ticket.pk}/reply/",
        {"mode": "reply", "body": "Alice here: it shipped.", "status_after": "", "seen_message_id": seen},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Since you opened this ticket" in html
    assert "Send anyway" in html
    assert "Alice here: it shipped." in html
    assert OutboundMessage.objects.filter(ticket=ticket).count() == 1
    response = alice_client.post(
        f"/tickets/{ticket.pk}/reply/",
        {
            "mode": "reply",
            "body": "Alice here: it shipped.",
            "status_after": "",
            "seen_message_id": seen,
            "send_anyway": "on",
        },
    )
    assert response.status_code == 302
    assert OutboundMessage.objects.filter(ticket=ticket).count() == 2


def test_a_new_buyer_message_since_opening_also_holds_the_reply_back(alice_client, account, buyer_writes):
    ticket = buyer_writes(account, "Where is it?")
    seen = ticket.messages.latest("pk").pk
    buyer_writes(account, "Never mind, it just arrived!", buyer=ticket.buyer)
    response = alice_client.post(
        f"/tickets/{ticket.pk}/reply/", {"mode": "reply", "body": "It ships today.", "seen_message_id": seen}
    )
    assert response.status_code == 409
    assert "the buyer wrote again" in response.content.decode()


def test_the_workspace_says_who_else_is_viewing_the_ticket(alice_client, account, bob, buyer_writes):
    bob.first_name, bob.last_name = "Bob", "Builder"
    bob.save()
    ticket = buyer_writes(account)
    presence_touch(ticket_id=ticket.pk, user=bob)
    assert "Bob Builder is viewing this ticket too." in page(alice_client, ticket)


def test_the_presence_poll_reports_messages_added_since_the_page_loaded(alice_client, account, bob, buyer_writes):
    ticket = buyer_writes(account)
    seen = ticket.messages.latest("pk").pk
    ticket_note_add(ticket=ticket, body="I'll take this one.", actor=bob)
    html = alice_client.get(f"/tickets/{ticket.pk}/presence/", {"seen": seen}).content.decode()
    assert "New on this ticket since you opened it" in html


# --- Live compliance check -------------------------------------------------------------------------


def test_the_live_check_marks_the_words_a_rule_objects_to(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    html = alice_client.post(f"/tickets/{ticket.pk}/check/", {"body": REFUSED, "mode": "reply"}).content.decode()
    assert "This message would be refused" in html
    assert "<mark" in html and "update your review</mark>" in html


def test_the_live_check_passes_a_compliant_reply(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    html = alice_client.post(
        f"/tickets/{ticket.pk}/check/", {"body": "It ships today.", "mode": "reply"}
    ).content.decode()
    assert "Within Amazon" in html


def test_the_live_check_escapes_the_draft(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    body = "<script>x</script> please update your review"
    html = alice_client.post(f"/tickets/{ticket.pk}/check/", {"body": body, "mode": "reply"}).content.decode()
    assert "<script>x</script>" not in html


@pytest.fixture
def checks_per_minute(settings):
    settings.COMPLIANCE_LIVE_CHECK_RATE = "2/minute"
    # Start at the top of a minute: the limit's window is on the clock.
    with time_machine.travel((time.time() // 60 + 1) * 60, tick=True):
        yield


def live_check(client, ticket, body="It ships today."):
    return client.post(f"/tickets/{ticket.pk}/check/", {"body": body, "mode": "reply"})


def test_the_live_check_pauses_past_its_rate(alice_client, account, buyer_writes, checks_per_minute):
    ticket = buyer_writes(account)
    assert [live_check(alice_client, ticket).status_code for _ in range(3)] == [200, 200, 429]


def test_a_paused_live_check_says_so_calmly_and_when_to_retry(alice_client, account, buyer_writes, checks_per_minute):
    ticket = buyer_writes(account)
    live_check(alice_client, ticket), live_check(alice_client, ticket)
    response = live_check(alice_client, ticket, REFUSED)
    assert "Live check paused" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_the_live_check_limit_is_per_person(alice_client, bob, account, buyer_writes, checks_per_minute):
    ticket = buyer_writes(account)
    live_check(alice_client, ticket), live_check(alice_client, ticket), live_check(alice_client, ticket)
    alice_client.force_login(bob)
    assert live_check(alice_client, ticket).status_code == 200


def test_a_paused_live_check_never_lets_a_violation_through_on_send(
    alice_client, account, buyer_writes, checks_per_minute
):
    ticket = buyer_writes(account)
    live_check(alice_client, ticket), live_check(alice_client, ticket), live_check(alice_client, ticket)
    assert (reply(alice_client, ticket, REFUSED).status_code, OutboundMessage.objects.count()) == (422, 0)


# --- Status, priority, assignee, no response needed -------------------------------------------------


def test_the_update_form_changes_status_priority_and_assignee(alice_client, account, bob, buyer_writes):
    ticket = buyer_writes(account)
    response = alice_client.post(f"/tickets/{ticket.pk}/update/", {"status": "open", "priority": 4, "assignee": bob.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee) == ("open", 4, bob)


def test_a_closed_ticket_cannot_be_reopened_from_the_form(alice_client, account):
    ticket = TicketFactory(seller_account=account, status=Ticket.Status.CLOSED)
    response = alice_client.post(f"/tickets/{ticket.pk}/update/", {"status": "open", "priority": 2, "assignee": ""})
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_a_ticket_cannot_be_assigned_to_someone_outside_its_account(alice_client, account, charlie, buyer_writes):
    ticket = buyer_writes(account)
    response = alice_client.post(
        f"/tickets/{ticket.pk}/update/", {"status": "new", "priority": 2, "assignee": charlie.pk}
    )
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_no_response_needed_stops_the_clock_and_solves_the_ticket(alice_client, account, buyer_writes):
    ticket = buyer_writes(account, "Thank you, the crema is amazing!")
    response = alice_client.post(f"/tickets/{ticket.pk}/no-response-needed/")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.sla_due_at, ticket.no_response_needed, ticket.status) == (None, True, "solved")
    assert ticket.messages.get().no_response_needed


def test_actions_need_a_post(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    assert alice_client.get(f"/tickets/{ticket.pk}/no-response-needed/").status_code == 405
    assert Order.objects.count() == 0
