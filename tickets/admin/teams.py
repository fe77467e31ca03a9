"""Teams of agents: managers group people for the response-time figures per team."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpRequest

from ..models import DeskProfile, Team
from ..profiles import profile_time_zone_set


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "member_count", "account_count")
    search_fields = ("name",)
    autocomplete_fields = ("members", "seller_accounts")

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Counted in the list query, not per row.
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_total=Count("members", distinct=True),
                account_total=Count("seller_accounts", distinct=True),
            )
        )

    @admin.display(description="Members", ordering="member_total")
    def member_count(self, obj: Team) -> int:
        return obj.member_total

    @admin.display(description="Seller accounts", ordering="account_total")
    def account_count(self, obj: Team) -> int | str:
        return obj.account_total or "all"


@admin.register(DeskProfile)
class DeskProfileAdmin(admin.ModelAdmin):
    """People's own settings (each person sets theirs on /settings/): the admin's time zone."""

    list_display = ("user", "time_zone")
    search_fields = ("user__username", "time_zone")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)

    def save_model(self, request: HttpRequest, obj: DeskProfile, form, change: bool) -> None:
        # Through the service: audited, and the cached zone is dropped.
        profile_time_zone_set(user=obj.user, time_zone=obj.time_zone, actor=request.user)
