"""Reads. ``*_visible_to`` are the one permission gate: the agent UI, the admin and the
API all fetch through them, so list and detail pages can never disagree about access.

The principal is a user, or an API key (``api.models.ApiKey``: ``is_api_key`` is true),
which sees exactly the seller accounts it was issued for."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from .models import SellerAccount, Ticket

VIEW_ALL_ACCOUNTS = "tickets.view_all_seller_accounts"


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


def tickets_visible_to(user: AbstractBaseUser) -> QuerySet[Ticket]:
    if not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    if _is_api_key(user):
        return Ticket.objects.filter(seller_account__api_keys=user)
    if sees_all_seller_accounts(user):
        return Ticket.objects.all()
    return Ticket.objects.filter(seller_account__agents=user)
