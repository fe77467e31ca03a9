"""The Django admin, the managers' tool: every page opens, lists stay flat in queries,
edits of important records are audited, and the audit log cannot be edited."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from amazon.models import (
    NotBuyerMessage,
    QuarantinedEmail,
    RawEmail,
    ReviewRequest,
    SpApiConnection,  # noqa: E402
)
from amazon.spapi.models import ReportRun
from api.models import WebhookDelivery
from metrics.models import AccountHealth, AmazonOdr, HealthAlert, MetricSnapshot, OrderDayCount
from reimbursements.models import (
    FbaCustomerReturn,
    FbaLedgerAdjustment,
    FbaRefund,
    FbaReimbursement,
    FbaReplacement,
    ReimbursementCase,
)
from reviews.models import AmazonReviewTopic, AmazonTopicFetch, InsightAlert, ReviewRatingChange, ReviewThemeMatch
from tests.factories import (
    AtoZClaimFactory,
    BuyerFactory,
    ChargebackFactory,
    HeldMessageFactory,
    MessageFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    SellerAccountFactory,
    TicketFactory,
    UserFactory,
)
from tickets.audit import audit_record, audit_trail
from tickets.models import (
    AtoZClaim,
    Attachment,
    AuditEvent,
    BlockedMessage,
    Buyer,
    Chargeback,
    DeskProfile,
    ForbiddenPhrase,
    FulfillmentChannel,
    HeldMessage,
    Message,
    MessagePurpose,
    MessageTemplate,
    Notification,
    Order,
    OrderEvent,
    OrderItem,
    OutboundMessage,
    ProactiveGuide,
    Product,
    SellerAccount,
    SlaEvent,
    SlaPolicy,
    Team,
    Ticket,
    TicketSearch,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
# Read-only by design: audit events are never edited; messages only come from Amazon
# or leave through the outbound path, whose outbox and refusals are records too.
READ_ONLY = {
    AuditEvent,
    ReportRun,  # a report Amazon made for a sync (amazon.spapi.reports)
    InsightAlert,  # written by reviews.rising when a complaint theme rises
    # Amazon's FBA rows and the cases reconciliation finds in them (reimbursements).
    ReimbursementCase,
    FbaReimbursement,
    FbaCustomerReturn,
    FbaReplacement,
    FbaLedgerAdjustment,
    FbaRefund,
    SpApiConnection,  # made only through Amazon's consent (amazon.spapi), never typed in
    ReviewRequest,  # written by the sweep and the workspace's button (amazon.review_requests)
    Message,
    OutboundMessage,
    BlockedMessage,
    HeldMessage,  # decided with its approve / reject actions (tickets.held), never edited
    OrderEvent,
    SlaEvent,
    ProactiveGuide,
    Notification,
    ReviewThemeMatch,  # recomputed from the phrase rules, never edited by hand
    MetricSnapshot,  # computed by the daily task
    AccountHealth,  # the dashboard
    HealthAlert,
    OrderDayCount,  # kept by the orders' triggers
    WebhookDelivery,  # the webhook outbox (api app): read-only log with "retry now"
    # Mail as it arrived (amazon app): never written by hand; the quarantine's Retry and
    # corrected copy are on its change page (tests/amazon/test_admin.py).
    RawEmail,
    QuarantinedEmail,
    NotBuyerMessage,
    # Sign-in records of django-axes: managers delete attempts to unlock, never write them.
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
}
# Managers may look at people, not edit them (editing a user could grant superuser).
VIEW_ONLY_FOR_MANAGERS = {User, Group}
# Edited inside their parent's page (an order's items, a review's rating history).
INLINE_ONLY = {Attachment, OrderItem, ReviewRatingChange}
# Written only by the database's triggers, read only by the search: nothing to manage.
KEPT_BY_THE_DATABASE = {TicketSearch}
# Amazon's own figures, shown beside the desk's: account health on the Account health page,
# review topics on a product's insights page.
SHOWN_BESIDE_THE_DESKS = {AmazonOdr, AmazonTopicFetch, AmazonReviewTopic}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every persona hashes a password; the production hasher costs ~0.4 s a user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def changeform_data(response) -> dict[str, Any]:
    """The change form of an admin page as a browser would post it back untouched."""
    form_list = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        form_list += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in form_list:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, forms.MultiWidget):
                for index, part in enumerate(bound.field.widget.decompress(value)):
                    if part is not None:
                        data[f"{bound.html_name}_{index}"] = str(part)
            elif isinstance(bound.field.widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            elif value is not None:
                data[bound.html_name] = str(value)
    return data


def readonly_contents(response, name: str) -> str:
    """What the change page shows for the read-only field ``name``."""
    fields = (field for fieldset in response.context["adminform"] for line in fieldset for field in line)
    return next(field for field in fields if field.is_readonly and field.field["name"] == name).contents()


def count_changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries.captured_queries)


# --- Every page opens for a manager ------------------------------------------------


def _label(model) -> str:
    return model._meta.label


def test_every_model_of_the_desk_has_an_admin_page_or_an_inline():
    ours = {model for app in ("tickets", "reviews", "metrics") for model in apps.get_app_config(app).get_models()}
    assert ours - set(admin.site._registry) == INLINE_ONLY | KEPT_BY_THE_DATABASE | SHOWN_BESIDE_THE_DESKS


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_manager_sees_every_changelist(client, manager, model):
    client.force_login(manager)
    assert client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", [m for m in REGISTERED if m not in READ_ONLY | VIEW_ONLY_FOR_MANAGERS], ids=_label)
def test_manager_can_open_every_add_page(client, manager, model):
    client.force_login(manager)
    assert client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", sorted(READ_ONLY, key=_label), ids=_label)
def test_read_only_models_have_no_add_page(client, manager, model):
    client.force_login(manager)
    assert client.get(admin_url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", sorted(VIEW_ONLY_FOR_MANAGERS, key=_label), ids=_label)
def test_managers_cannot_add_users_or_groups(client, manager, model):
    client.force_login(manager)
    assert client.get(admin_url(model, "add")).status_code == 403


def _sample_order() -> Order:
    order = OrderItemFactory().order
    TicketFactory(seller_account=order.seller_account, buyer=order.buyer, order=order)
    AtoZClaimFactory(order=order)
    ChargebackFactory(order=order)
    return order


def _sample_outbound() -> OutboundMessage:
    ticket = TicketFactory()
    return OutboundMessage.objects.create(
        seller_account=ticket.seller_account,
        buyer=ticket.buyer,
        ticket=ticket,
        purpose=MessagePurpose.REPLY,
        body="Your replacement part ships today.",
        gateway="console",
    )


def _sample_blocked() -> BlockedMessage:
    ticket = TicketFactory()
    return BlockedMessage.objects.create(
        seller_account=ticket.seller_account,
        ticket=ticket,
        purpose=MessagePurpose.REPLY,
        body="Please change your review to 5 stars.",
        violations=[{"rule": "review_manipulation"}],
        channel="ui",
        actor_label="alice",
    )


def _sample_snapshot() -> MetricSnapshot:
    today = timezone.now().date()
    return MetricSnapshot.objects.create(
        seller_account=SellerAccountFactory(),
        channel="FBM",
        metric="odr",
        day=today,
        value=Decimal("0.830"),
        numerator=1,
        denominator=120,
        window_start=today - timedelta(days=60),
        window_end=today,
        computed_at=timezone.now(),
    )


def _sample_alert() -> HealthAlert:
    return HealthAlert.objects.create(
        seller_account=SellerAccountFactory(),
        channel="FBM",
        kind="status_worsened",
        day=timezone.now().date(),
        previous_status="ok",
        status="warning",
        odr=Decimal("0.830"),
        headroom_orders=0,
        message="ODR rose",
        created_at=timezone.now(),
    )


def _sample_interval() -> IntervalSchedule:
    return IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)


SAMPLES: dict[type, Callable[[], Any]] = {
    SellerAccount: SellerAccountFactory,
    Team: lambda: Team.objects.create(name="Espresso team"),
    DeskProfile: lambda: DeskProfile.objects.create(user=UserFactory(username="tz-person"), time_zone="Europe/Berlin"),
    Product: ProductFactory,
    Buyer: BuyerFactory,
    Order: _sample_order,
    Ticket: lambda: MessageFactory().ticket,
    Message: MessageFactory,
    AtoZClaim: AtoZClaimFactory,
    Chargeback: ChargebackFactory,
    AuditEvent: lambda: audit_record(
        subject=TicketFactory(), action="ticket.updated", actor=None, changes={"status": ["new", "open"]}
    ),
    MessageTemplate: lambda: MessageTemplate.objects.create(name="Thanks", slug="thanks", body="Thanks!"),
    ForbiddenPhrase: lambda: ForbiddenPhrase.objects.create(phrase="lifetime guarantee"),
    OutboundMessage: _sample_outbound,
    BlockedMessage: _sample_blocked,
    HeldMessage: HeldMessageFactory,
    Group: lambda: Group.objects.get(name="Agents"),
    UserFactory._meta.model: UserFactory,
    IntervalSchedule: _sample_interval,
    CrontabSchedule: lambda: CrontabSchedule.objects.create(minute="0", hour="6"),
    SolarSchedule: lambda: SolarSchedule.objects.create(event="sunrise", latitude=47.6, longitude=-122.3),
    ClockedSchedule: lambda: ClockedSchedule.objects.create(clocked_time=timezone.now()),
    PeriodicTask: lambda: PeriodicTask.objects.create(name="ping", task="csmdesk.ping", interval=_sample_interval()),
    OrderEvent: lambda: OrderEvent.objects.create(order=OrderFactory(), type="delivered", occurred_at=timezone.now()),
    SlaPolicy: lambda: SlaPolicy.objects.create(seller_account=SellerAccountFactory(), response_hours=12),
    SlaEvent: lambda: SlaEvent.objects.create(ticket=TicketFactory(), kind="breached", due_at=timezone.now()),
    ProactiveGuide: lambda: ProactiveGuide.objects.create(order=OrderFactory(), send_after=timezone.now()),
    Notification: lambda: Notification.objects.create(
        recipient=UserFactory(), ticket=TicketFactory(), kind="breached", text="Ticket breached"
    ),
    MetricSnapshot: _sample_snapshot,
    HealthAlert: _sample_alert,
    # The row the orders' trigger wrote for a new order.
    OrderDayCount: lambda: OrderDayCount.objects.get(seller_account=OrderFactory().seller_account),
    AccessAttempt: lambda: AccessAttempt.objects.create(
        username="alice", ip_address="203.0.113.7", user_agent="", failures_since_start=5, attempt_time=timezone.now()
    ),
    AccessLog: lambda: AccessLog.objects.create(username="alice", ip_address="203.0.113.7", user_agent=""),
    AccessFailureLog: lambda: AccessFailureLog.objects.create(
        username="alice", ip_address="203.0.113.7", user_agent="", locked_out=True
    ),
}
# The reviews, api, amazon and reimbursements models have their samples in
# tests/<app>/test_admin.py; AccountHealth is the metrics dashboard
# (tests/metrics/test_admin.py), not a list of rows.
OTHER_APPS = [
    m
    for m in REGISTERED
    if m._meta.app_label not in ("reviews", "api", "amazon", "reimbursements") and m is not AccountHealth
]


def test_every_registered_model_has_a_change_page_sample():
    assert set(OTHER_APPS) == set(SAMPLES)


@pytest.mark.parametrize("model", [m for m in OTHER_APPS if m in SAMPLES], ids=_label)
def test_manager_can_open_the_change_page_of_every_model(client, manager, model):
    obj = SAMPLES[model]()
    client.force_login(manager)
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_an_agent_who_is_not_staff_is_sent_to_the_admin_login(client, alice):
    client.force_login(alice)
    url = admin_url(Ticket, "changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


# --- Lists stay flat in queries ----------------------------------------------------


def _orders(n: int, account: SellerAccount) -> None:
    OrderFactory.create_batch(n, seller_account=account)


def _tickets(n: int, account: SellerAccount) -> None:
    assignee = UserFactory()
    for _ in range(n):
        order = OrderFactory(seller_account=account)
        TicketFactory(seller_account=account, buyer=order.buyer, order=order, assignee=assignee)


def _messages(n: int, account: SellerAccount) -> None:
    MessageFactory.create_batch(n, ticket__seller_account=account, author=UserFactory())


def _claims(n: int, account: SellerAccount) -> None:
    for _ in range(n):
        AtoZClaimFactory(order=OrderFactory(seller_account=account), ticket=TicketFactory(seller_account=account))


def _chargebacks(n: int, account: SellerAccount) -> None:
    for _ in range(n):
        ChargebackFactory(order=OrderFactory(seller_account=account), ticket=TicketFactory(seller_account=account))


def _audit_events(n: int, account: SellerAccount) -> None:
    actor = UserFactory()
    for _ in range(n):
        audit_record(subject=TicketFactory(seller_account=account), action="ticket.updated", actor=actor)


def _products(n: int, account: SellerAccount) -> None:
    ProductFactory.create_batch(n, seller_account=account)


def _buyers(n: int, account: SellerAccount) -> None:
    BuyerFactory.create_batch(n, seller_account=account)


def _accounts(n: int, account: SellerAccount) -> None:
    for other in SellerAccountFactory.create_batch(n):
        TicketFactory.create_batch(2, seller_account=other)


def _outbound_messages(n: int, account: SellerAccount) -> None:
    for _ in range(n):
        _sample_outbound()


def _blocked_messages(n: int, account: SellerAccount) -> None:
    for _ in range(n):
        _sample_blocked()


ROW_MAKERS = {
    Order: _orders,
    Ticket: _tickets,
    Message: _messages,
    AtoZClaim: _claims,
    Chargeback: _chargebacks,
    AuditEvent: _audit_events,
    Product: _products,
    Buyer: _buyers,
    SellerAccount: _accounts,
    OutboundMessage: _outbound_messages,
    BlockedMessage: _blocked_messages,
    HeldMessage: lambda n, account: HeldMessageFactory.create_batch(n, ticket__seller_account=account),
}


@pytest.mark.parametrize("model", ROW_MAKERS, ids=_label)
def test_a_changelist_costs_the_same_queries_for_3_or_30_rows(client, manager, account, model):
    client.force_login(manager)
    ROW_MAKERS[model](3, account)
    count_changelist_queries(client, model)  # warm the per-process caches (content types)
    with_3 = count_changelist_queries(client, model)
    ROW_MAKERS[model](27, account)
    assert count_changelist_queries(client, model) == with_3


@pytest.mark.parametrize("model", [Order, Ticket, Message, AuditEvent], ids=_label)
def test_the_huge_tables_skip_the_full_result_count(model):
    assert admin.site._registry[model].show_full_result_count is False


# --- Ticket pages --------------------------------------------------------------------


def test_buyer_text_is_shown_escaped_on_the_ticket_page(client, manager):
    message = MessageFactory(body="<script>alert('pwned')</script>")
    client.force_login(manager)
    content = client.get(admin_url(Ticket, "change", message.ticket_id)).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content


def test_the_ticket_page_shows_the_sla_state_and_the_fulfillment_channel(client, manager):
    order = OrderFactory(fulfillment_channel=FulfillmentChannel.FBA)
    ticket = TicketFactory(
        seller_account=order.seller_account,
        buyer=order.buyer,
        order=order,
        status=Ticket.Status.OPEN,
        sla_due_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(manager)
    response = client.get(admin_url(Ticket, "change", ticket.pk))
    assert [readonly_contents(response, "sla"), readonly_contents(response, "fulfillment")] == ["breached", "FBA"]


def test_the_sla_filter_lists_only_breached_tickets(client, manager):
    breached = TicketFactory(status=Ticket.Status.OPEN, sla_due_at=timezone.now() - timedelta(minutes=5))
    TicketFactory(status=Ticket.Status.OPEN, sla_due_at=timezone.now() + timedelta(hours=20))
    TicketFactory(status=Ticket.Status.SOLVED, sla_due_at=None)
    client.force_login(manager)
    response = client.get(admin_url(Ticket, "changelist"), {"sla": "breached"})
    assert list(response.context["cl"].result_list) == [breached]


def test_searching_a_ticket_number_finds_that_ticket(client, manager):
    ticket, _ = TicketFactory.create_batch(2)
    client.force_login(manager)
    response = client.get(admin_url(Ticket, "changelist"), {"q": f"#{ticket.pk}"})
    assert list(response.context["cl"].result_list) == [ticket]


def test_searching_an_amazon_order_id_finds_the_tickets_about_that_order(client, manager):
    order = OrderFactory(amazon_order_id="113-1234567-7654321")
    ticket = TicketFactory(seller_account=order.seller_account, buyer=order.buyer, order=order)
    TicketFactory(subject="113-1234567-7654321 in the subject only")
    client.force_login(manager)
    response = client.get(admin_url(Ticket, "changelist"), {"q": " 113-1234567-7654321 "})
    assert list(response.context["cl"].result_list) == [ticket]


def test_the_order_page_shows_its_items_tickets_claims_and_chargebacks(client, manager):
    order = _sample_order()
    client.force_login(manager)
    content = client.get(admin_url(Order, "change", order.pk)).content.decode()
    expected = [
        order.items.get().product.asin,
        order.tickets.get().subject,
        order.a_to_z_claims.get().claim_id,
        order.chargebacks.get().chargeback_id,
    ]
    assert [text for text in expected if text not in content] == []


# --- Edits are audited ---------------------------------------------------------------


def _edit(client, model, obj, **changes) -> Any:
    url = admin_url(model, "change", obj.pk)
    data = changeform_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_an_order_saves_with_its_items_beside_the_read_only_tickets_and_claims(client, manager):
    order = _sample_order()
    client.force_login(manager)
    assert _edit(client, Order, order, **{"items-0-quantity": "2"}).status_code == 302
    assert order.items.get().quantity == 2


def test_changing_a_ticket_status_in_the_admin_is_audited_with_the_manager_as_actor(client, manager):
    ticket = TicketFactory(status=Ticket.Status.OPEN)
    client.force_login(manager)
    response = _edit(client, Ticket, ticket, status=Ticket.Status.SOLVED)
    assert response.status_code == 302
    event = audit_trail(ticket).get()
    assert (event.actor, event.action, event.changes) == (manager, "ticket.updated", {"status": ["open", "solved"]})


def test_assigning_a_ticket_in_the_admin_records_the_assignee_by_name(client, manager, alice, account):
    ticket = TicketFactory(seller_account=account)
    client.force_login(manager)
    _edit(client, Ticket, ticket, assignee=str(alice.pk))
    assert audit_trail(ticket).get().changes == {"assignee": [None, "alice"]}


def test_assigning_a_ticket_to_an_agent_of_another_account_is_a_form_error(client, manager, charlie, account):
    ticket = TicketFactory(seller_account=account)
    client.force_login(manager)
    response = _edit(client, Ticket, ticket, assignee=str(charlie.pk))
    assert response.status_code == 200
    assert "charlie is not an agent on Espresso Co." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_editing_a_ticket_subject_in_the_admin_is_audited(client, manager):
    ticket = TicketFactory(subject="Where is my order")
    client.force_login(manager)
    _edit(client, Ticket, ticket, subject="Where is my espresso machine")
    event = audit_trail(ticket).get()
    assert (event.actor, event.changes) == (manager, {"subject": ["Where is my order", "Where is my espresso machine"]})


def test_saving_a_ticket_unchanged_records_nothing(client, manager):
    ticket = TicketFactory()
    client.force_login(manager)
    assert _edit(client, Ticket, ticket).status_code == 302
    assert not audit_trail(ticket).exists()


def test_reopening_a_closed_ticket_in_the_admin_is_a_form_error_and_writes_nothing(client, manager):
    ticket = TicketFactory(status=Ticket.Status.CLOSED, subject="Thanks, all good")
    client.force_login(manager)
    response = _edit(client, Ticket, ticket, status=Ticket.Status.OPEN, subject="Reopened")
    assert response.context["adminform"].form.errors["status"] == ["A closed ticket cannot become open."]
    ticket.refresh_from_db()
    assert (ticket.status, ticket.subject, audit_trail(ticket).exists()) == ("closed", "Thanks, all good", False)


def test_a_ticket_cannot_be_linked_to_another_accounts_buyer(client, manager, account, other_account):
    ticket = TicketFactory(seller_account=account)
    client.force_login(manager)
    response = _edit(client, Ticket, ticket, buyer=str(BuyerFactory(seller_account=other_account).pk))
    assert response.context["adminform"].form.errors["buyer"] == ["This buyer belongs to another seller account."]


def test_adding_a_ticket_in_the_admin_records_its_creation(client, manager, account):
    buyer = BuyerFactory(seller_account=account)
    client.force_login(manager)
    data = changeform_data(client.get(admin_url(Ticket, "add")))
    data.update(seller_account=str(account.pk), buyer=str(buyer.pk), subject="Missing part")
    assert client.post(admin_url(Ticket, "add"), data).status_code == 302
    event = AuditEvent.objects.get()
    assert (event.subject, event.actor, event.action) == (Ticket.objects.get(), manager, "ticket.created")


@pytest.mark.parametrize(
    ("model", "factory", "action"),
    [(AtoZClaim, AtoZClaimFactory, "a_to_z_claim.updated"), (Chargeback, ChargebackFactory, "chargeback.updated")],
    ids=["a_to_z_claim", "chargeback"],
)
def test_a_status_change_of_a_claim_or_chargeback_in_the_admin_is_audited(client, manager, model, factory, action):
    defence = factory(status="open")
    client.force_login(manager)
    assert _edit(client, model, defence, status="action_required").status_code == 302
    event = audit_trail(defence).get()
    assert (event.actor, event.action, event.changes) == (manager, action, {"status": ["open", "action_required"]})


def test_deleting_a_chargeback_in_the_admin_is_audited(client, manager):
    chargeback = ChargebackFactory()
    client.force_login(manager)
    client.post(admin_url(Chargeback, "delete", chargeback.pk), {"post": "yes"})
    event = AuditEvent.objects.get()
    assert (event.object_id, event.action, event.actor) == (str(chargeback.pk), "chargeback.deleted", manager)


def test_the_ticket_page_shows_its_audit_trail_with_a_link_to_every_event(client, manager):
    ticket = TicketFactory()
    other = TicketFactory()
    audit_record(subject=ticket, action="ticket.updated", actor=manager, changes={"priority": [2, 4]})
    audit_record(subject=other, action="ticket.updated", actor=manager, changes={"priority": [2, 3]})
    client.force_login(manager)
    history = readonly_contents(client.get(admin_url(Ticket, "change", ticket.pk)), "audit_history")
    assert "priority: 2 → 4" in history
    link = history.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert [e.pk for e in client.get(link).context["cl"].result_list] == [audit_trail(ticket).get().pk]


# --- The audit log cannot be edited --------------------------------------------------


@pytest.fixture(params=["manager", "superuser"])
def staff(request, manager):
    if request.param == "manager":
        return manager
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_audit_log_refuses_add_change_and_delete(client, staff):
    event = audit_record(subject=TicketFactory(), action="ticket.updated", actor=None, changes={"priority": [2, 3]})
    client.force_login(staff)
    responses = [
        client.get(admin_url(AuditEvent, "add")),
        client.post(admin_url(AuditEvent, "add"), {"action": "forged"}),
        client.post(admin_url(AuditEvent, "change", event.pk), {"action": "forged"}),
        client.get(admin_url(AuditEvent, "delete", event.pk)),
        client.post(admin_url(AuditEvent, "delete", event.pk), {"post": "yes"}),
    ]
    assert [r.status_code for r in responses] == [403] * 5
    event.refresh_from_db()
    assert event.action == "ticket.updated"


def test_the_audit_log_offers_no_bulk_delete(client, staff):
    audit_record(subject=TicketFactory(), action="ticket.updated", actor=None)
    client.force_login(staff)
    response = client.get(admin_url(AuditEvent, "changelist"))
    assert response.context["action_form"] is None


def test_a_seller_account_name_in_html_is_a_form_error(client, manager, account):
    client.force_login(manager)
    response = _edit(client, SellerAccount, account, name="<b>Espresso</b>")
    assert response.context["adminform"].form.errors["name"] == [
        "Plain text only: no HTML tags or entities, no control characters or line breaks."
    ]
    account.refresh_from_db()
    assert account.name == "Espresso Co."


def test_a_plain_seller_account_name_with_an_ampersand_saves(client, manager, account):
    client.force_login(manager)
    assert _edit(client, SellerAccount, account, name="Tom & Jerry <3").status_code == 302
