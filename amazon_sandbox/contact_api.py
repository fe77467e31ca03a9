"""Messaging and Solicitations: which buyer contacts an order allows, and sending them.

Amazon does not publish when each message type is offered; the sandbox's rules (below)
follow the model's own descriptions ("prior to shipping", "arrange a delivery", …) and
offer only operations that exist in ``messaging.json`` (never the removed
negativeFeedbackRemoval or amazonMotors). A message is refused as Amazon would: a type not
offered for the order now (403), text the model's descriptions forbid (HTML, e-mail
addresses: 400), more attachments than the model allows (the model writes the count as
``maxLength``/``minLength``, which JSON Schema reads only for strings), and attachments
that were not uploaded for this order and message type (``uploads_api``).

Solicitations (notes/amazon.md §5): productReviewAndSellerFeedback is offered from five
days after the earliest delivery date to 30 days after the latest, once per order.
"""

import hashlib
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .errors import ApiError
from .marketplace import CANCELLED, MFN, SHIPPED, Marketplace, Order
from .spec import all_operations, load_model
from .uploads_api import Uploads

# Action name (the path's last segment) → the operation that sends it.
MESSAGE_ACTIONS = {
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
OPERATION_ACTIONS = {operation: action for action, operation in MESSAGE_ACTIONS.items()}
SOLICITATION_FROM = timedelta(days=5)
SOLICITATION_UNTIL = timedelta(days=30)
# Products that come with a digital access key (the scale's companion app).
DIGITAL_KEY_PRODUCTS = ("Digital Coffee Scale",)
# The buyers' languages of preference in the US marketplace, and how often (of 20).
LOCALES = ["en-US"] * 16 + ["es-US"] * 3 + ["de-DE"]
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>|&(?:[a-z]+|#\d+);")
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def message_actions(order: Order, at: datetime) -> list[str]:
    """The message types the sandbox offers for an order now, in the model's order.

    Never confirmServiceDetails: the sandbox's sellers sell no Home Services."""
    status = order.status(at)
    if status == CANCELLED:
        return []
    offered = {"legalDisclosure", "unexpectedProblem"}
    if order.channel == MFN and status != SHIPPED:
        offered.add("confirmOrderDetails")  # "an order-related question prior to shipping"
        offered.add("confirmCustomizationDetails")  # made to order: before it is made and shipped
    if order.channel == MFN and not order.is_delivered(at):
        offered.add("confirmDeliveryDetails")  # "arrange a delivery"
    if status == SHIPPED:
        offered.add("invoice")  # the sale is complete
    if order.is_delivered(at):
        offered.add("warranty")  # coverage starts with the goods in the buyer's hands
        if any(item.product.title.startswith(DIGITAL_KEY_PRODUCTS) for item in order.items):
            offered.add("digitalAccessKey")
    served = all_operations()
    return [action for action, op in MESSAGE_ACTIONS.items() if action in offered and op in served]


@dataclass
class Contacts:
    """What was sent to buyers, by (selling partner, order)."""

    uploads: Uploads = field(default_factory=Uploads)
    messages: list[dict] = field(default_factory=list)
    solicited: dict[tuple[str, str], datetime] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def solicitation_open(self, marketplace: Marketplace, order: Order, at: datetime) -> bool:
        if (marketplace.selling_partner_id, order.order_id) in self.solicited or not order.is_delivered(at):
            return False
        return order.earliest_delivery + SOLICITATION_FROM <= at <= order.latest_delivery + SOLICITATION_UNTIL

    def solicit(self, marketplace: Marketplace, order: Order, at: datetime) -> None:
        with self._lock:
            if not self.solicitation_open(marketplace, order, at):
                raise ApiError(
                    403, "Unauthorized", "A productReviewAndSellerFeedback solicitation is not available for the order."
                )
            self.solicited[(marketplace.selling_partner_id, order.order_id)] = at

    def send(self, marketplace: Marketplace, order: Order, operation_id: str, body: dict | None, at: datetime) -> None:
        action = OPERATION_ACTIONS[operation_id]
        if action not in message_actions(order, at):
            raise ApiError(403, "Unauthorized", f"The {action} message type is not available for the order.")
        body = body or {}
        message_body_check(operation_id, body)
        for attachment in body.get("attachments", []):
            self.uploads.attached(
                selling_partner_id=marketplace.selling_partner_id,
                order_id=order.order_id,
                action=action,
                attachment=attachment,
            )
        with self._lock:
            self.messages.append(
                {
                    "selling_partner_id": marketplace.selling_partner_id,
                    "order_id": order.order_id,
                    "action": action,
                    "body": body or {},
                    "sent_at": at,
                }
            )


def message_body_check(operation_id: str, body: dict) -> None:
    """What the model's text says but its schema cannot: no HTML, no e-mail addresses, and
    the attachments' count (written as ``minLength``/``maxLength`` on an array)."""
    text = body.get("text", "")
    if HTML_TAG.search(text):
        raise ApiError(400, "InvalidInput", "text: HTML is not allowed.")
    if EMAIL_ADDRESS.search(text):
        raise ApiError(400, "InvalidInput", "text: e-mail addresses are not allowed.")
    schema = request_schema(operation_id).get("properties", {}).get("attachments")
    if schema is not None:
        count = len(body.get("attachments", []))
        if not schema.get("minLength", 0) <= count <= schema.get("maxLength", count):
            raise ApiError(
                400,
                "InvalidInput",
                f"attachments: {count} given; {schema.get('minLength', 0)} to {schema.get('maxLength')} allowed.",
            )


def request_schema(operation_id: str) -> dict:
    """The body schema of a Messaging operation, from the model."""
    body = next(p for p in all_operations()[operation_id].parameters if p.location == "body")
    return load_model("messaging")["definitions"][body.schema["$ref"].rsplit("/", 1)[-1]]


def buyer_locale(order: Order) -> str:
    """The buyer's language of preference (GetAttributes), fixed per order."""
    digest = hashlib.sha256(order.order_id.encode()).digest()
    return LOCALES[digest[0] % len(LOCALES)]


def order_or_404(marketplace: Marketplace, order_id: str, at: datetime) -> Order:
    order = marketplace.order(order_id, at)
    if order is None:
        raise ApiError(404, "NotFound", f"Order {order_id} was not found.")
    return order


def _marketplace_query(params: dict) -> str:
    return f"?marketplaceIds={params['marketplaceIds'][0]}"


def messaging_actions_json(order: Order, params: dict, at: datetime) -> dict:
    base = f"/messaging/v1/orders/{order.order_id}"
    query = _marketplace_query(params)
    actions = [{"href": f"{base}/messages/{a}{query}", "name": a} for a in message_actions(order, at)]
    actions.append({"href": f"{base}/attributes{query}", "name": "attributes"})
    return {"_links": {"actions": actions, "self": {"href": f"{base}{query}"}}}


def solicitation_actions_json(contacts: Contacts, marketplace: Marketplace, order: Order, params: dict, at) -> dict:
    base = f"/solicitations/v1/orders/{order.order_id}"
    query = _marketplace_query(params)
    actions = []
    if contacts.solicitation_open(marketplace, order, at):
        actions.append(
            {
                "href": f"{base}/solicitations/productReviewAndSellerFeedback{query}",
                "name": "productReviewAndSellerFeedback",
            }
        )
    return {"_links": {"actions": actions, "self": {"href": f"{base}{query}"}}}
