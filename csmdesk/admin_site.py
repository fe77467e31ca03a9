"""The managers' admin site: its front page opens on what needs a manager today — account
health, alerts, held and blocked messages, dead outbox rows, sync status — and then lists
the models grouped by the task they serve rather than by the app that defines them."""

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils import timezone

# The admin's model lists by task: (group, [app_label.ModelName…]). A model not named here
# goes under "Other" so that a new one is never hidden.
TASK_GROUPS = [
    ("Today's work", ["tickets.Ticket", "tickets.HeldMessage", "tickets.BlockedMessage", "tickets.OutboundMessage"]),
    (
        "Account health",
        ["metrics.AccountHealth", "metrics.HealthAlert", "metrics.MetricSnapshot", "metrics.OrderDayCount"],
    ),
    ("Claims and chargebacks", ["tickets.AtoZClaim", "tickets.Chargeback"]),
    (
        "Reviews and feedback",
        [
            "reviews.ReviewOutreachCase",
            "reviews.ProductReview",
            "reviews.SellerFeedback",
            "reviews.ReviewTheme",
            "reviews.ThemePhrase",
            "reviews.ReviewThemeMatch",
            "reviews.ReviewThemeCorrection",
        ],
    ),
    (
        "Orders, buyers and messages",
        ["tickets.Order", "tickets.OrderEvent", "tickets.Buyer", "tickets.Message", "tickets.Product"],
    ),
    (
        "Replies and automation",
        [
            "tickets.MessageTemplate",
            "tickets.ForbiddenPhrase",
            "tickets.SlaPolicy",
            "tickets.SlaEvent",
            "tickets.ProactiveGuide",
            "tickets.Notification",
        ],
    ),
    (
        "Connections to Amazon and integrations",
        [
            "amazon.Mailbox",
            "amazon.QuarantinedEmail",
            "amazon.NotBuyerMessage",
            "amazon.SpApiConnection",
            "api.ApiKey",
            "api.WebhookSubscription",
            "api.WebhookDelivery",
        ],
    ),
    (
        "Accounts and people",
        [
            "tickets.SellerAccount",
            "tickets.Team",
            "tickets.DeskProfile",
            "auth.User",
            "auth.Group",
            "axes.AccessAttempt",
        ],
    ),
    ("Audit", ["tickets.AuditEvent"]),
]
ALERT_DAYS = 7


def _label(app: dict, model: dict) -> str:
    return f"{app['app_label']}.{model['object_name']}"


def app_list_by_task(app_list: list[dict]) -> list[dict]:
    """Django's app list regrouped by ``TASK_GROUPS`` (same entries, same permissions)."""
    models = {_label(app, model): model for app in app_list for model in app["models"]}
    groups = []
    for name, labels in TASK_GROUPS:
        entries = [models.pop(label) for label in labels if label in models]
        if entries:
            groups.append({"name": name, "app_label": "", "app_url": "", "has_module_perms": True, "models": entries})
    if models:
        groups.append(
            {"name": "Other", "app_label": "", "app_url": "", "has_module_perms": True, "models": list(models.values())}
        )
    return groups


def manager_overview(user) -> dict:
    """What the front page shows first, counted over the accounts ``user`` sees."""
    from amazon.models import Mailbox
    from amazon.spapi.models import SpApiConnection
    from metrics.models import HealthAlert
    from metrics.selectors import latest_odr_by_account
    from tickets.access import held_messages_visible_to, seller_accounts_visible_to
    from tickets.models import BlockedMessage, OutboundMessage

    accounts = seller_accounts_visible_to(user)
    since = timezone.now() - timedelta(days=ALERT_DAYS)
    latest = latest_odr_by_account(accounts=accounts)
    health = [
        {"account": a, "fba": latest.get((a.pk, "FBA")), "fbm": latest.get((a.pk, "FBM"))}
        for a in accounts.only("pk", "name", "marketplace_id").order_by("name")
    ]
    return {
        "overview_health": health,
        "overview_alerts": list(
            HealthAlert.objects.filter(seller_account__in=accounts, created_at__gte=since)
            .select_related("seller_account")
            .order_by("-created_at")[:10]
        ),
        "overview_held": held_messages_visible_to(user).filter(status="held").count(),
        "overview_blocked": BlockedMessage.objects.filter(seller_account__in=accounts, created_at__gte=since).count(),
        "overview_dead": OutboundMessage.objects.filter(
            seller_account__in=accounts, status=OutboundMessage.Status.DEAD
        ).count(),
        "overview_connections": list(
            SpApiConnection.objects.filter(seller_account__in=accounts).select_related("seller_account")
        ),
        "overview_mailboxes": [
            {"mailbox": m, "state": _mailbox_state(m)}
            for m in Mailbox.objects.filter(seller_account__in=accounts).select_related("seller_account")
        ],
        "overview_alert_days": ALERT_DAYS,
    }


def _mailbox_state(mailbox) -> str:
    if mailbox.last_error_at and (not mailbox.last_success_at or mailbox.last_error_at > mailbox.last_success_at):
        return "Failing"
    return "OK" if mailbox.last_success_at else "Not polled yet"


class DeskAdminSite(admin.AdminSite):
    site_header = "CSM Desk administration"
    site_title = "CSM Desk"
    index_title = "What needs you today"

    def index(self, request: HttpRequest, extra_context: dict | None = None):
        return super().index(request, {**manager_overview(request.user), **(extra_context or {})})

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        app_list = super().get_app_list(request, app_label)
        # An app's own page keeps Django's list; the front page groups by task.
        return app_list if app_label else app_list_by_task(app_list)


class DeskAdminConfig(AdminConfig):
    default_site = "csmdesk.admin_site.DeskAdminSite"
