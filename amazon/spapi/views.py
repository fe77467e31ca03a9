"""The consent's two ends, for managers only: *Connect to Amazon* (POST: a one-time state,
then Seller Central's consent page) and the callback Amazon redirects the seller back to."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tickets.access import seller_accounts_visible_to

from .services import ConnectRefused, spapi_authorization_complete, spapi_authorization_start

PERMISSION = "amazon.change_spapiconnection"


def _manager(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied("Only managers connect seller accounts to Amazon.")


def consent_allowed(response: HttpResponse) -> HttpResponse:
    """Let the page's *Connect to Amazon* form lead to Seller Central: the form posts here and
    is redirected to the consent page, which CSP's ``form-action 'self'`` would block."""
    parts = urlsplit(settings.SPAPI_CONSENT_URL)
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response


def redirect_uri(request: HttpRequest) -> str:
    """The callback's address: the configured one (registered for the app at Amazon), else this host's."""
    return settings.SPAPI_REDIRECT_URI or request.build_absolute_uri(reverse("spapi-oauth-callback"))


@require_POST
@staff_member_required
def connect(request: HttpRequest, account_id: int) -> HttpResponse:
    _manager(request)
    account = get_object_or_404(seller_accounts_visible_to(request.user), pk=account_id)
    url = spapi_authorization_start(seller_account=account, user=request.user, redirect_uri=redirect_uri(request))
    return HttpResponseRedirect(url)


@require_GET
@staff_member_required
def callback(request: HttpRequest) -> HttpResponse:
    _manager(request)
    try:
        connection = spapi_authorization_complete(
            state=request.GET.get("state", ""),
            code=request.GET.get("spapi_oauth_code", ""),
            selling_partner_id=request.GET.get("selling_partner_id", ""),
            user=request.user,
        )
    except ConnectRefused as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("admin:amazon_spapiconnection_changelist"))
    messages.success(
        request,
        f"{connection.seller_account.name} is connected to Amazon as seller {connection.selling_partner_id}; "
        f"its orders sync every {settings.SPAPI_SYNC_MINUTES} minutes.",
    )
    return HttpResponseRedirect(reverse("admin:amazon_spapiconnection_change", args=[connection.pk]))
