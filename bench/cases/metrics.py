"""Account-health figures at scale: the ODR formula (target ≤ 100 ms over 1M orders and
20k defects on PostgreSQL), response time (whole account and one team), the managers'
dashboard (read from the day's snapshots: record them first, ``manage.py metrics_backfill``)
and the agents' ODR header badges."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from metrics.fulfillment import fulfillment_compute
from metrics.odr import odr_compute
from metrics.response_time import response_time_compute
from metrics.selectors import odr_badges_for
from tickets.models import SellerAccount, Team

from ..registry import Bench, CaseFailed, case


def _biggest_account() -> SellerAccount:
    """The account with the most orders: the worst case of every per-account figure."""
    account = SellerAccount.objects.annotate(n=Count("orders")).order_by("-n").first()
    if account is None:
        raise CaseFailed("No seller accounts: seed data first.")
    return account


def _odr(channel: str) -> Callable[[Bench], Callable[[], object]]:
    def setup(bench: Bench) -> Callable[[], object]:
        account = _biggest_account()
        today = timezone.now().date()
        return lambda: odr_compute(seller_account=account, channel=channel, as_of=today)

    return setup


case("metrics: ODR of the biggest account, FBA")(_odr("FBA"))
case("metrics: ODR of the biggest account, FBM")(_odr("FBM"))
case("metrics: ODR of the biggest account, all channels")(_odr("all"))


@case("metrics: response time of the biggest account, 30 days")
def response_time(bench: Bench) -> Callable[[], object]:
    account = _biggest_account()
    return lambda: response_time_compute(seller_account=account, days=30)


@case("metrics: response time of the biggest account, 30 days, one team")
def response_time_of_a_team(bench: Bench) -> Callable[[], object]:
    account = _biggest_account()
    # The account's agents as one team (created once; the bench database is a copy).
    team, _ = Team.objects.get_or_create(name=f"bench: agents of {account.name}")
    team.members.set(account.agents.all())
    return lambda: response_time_compute(seller_account=account, days=30, team_id=team.pk)


@case("metrics: FBM shipping and return rates of the biggest account")
def fulfillment(bench: Bench) -> Callable[[], object]:
    account = _biggest_account()
    today = timezone.now().date()
    return lambda: fulfillment_compute(seller_account=account, as_of=today)


@case("metrics: account health dashboard of the biggest account")
def dashboard(bench: Bench) -> Callable[[], object]:
    return bench.page("/admin/metrics/accounthealth/", seller_account=_biggest_account().pk)


@case("metrics: ODR header badges of a manager (every account)")
def badges(bench: Bench) -> Callable[[], object]:
    user = get_user_model().objects.get(username="bench-manager")
    user.has_perm("tickets.view_all_seller_accounts")  # the permission cache a request has
    return lambda: odr_badges_for(user)
