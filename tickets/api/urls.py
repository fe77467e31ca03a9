"""The ticket domain's routes under /api/v1/. A collection answers GET with the list
(read scope) and POST with the ingest upsert (ingest scope): one view class per URL,
composed from the two halves."""

from django.urls import path

from .compliance import ComplianceCheckView
from .ingest import (
    ChargebackIngestView,
    ClaimIngestView,
    MessageIngestView,
    OrderEventIngestView,
    OrderIngestView,
    ProductIngestView,
    SellerAccountIngestView,
)
from .tickets import (
    ChargebackListView,
    ClaimListView,
    HeldMessageDetailView,
    HeldMessageListView,
    MessageListView,
    OrderDetailView,
    OrderListView,
    SellerAccountListView,
    TicketDetailView,
    TicketListView,
    TicketMergeView,
    TicketNoteView,
    TicketReplyView,
)


class SellerAccountsView(SellerAccountListView, SellerAccountIngestView):
    pass


class OrdersView(OrderListView, OrderIngestView):
    pass


class MessagesView(MessageListView, MessageIngestView):
    pass


class ClaimsView(ClaimListView, ClaimIngestView):
    pass


class ChargebacksView(ChargebackListView, ChargebackIngestView):
    pass


urlpatterns = [
    path("compliance/check/", ComplianceCheckView.as_view(), name="compliance-check"),
    path("seller-accounts/", SellerAccountsView.as_view(), name="seller-accounts"),
    path("products/<str:asin>/", ProductIngestView.as_view(), name="product"),
    path("orders/", OrdersView.as_view(), name="orders"),
    path("orders/<str:amazon_order_id>/", OrderDetailView.as_view(), name="order"),
    path("orders/<str:amazon_order_id>/events/", OrderEventIngestView.as_view(), name="order-events"),
    path("messages/", MessagesView.as_view(), name="messages"),
    path("claims/", ClaimsView.as_view(), name="claims"),
    path("chargebacks/", ChargebacksView.as_view(), name="chargebacks"),
    path("tickets/", TicketListView.as_view(), name="tickets"),
    path("tickets/<int:pk>/", TicketDetailView.as_view(), name="ticket"),
    path("tickets/<int:pk>/replies/", TicketReplyView.as_view(), name="ticket-replies"),
    path("tickets/<int:pk>/notes/", TicketNoteView.as_view(), name="ticket-notes"),
    path("tickets/<int:pk>/merge/", TicketMergeView.as_view(), name="ticket-merge"),
    path("held-messages/", HeldMessageListView.as_view(), name="held-messages"),
    path("held-messages/<int:pk>/", HeldMessageDetailView.as_view(), name="held-message"),
]
