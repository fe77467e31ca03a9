"""The Messaging API channel: which message types Amazon allows for an order, the buyer's
language, and the gateway that delivers an outbox row of one of those types.

- ``messaging_options``: ``getMessagingActionsForOrder`` (the types offered now, HAL links)
  and ``GetAttributes`` (``buyer.locale``), asked live: Amazon is the judge, per order.
- ``amazon_message_send``: asks Amazon again, then queues through the domain's one outbound
  path (``tickets.outbound.amazon_actions.amazon_action_send``). The desk and the API call it.
- ``MessagingApiGateway``: delivers the row (attachments through the Uploads API, then the
  type's ``create*`` call). Amazon's refusal (400/403/404) is ``RejectedByAmazon`` with its
  reason, shown on the message; a 429 or an outage is retried by the outbox; a revoked or
  refused authorization makes the row dead (a manager retries it once reconnected).
"""

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from django.conf import settings

from tickets.attachments import AttachmentIn, attachment_read
from tickets.audit import Actor
from tickets.models import Gateway, OutboundMessage, SellerAccount, Ticket
from tickets.outbound.amazon_actions import (
    ACTION_FOR_PURPOSE,
    AmazonActionInvalid,
    amazon_action_send,
)
from tickets.outbound.gateways import PermanentGatewayError, RejectedByAmazon, TransientGatewayError

from ..secrets import SecretUnreadable
from .client import AuthorizationRevoked, SpApiClient, SpApiError, Throttled, Unavailable
from .models import SpApiConnection


