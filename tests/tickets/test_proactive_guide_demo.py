"""The issue's "done when": marking a demo FBM espresso order delivered produces the
guide, once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tickets.models import MessageTemplate, Order, OutboundMessage, ProactiveGuide
from tickets.outbound import gateways
from tickets.outbound.defaults import DEFAULT_TEMPLATES
from tickets.proactive.services import order_mark_delivered

pytestmark = pytest.mark.django_db


class RecordingGateway:
    def __init__(self):
        self.sent = []

    def send(self, outbound):
        self.sent.append(outbound.body)
        return f"test-{outbound.pk}"


def test_a_demo_espresso_order_marked_delivered_gets_one_guide(
    settings, monkeypatch, manager, django_capture_on_commit_callbacks
):
    settings.DEBUG = True  # seed_demo refuses to run without it
    spec = next(t for t in DEFAULT_TEMPLATES if t["slug"] == "quick_start_guide")
    MessageTemplate.objects.get_or_create(slug=spec["slug"], seller_account=None, defaults=spec)
    call_command("seed_demo", history_days=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    gateway = RecordingGateway()
    monkeypatch.setitem(gateways.GATEWAYS, "console", gateway)
    order = (
        Order.objects.filter(
            seller_account__name="Brewline Espresso",
            fulfillment_channel="FBM",
            delivered_at__isnull=True,
            cancelled_at__isnull=True,
            items__product__asin="B0ESPRESS1",
        )
        .exclude(proactive_guide__isnull=False)
        .first()
    )
    assert order is not None, "the demo has an undelivered FBM espresso order"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            order_mark_delivered(order=order, delivered_at=timezone.now(), actor=manager, source="admin")
    guide = ProactiveGuide.objects.get(order=order)
    assert (guide.status, guide.skip_reason) == (ProactiveGuide.Status.QUEUED, "")
    assert OutboundMessage.objects.filter(order=order, purpose="proactive_guide", status="sent").count() == 1
    assert len(gateway.sent) == 1
