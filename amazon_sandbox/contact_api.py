"""Messaging and Solicitations: which buyer contacts an order allows, and sending them.

Amazon does not publish when each message type is offered; the sandbox's rules (below)
follow the model's own descriptions ("prior to shipping", "arrange a delivery", …) and
offer only operations that exist in ``messaging.json`` (never the removed
negativeFeedbackRemoval or amazonMotors).

Solicitations (notes/amazon.md §5): productReviewAndSellerFeedback is offered from five
days after the earliest delivery date to 30 days after the latest, once per order.
"""

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .errors import ApiError
from .marketplace import CANCELLED, MFN, SHIPPED, Marketplace, Order
from .spec import all_operations

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


def message_actions(order: Order, at: datetime) -> list[str]:
    """The message types the sandbox offers for an order now, in the model's order."""
    status = order.status(at)
    if status == CANCELLED:
        return []
    offered = {"legalDisclosure", "unexpectedProblem", "warranty", "invoice"}
    if order.channel == MFN and status != SHIPPED:
        offered.add("confirmOrderDetails")  # "an order-related question prior to shipping"
    if order.channel == MFN and not order.is_delivered(at):
        offered.add("confirmDeliveryDetails")  # "arrange a delivery"
    served = all_operations()
    return [action for action, op in MESSAGE_ACTIONS.items() if action in offered and op in served]


@dataclass
class Contacts:
    """What was sent to buyers, by (selling partner, order)."""

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
