"""Managers create keys (the secret is shown once), revoke them, and read the delivery log."""

import pytest

from api.models import ApiKey, WebhookDelivery, WebhookSubscription, key_digest

pytestmark = pytest.mark.django_db


def shown_key(response) -> str:
    [message] = [str(m) for m in response.context["messages"] if "The new key is" in str(m)]
    return message.split("The new key is ")[1].split(" ")[0]


def test_a_new_key_is_shown_once_and_stored_hashed(client, manager, account):
    client.force_login(manager)
    response = client.post(
        "/admin/api/apikey/add/",
        {"name": "SP-API sync", "scope": "ingest", "seller_accounts": [account.pk]},
        follow=True,
    )
    raw = shown_key(response)
    key = ApiKey.objects.get()
    assert (key.hashed_key, key.created_by) == (key_digest(raw), manager)


def test_the_key_works_right_after_creation(client, manager, account):
    client.force_login(manager)
    response = client.post(
        "/admin/api/apikey/add/", {"name": "BI", "scope": "read", "seller_accounts": [account.pk]}, follow=True
    )
    raw = shown_key(response)
    client.logout()
    assert client.get("/api/v1/tickets/", headers={"Authorization": f"Token {raw}"}).status_code == 200


def test_the_revoke_action_revokes(client, manager, alice_key):
    client.force_login(manager)
    client.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [alice_key[0].pk]})
    alice_key[0].refresh_from_db()
    assert alice_key[0].revoked_at is not None


def test_the_delivery_log_is_read_only(client, manager, account):
    client.force_login(manager)
    subscription = WebhookSubscription.objects.create(name="CRM", url="http://127.0.0.1:9/", events=["ticket.created"])
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event="ticket.created", seller_account=account, body="{}"
    )
    assert client.get(f"/admin/api/webhookdelivery/{delivery.pk}/change/").status_code == 200
    assert client.get("/admin/api/webhookdelivery/add/").status_code == 403


def test_retry_now_requeues_a_dead_delivery(client, manager, account):
    client.force_login(manager)
    subscription = WebhookSubscription.objects.create(name="CRM", url="http://127.0.0.1:9/", events=["ticket.created"])
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event="ticket.created", seller_account=account, body="{}", status="dead"
    )
    client.post("/admin/api/webhookdelivery/", {"action": "retry_now", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.status in ("queued", "failed", "sending")


def test_manager_can_open_the_change_page_of_a_key(client, manager, alice_key):
    client.force_login(manager)
    assert client.get(f"/admin/api/apikey/{alice_key[0].pk}/change/").status_code == 200


def test_manager_can_open_the_change_page_of_a_subscription(client, manager):
    subscription = WebhookSubscription.objects.create(name="CRM", url="http://127.0.0.1:9/", events=["ticket.created"])
    client.force_login(manager)
    assert client.get(f"/admin/api/webhooksubscription/{subscription.pk}/change/").status_code == 200


def test_a_subscription_with_an_unknown_event_is_refused(client, manager, account):
    client.force_login(manager)
    response = client.post(
        "/admin/api/webhooksubscription/add/",
        {
            "name": "CRM",
            "url": "https://crm.example.com/hook",
            "secret": "x",
            "events": '["ticket.exploded"]',
            "seller_accounts": [account.pk],
            "active": "on",
        },
    )
    assert response.status_code == 200 and not WebhookSubscription.objects.exists()
