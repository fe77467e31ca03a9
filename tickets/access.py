"""The one permission gate: which seller accounts a principal sees, and through them every
row it may read or write. The agent UI, the admin, the API and the tasks all fetch through
these ``*_visible_to`` helpers, so list and detail pages can never disagree about access.

The principal is a user, or an API key (``api.models.ApiKey``: ``is_api_key`` is true),
which sees exactly the seller accounts it was issued for. Lookups by an Amazon id are
scoped here too (``order_visible_by_amazon_id``): Amazon's ids are unique per account."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, QuerySet

from reviews.models import ProductReview, ReviewOutreachCase

from .lookups import AnyOf
from .models import HeldMessage, Order, Product, SellerAccount, Ticket

VIEW_ALL_ACCOUNTS = "tickets.view_all_seller_accounts"
DECIDE_HELD_MESSAGES = "tickets.decide_heldmessage"


def sees_all_seller_accounts(user: AbstractBaseUser) -> bool:
    """Managers (and superusers) see every account; agents only their own."""
    return user.is_active and user.has_perm(VIEW_ALL_ACCOUNTS)


def _is_api_key(principal) -> bool:
    return getattr(principal, "is_api_key", False)


def seller_accounts_visible_to(user: AbstractBaseUser) -> QuerySet[SellerAccount]:
    if not user.is_authenticated or not user.is_active:
        return SellerAccount.objects.none()
    if _is_api_key(user):
        return SellerAccount.objects.filter(api_keys=user)
    if sees_all_seller_accounts(user):
        return SellerAccount.objects.all()
    return SellerAccount.objects.filter(agents=user)


class AmazonIdAmbiguous(Exception):
    """An Amazon id names rows in several of the caller's seller accounts: Amazon's ids are
    unique per account, so the caller must say which account it means."""


def orders_visible_to(user: AbstractBaseUser) -> QuerySet[Order]:
    return Order.objects.filter(seller_account__in=seller_accounts_visible_to(user))


def order_visible_by_amazon_id(
    *, user: AbstractBaseUser, amazon_order_id: str, seller_account_id: int | None = None, orders=None
) -> Order | None:
    """The caller's order with this Amazon order id, or None (unknown and another account's
    are the same answer). Raises ``AmazonIdAmbiguous`` when the id is in more than one of
    the caller's accounts and ``seller_account_id`` does not pick one. ``orders`` (with
    related rows, say) is narrowed to the caller's accounts here too, whatever it holds."""
    visible = seller_accounts_visible_to(user)
    found = (orders if orders is not None else Order.objects).filter(
        seller_account__in=visible, amazon_order_id=amazon_order_id
    )
    if seller_account_id is not None:
        found = found.filter(seller_account_id=seller_account_id)
    rows = list(found[:2])
    if len(rows) > 1:
        raise AmazonIdAmbiguous(amazon_order_id)
    return rows[0] if rows else None


def tickets_visible_to(user: AbstractBaseUser) -> QuerySet[Ticket]:
    if not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    if _is_api_key(user):
        return Ticket.objects.filter(seller_account__api_keys=user)
    if sees_all_seller_accounts(user):
        return Ticket.objects.all()
    # The agent's memberships as a list of account ids rather than a join of accounts and
    # memberships: the same rows, planned in a fraction of the time (``AnyOf``).
    memberships = SellerAccount.agents.through.objects.filter(user=user).values("selleraccount_id")
    return Ticket.objects.filter(AnyOf(F("seller_account_id"), memberships))


def products_visible_to(user: AbstractBaseUser) -> QuerySet[Product]:
    return Product.objects.filter(seller_account__in=seller_accounts_visible_to(user))


def reviews_visible_to(user: AbstractBaseUser) -> QuerySet[ProductReview]:
    return ProductReview.objects.filter(seller_account__in=seller_accounts_visible_to(user))


def outreach_cases_visible_to(user: AbstractBaseUser) -> QuerySet[ReviewOutreachCase]:
    return ReviewOutreachCase.objects.filter(review__seller_account__in=seller_accounts_visible_to(user))


def held_messages_visible_to(user: AbstractBaseUser) -> QuerySet[HeldMessage]:
    """Held messages of the caller's accounts: agents see their accounts' (and so their own
    held replies on the ticket), managers every account's, a key its accounts'."""
    return HeldMessage.objects.filter(seller_account__in=seller_accounts_visible_to(user))


def may_decide_held_messages(user: AbstractBaseUser) -> bool:
    """Only a person with the managers' permission approves or rejects a held message, and
    only among the accounts they see (``held_messages_visible_to``). Never an API key: a key
    is not a person, and an agent-scope key could approve the very replies it wrote, which
    would make the hold pointless."""
    if _is_api_key(user) or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(DECIDE_HELD_MESSAGES)


def reimbursement_cases_visible_to(user: AbstractBaseUser):
    """FBA reimbursement cases of the caller's accounts (reimbursements/)."""
    from reimbursements.models import ReimbursementCase

    return ReimbursementCase.objects.filter(seller_account__in=seller_accounts_visible_to(user))
