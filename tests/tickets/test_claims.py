"""A-to-z claims and chargebacks: a deadline (Amazon's, else 72 h / 7 days), a defence
ticket due then, warnings a day ahead and when it passed, and the appeal window."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import AtoZClaimFactory, ChargebackFactory, OrderFactory
from tests.tickets.test_admin import admin_url, changeform_data
from tickets.intake.claims import a_to_z_claim_opened, chargeback_opened, defence_deadline_sync
from tickets.models import AtoZClaim, AuditEvent, Chargeback, SlaEvent, Ticket
from tickets.sla.sweep import sla_sweep

pytestmark = pytest.mark.django_db

FILED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def claim(account):
    return a_to_z_claim_opened(
        claim=AtoZClaimFactory(order=OrderFactory(seller_account=account), filed_at=FILED), actor="api-key:test"
    )


def test_a_claim_without_amazons_deadline_is_due_72_hours_after_filing(claim):
    assert claim.respond_by == FILED + timedelta(hours=72)


def test_the_claim_deadline_is_a_setting(account, settings):
    settings.A_TO_Z_RESPOND_HOURS = 48
    claim = a_to_z_claim_opened(claim=AtoZClaimFactory(filed_at=FILED), actor="system")
    assert claim.respond_by == FILED + timedelta(hours=48)


def test_amazons_deadline_wins_when_given():
    given = FILED + timedelta(days=2, hours=5)
    claim = a_to_z_claim_opened(claim=AtoZClaimFactory(filed_at=FILED, respond_by=given), actor="system")
    assert claim.respond_by == given


def test_a_claim_opens_a_defence_ticket_due_at_the_deadline(claim):
    ticket = claim.ticket
    assert (ticket.kind, ticket.status, ticket.sla_due_at) == (Ticket.Kind.A_TO_Z_DEFENCE, "new", claim.respond_by)
    assert ticket.order_id == claim.order_id


def test_opening_a_claim_twice_keeps_one_ticket(claim):
    a_to_z_claim_opened(claim=claim, actor="system")
    assert Ticket.objects.filter(kind=Ticket.Kind.A_TO_Z_DEFENCE).count() == 1


def test_opening_the_defence_is_audited(claim):
    assert AuditEvent.objects.filter(action="a_to_z_claim.defence_opened", object_id=str(claim.pk)).exists()


def test_a_chargeback_is_due_seven_days_after_amazons_email():
    chargeback = chargeback_opened(chargeback=ChargebackFactory(filed_at=FILED), actor="system")
    assert chargeback.respond_by == FILED + timedelta(days=7)
    assert (chargeback.ticket.kind, chargeback.ticket.sla_due_at) == (Ticket.Kind.CHARGEBACK, chargeback.respond_by)


def test_the_defence_ticket_shows_in_the_breached_view_after_the_deadline(claim):
    assert list(Ticket.objects.open().breached(now=claim.respond_by)) == [claim.ticket]


def test_the_sweep_warns_a_day_before_the_deadline_and_not_earlier(claim):
    with time_machine.travel(claim.respond_by - timedelta(hours=24, minutes=1), tick=False):
        sla_sweep()
    assert not SlaEvent.objects.exists()
    with time_machine.travel(claim.respond_by - timedelta(hours=24), tick=False):
        sla_sweep()
    assert list(SlaEvent.objects.values_list("kind", flat=True)) == [SlaEvent.Kind.CLAIM_DUE_SOON]


def test_the_sweep_records_a_passed_deadline_once(claim):
    for minutes in (0, 1):
        with time_machine.travel(claim.respond_by + timedelta(minutes=minutes), tick=False):
            sla_sweep()
    kinds = list(SlaEvent.objects.values_list("kind", flat=True))
    assert kinds.count(SlaEvent.Kind.CLAIM_OVERDUE) == 1
    assert SlaEvent.Kind.BREACHED not in kinds  # defence deadlines stay out of the buyer response metric


def test_a_corrected_deadline_moves_the_defence_ticket(claim):
    claim.respond_by = FILED + timedelta(hours=40)
    claim.save()
    defence_deadline_sync(case=claim, actor="system")
    claim.ticket.refresh_from_db()
    assert claim.ticket.sla_due_at == FILED + timedelta(hours=40)


def test_the_appeal_deadline_is_30_days_after_the_decision(claim):
    claim.decided_at = FILED + timedelta(days=5)
    assert claim.appeal_by == FILED + timedelta(days=35)


def test_an_undecided_claim_has_no_appeal_deadline(claim):
    assert claim.appeal_by is None


def test_a_claim_added_in_the_admin_gets_its_defence_ticket(client, manager):
    order = OrderFactory()
    client.force_login(manager)
    url = admin_url(AtoZClaim, "add")
    data = changeform_data(client.get(url))
    data.update(
        order=str(order.pk),
        claim_id="AZ-ADMIN-1",
        filed_at_0="2026-11-20",
        filed_at_1="09:00:00",
        amount="19.99",
        currency="USD",
        status="open",
    )
    assert client.post(url, data).status_code == 302
    claim = AtoZClaim.objects.get(claim_id="AZ-ADMIN-1")
    assert claim.ticket.sla_due_at == FILED + timedelta(hours=72)


def test_a_chargeback_added_in_the_admin_gets_its_defence_ticket(client, manager):
    order = OrderFactory()
    client.force_login(manager)
    url = admin_url(Chargeback, "add")
    data = changeform_data(client.get(url))
    data.update(
        order=str(order.pk),
        chargeback_id="CB-ADMIN-1",
        kind="service",
        filed_at_0="2026-11-20",
        filed_at_1="09:00:00",
        amount="19.99",
        currency="USD",
        status="open",
    )
    assert client.post(url, data).status_code == 302
    assert Chargeback.objects.get(chargeback_id="CB-ADMIN-1").ticket.sla_due_at == FILED + timedelta(days=7)