class MessagingUnavailable(Exception):
    """Amazon could not be asked (no connection, an outage, its rate limit): say so, send nothing."""

    NOT_CONNECTED, THROTTLED, UNAVAILABLE = "not_connected", "throttled", "unavailable"

    def __init__(self, message: str, *, kind: str = "unavailable", retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message, self.kind, self.retry_after = message, kind, retry_after


@dataclass(frozen=True)
class MessagingOptions:
    amazon_order_id: str
    actions: list[str]  # Amazon's names, as offered now
    locale: str  # the buyer's language of preference ("" when Amazon gave none)


def client_for(seller_account: SellerAccount) -> tuple[SpApiClient, str]:
    """The account's SP-API client and marketplace, or MessagingUnavailable."""
    connection = SpApiConnection.objects.filter(seller_account=seller_account).first()
    if connection is None or connection.status != SpApiConnection.Status.CONNECTED:
        raise MessagingUnavailable(
            "This seller account is not connected to Amazon (SP-API): connect it first.",
            kind=MessagingUnavailable.NOT_CONNECTED,
        )
    try:
        token = connection.refresh_token()
    except SecretUnreadable as exc:
        raise MessagingUnavailable(
            f"{exc} Connect the account again.", kind=MessagingUnavailable.NOT_CONNECTED
        ) from None
    marketplace = seller_account.marketplace_id or (connection.marketplace_ids or [""])[0]
    return SpApiClient(endpoint=connection.endpoint, refresh_token=token), marketplace


def _timeout() -> tuple[float, float]:
    return (float(settings.SPAPI_TIMEOUT_SECONDS), float(settings.SPAPI_TIMEOUT_SECONDS))


def _messaging_api(api_client):
    from spapi.api.messaging_v1.messaging_api import MessagingApi

    return MessagingApi(api_client)


def _asked(call):
    """One question to Amazon, its failures as MessagingUnavailable (the caller shows it)."""
    try:
        return call()
    except Throttled as exc:
        raise MessagingUnavailable(
            f"Amazon's rate limit: try again in {exc.retry_after:.0f} s.",
            kind=MessagingUnavailable.THROTTLED,
            retry_after=exc.retry_after,
        ) from None
    except SpApiError as exc:
        raise MessagingUnavailable(f"Amazon did not answer the question: {exc.message}") from None


def messaging_options(*, ticket: Ticket) -> MessagingOptions:
    """The message types Amazon allows for the ticket's order now, and the buyer's locale."""
    if ticket.order_id is None:
        raise MessagingUnavailable(
            "This ticket has no order: Amazon's message types need one.", kind=MessagingUnavailable.NOT_CONNECTED
        )
    client, marketplace = client_for(ticket.seller_account)
    order_id = ticket.order.amazon_order_id

    def actions():
        return client.sdk_call(
            lambda c: _messaging_api(c).get_messaging_actions_for_order_with_http_info(
                order_id, [marketplace], _request_timeout=_timeout()
            ),
            operation_id="getMessagingActionsForOrder",
        )

    def attributes():
        return client.sdk_call(
            lambda c: _messaging_api(c).get_attributes_with_http_info(
                order_id, [marketplace], _request_timeout=_timeout()
            ),
            operation_id="GetAttributes",
        )

    links = (_asked(actions) or {}).get("_links", {}).get("actions", [])
    locale = ((_asked(attributes) or {}).get("buyer") or {}).get("locale", "")
    names = [link.get("name", "") for link in links if link.get("name") != "attributes"]
    return MessagingOptions(amazon_order_id=order_id, actions=names, locale=locale or "")


def amazon_message_send(
    *,
    ticket: Ticket,
    action_name: str,
    text: str,
    attachments: list[AttachmentIn],
    coverage: tuple[datetime | None, datetime | None] = (None, None),
    actor: Actor,
    channel: str,
) -> OutboundMessage:
    """Ask Amazon which types the order allows, then queue the message through the one
    outbound path (the type's limits and the guard there). Raises MessagingUnavailable,
    AmazonActionInvalid, ComplianceRefused or MessageHeld; nothing is queued on any."""
    if ticket.order_id is None:
        raise AmazonActionInvalid({"action": ["This ticket has no order: Amazon's message types need one."]})
    options = messaging_options(ticket=ticket)
    return amazon_action_send(
        ticket=ticket,
        action_name=action_name,
        offered=options.actions,
        text=text,
        attachments=attachments,
        coverage=coverage,
        actor=actor,
        channel=channel,
    )


def _md5(content: bytes) -> str:
    return base64.b64encode(hashlib.md5(content).digest()).decode()  # noqa: S324 (the Uploads API's Content-MD5)


def upload_attachment(*, client: SpApiClient, marketplace: str, resource: str, attachment: AttachmentIn) -> str:
    """Uploads API: a destination for the message's resource, then the file's PUT to it."""
    from spapi.api.uploads_v2020_11_01.uploads_api import UploadsApi

    answer = client.sdk_call(
        lambda c: UploadsApi(c).create_upload_destination_for_resource_with_http_info(
            [marketplace],
            _md5(attachment.content),
            resource,
            content_type=attachment.content_type,
            _request_timeout=_timeout(),
        ),
        operation_id="createUploadDestinationForResource",
    )
    destination = answer["payload"]
    headers = {"Content-Type": attachment.content_type, **(destination.get("headers") or {})}
    try:
        put = requests.put(destination["url"], data=attachment.content, headers=headers, timeout=_timeout())
    except requests.RequestException as exc:
        raise Unavailable(f"The upload did not arrive: {exc.__class__.__name__}") from None
    if put.status_code >= 500:
        raise Unavailable(f"The upload failed ({put.status_code}).", status=put.status_code)
    if put.status_code >= 400:
        raise SpApiError(f"Amazon refused the attachment {attachment.name} ({put.status_code}).")
    return destination["uploadDestinationId"]


_SEND = {
    "confirmCustomizationDetails": "confirm_customization_details_with_http_info",
    "confirmDeliveryDetails": "create_confirm_delivery_details_with_http_info",
    "legalDisclosure": "create_legal_disclosure_with_http_info",
    "confirmOrderDetails": "create_confirm_order_details_with_http_info",
    "confirmServiceDetails": "create_confirm_service_details_with_http_info",
    "warranty": "create_warranty_with_http_info",
    "digitalAccessKey": "create_digital_access_key_with_http_info",
    "unexpectedProblem": "create_unexpected_problem_with_http_info",
    "invoice": "send_invoice_with_http_info",
}
# Amazon's operation ids of the same calls (the usage plans in ratelimit.py are keyed by them).
_OPERATION_IDS = {
    "confirmCustomizationDetails": "confirmCustomizationDetails",
    "confirmDeliveryDetails": "createConfirmDeliveryDetails",
    "legalDisclosure": "createLegalDisclosure",
    "confirmOrderDetails": "createConfirmOrderDetails",
    "confirmServiceDetails": "createConfirmServiceDetails",
    "warranty": "CreateWarranty",
    "digitalAccessKey": "createDigitalAccessKey",
    "unexpectedProblem": "createUnexpectedProblem",
    "invoice": "sendInvoice",
}


def _iso(value: str) -> str:
    return datetime.fromisoformat(value).strftime("%Y-%m-%dT%H:%M:%SZ")


class MessagingApiGateway:
    """Delivers an outbox row of a Messaging API type (its purpose names the type)."""

    def send(self, outbound: OutboundMessage) -> str:
        action = ACTION_FOR_PURPOSE.get(outbound.purpose)
        if action is None or outbound.order_id is None:
            raise PermanentGatewayError("Only Amazon's message types on an order go through the Messaging API.")
        try:
            client, marketplace = client_for(outbound.seller_account)
        except MessagingUnavailable as exc:
            raise PermanentGatewayError(exc.message) from None
        order_id = outbound.order.amazon_order_id
        resource = f"messaging/v1/orders/{order_id}/messages/{action.name}"
        try:
            body: dict[str, Any] = {}
            if action.takes_text:
                body["text"] = outbound.body
            # The files are kept in storage with the outbox row (tickets.attachments): read
            # again on every attempt, since an upload destination is only good for one message.
            files = [
                AttachmentIn(name=a.name, content_type=a.content_type, content=attachment_read(a))
                for a in outbound.attachments.filter(refused_reason="")
            ]
            if files:
                body["attachments"] = [
                    {
                        "uploadDestinationId": upload_attachment(
                            client=client, marketplace=marketplace, resource=resource, attachment=f
                        ),
                        "fileName": f.name,
                    }
                    for f in files
                ]
            if action.coverage_dates:
                body["coverageStartDate"] = _iso(outbound.amazon_fields["coverage_start"])
                body["coverageEndDate"] = _iso(outbound.amazon_fields["coverage_end"])
            method = _SEND[action.name]
            client.sdk_call(
                lambda c: getattr(_messaging_api(c), method)(
                    order_id, [marketplace], body, _request_timeout=_timeout()
                ),
                operation_id=_OPERATION_IDS[action.name],
            )
        except (Throttled, Unavailable) as exc:
            raise TransientGatewayError(exc.message) from None
        except AuthorizationRevoked as exc:
            raise PermanentGatewayError(f"Amazon refused the app's access: {exc.message}") from None
        except SpApiError as exc:
            # 400/404, and the 403 Amazon answers for a type the order does not allow (the
            # connection itself was good moments ago when the desk asked for the types): its reason.
            raise RejectedByAmazon(exc.message or f"HTTP {exc.status}") from None
        return f"messaging:{action.name}:{order_id}:{outbound.pk}"


GATEWAY = MessagingApiGateway()
GATEWAY_NAME = Gateway.SP_API
