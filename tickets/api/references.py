"""Amazon ids named in a request, resolved among the caller's seller accounts only.

Amazon's ids are unique per seller account, so a caller with several accounts may name an
id that two of them hold: it then says which account it means (``seller_account`` in the
body, or ``?seller_account=ID`` beside a path). Unknown and another account's ids give the
same answer, so that no answer reveals what another account holds."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from ..access import AmazonIdAmbiguous, order_visible_by_amazon_id, seller_accounts_visible_to
from ..models import Order, SellerAccount

SELLER_ACCOUNT_PICK = OpenApiParameter(
    "seller_account", int, description="The seller account, when the order id is in several of yours."
)
_ACCOUNT_ID = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
AMBIGUOUS = "This order id is in several of your seller accounts: name one with seller_account."


def order_from_body(request: Request, amazon_order_id: str, *, seller_account_id: int | None = None) -> Order:
    """The order a body field names: unknown and foreign are the same 400 field error."""
    try:
        order = order_visible_by_amazon_id(
            user=request.user, amazon_order_id=amazon_order_id, seller_account_id=seller_account_id
        )
    except AmazonIdAmbiguous:
        raise ValidationError({"seller_account": [AMBIGUOUS]}) from None
    if order is None:
        raise ValidationError({"amazon_order_id": ["No such order in your seller accounts."]})
    return order


def order_from_path(request: Request, amazon_order_id: str, *, orders=None) -> Order:
    """The order a path names: 404 when unknown or foreign; ``?seller_account=ID`` picks
    the account when the id is in several of the caller's."""
    raw = request.query_params.get("seller_account")
    account_id = None
    if raw not in (None, ""):
        try:
            account_id = _ACCOUNT_ID.run_validation(raw)
        except ValidationError as exc:
            raise ValidationError({"seller_account": exc.detail}) from None
    try:
        order = order_visible_by_amazon_id(
            user=request.user, amazon_order_id=amazon_order_id, seller_account_id=account_id, orders=orders
        )
    except AmazonIdAmbiguous:
        raise ValidationError({"seller_account": [AMBIGUOUS]}) from None
    if order is None:
        raise Http404
    return order


def seller_account_from_body(request: Request, account_id: int) -> SellerAccount:
    """The seller account a body field names: unknown and foreign are the same 400."""
    account = seller_accounts_visible_to(request.user).filter(pk=account_id).first()
    if account is None:
        raise ValidationError({"seller_account": ["No such seller account among yours."]})
    return account
