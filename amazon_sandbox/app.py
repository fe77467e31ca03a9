"""The sandbox as a WSGI application: routes from the models, LWA, limits, checked answers.

One request, in Amazon's order: route (from the model files) → access token (403) →
usage plan (429) → parameters and body against the model (400) → the operation → the
answer checked against the model's schema for its status. An answer the model does not
allow is a bug in the sandbox: it is recorded in ``Sandbox.violations``, logged, and
answered 500 so the caller (a test) fails loudly.

Besides the SP-API routes it serves LWA (``POST /auth/o2/token``), the consent page
(``/apps/authorize/consent``), report documents (``/_sandbox/documents/<id>``, the stand-in
for Amazon's pre-signed S3 URLs) and two sandbox-only helpers: ``GET /_sandbox/sellers`` and
``POST /_sandbox/revoke`` (the seller removes the app in Seller Central).
"""

import html
import json
import logging
import socketserver
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import contact_api, finances_api, orders_api, uploads_api
from .clock import Clock
from .contact_api import Contacts
from .errors import ApiError
from .lwa import AccessDenied, Application, Lwa, LwaError
from .marketplace import Marketplace, generate, selling_partner_id_for
from .ratelimit import RateLimiter
from .reports_api import ReportStore
from .spec import ContractViolation, Operation, RequestInvalid, all_operations, coerce_parameters, error_body

log = logging.getLogger("amazon_sandbox")

DEFAULT_CLIENT_ID = "amzn1.application-oa2-client.csmdesksandbox"
DEFAULT_CLIENT_SECRET = "sandbox-client-secret"  # a fixed value of this local test server, not a credential
DEFAULT_APPLICATION_ID = "amzn1.sp.solution.csmdesk-sandbox"
DEFAULT_REDIRECT_URI = "http://127.0.0.1:8000/amazon/oauth/callback/"
SELLER_NAMES = ["Brewline Coffee Gear", "Kettle & Co.", "Grindhouse Supply", "Crema Works"]
MAX_BODY = 1024 * 1024


@dataclass
class Call:
    """One SP-API call, as an operation handler sees it."""

    sandbox: "Sandbox"
    operation: Operation
    marketplace: Marketplace
    params: dict[str, Any]
    now: datetime
    base_url: str


Handler = Callable[[Call], tuple[int, Any]]


class Sandbox:
    """A local SP-API: sellers with generated marketplaces, LWA, usage plans, reports."""

    def __init__(
        self,
        *,
        clock: Clock,
        seed: int = 1,
        orders: int = 2000,
        sellers: int = 2,
        report_seconds: float = 30.0,
        gzip_documents_over: int | None = 1_000_000,
        redirect_uris: list[str] | None = None,
    ) -> None:
        self.clock = clock
        self.seed = seed
        anchor = clock.now().replace(microsecond=0)
        self.marketplaces: dict[str, Marketplace] = {}
        for index in range(sellers):
            spid = selling_partner_id_for(seed, index)
            self.marketplaces[spid] = generate(
                selling_partner_id=spid,
                seller_name=SELLER_NAMES[index % len(SELLER_NAMES)],
                seed=seed,
                orders=orders,
                anchor=anchor,
            )
        self.lwa = Lwa(clock=clock)
        self.application = self.lwa.register_application(
            Application(
                application_id=DEFAULT_APPLICATION_ID,
                client_id=DEFAULT_CLIENT_ID,
                client_secret=DEFAULT_CLIENT_SECRET,
                redirect_uris=list(redirect_uris or [DEFAULT_REDIRECT_URI]),
            )
        )
        self.limiter = RateLimiter(clock)
        self.reports = ReportStore(report_seconds=report_seconds, gzip_over=gzip_documents_over)
        self.contacts = Contacts()
        self.violations: list[str] = []
        self.operations = {op_id: op for op_id, op in all_operations().items() if op_id in HANDLERS}
        self._default_plans = _default_plans()

    @property
    def selling_partner_ids(self) -> list[str]:
        return list(self.marketplaces)

    def self_authorize(self, selling_partner_id: str) -> str:
        """A refresh token for the default application (no consent pages)."""
        return self.lwa.self_authorize(client_id=self.application.client_id, selling_partner_id=selling_partner_id)

    def revoke(self, selling_partner_id: str) -> int:
        return self.lwa.revoke(selling_partner_id=selling_partner_id)

    def usage_plan(self, op: Operation) -> tuple[float, int]:
        # An operation whose description states no plan gets its API's usual one.
        if op.rate is not None and op.burst is not None:
            return op.rate, op.burst
        return self._default_plans[op.api]

    # --- WSGI -----------------------------------------------------------------------

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        status, headers, body = self.handle(environ)
        start_response(f"{status} {_REASONS.get(status, 'Status')}", headers)
        return [body]

    def handle(self, environ: dict) -> tuple[int, list[tuple[str, str]], bytes]:
        method = environ["REQUEST_METHOD"].upper()
        path = environ.get("PATH_INFO", "") or "/"
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        base_url = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', 'localhost')}"
        try:
            if path == "/auth/o2/token" and method == "POST":
                return self._token(environ)
            if path == "/apps/authorize/consent":
                return self._consent(environ, method, query)
            if path.startswith("/_sandbox/"):
                return self._sandbox_route(environ, method, path)
        except LwaError as error:
            return _json(error.status, error.body())
        except ApiError as error:
            return _json(error.status, error_body([(error.code, error.message)]))
        for op in self.operations.values():
            match = op.pattern.match(path)
            if match and op.method == method:
                return self._operation(op, environ, query, match.groupdict(), base_url)
        return _json(404, error_body([("NotFound", f"No operation at {method} {path}.")]))

    def _operation(self, op: Operation, environ: dict, query, path_params, base_url):
        request_id = str(uuid.uuid4())
        rate, burst = self.usage_plan(op)
        now = self.clock.now()
        try:
            spid = self.lwa.selling_partner_for(environ.get("HTTP_X_AMZ_ACCESS_TOKEN"))
            if not self.limiter.allow(selling_partner_id=spid, operation_id=op.operation_id, rate=rate, burst=burst):
                raise ApiError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.")
            body = _read_json(environ) if any(p.location == "body" for p in op.parameters) else None
            headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key[:5] == "HTTP_"}
            params = coerce_parameters(op, query=query, path=path_params, headers=headers, body=body)
            call = Call(self, op, self.marketplaces[spid], params, now, base_url)
            status, payload = HANDLERS[op.operation_id](call)
        except AccessDenied as denied:
            status, payload = 403, error_body([("Unauthorized", denied.message)])
        except RequestInvalid as invalid:
            status, payload = 400, error_body([("InvalidInput", str(invalid))])
        except ApiError as error:
            status, payload = error.status, error_body([(error.code, error.message)])
        try:
            op.validate_response(status, payload)
        except ContractViolation as violation:
            self.violations.append(str(violation))
            log.error("contract violation: %s", violation)
            status, payload = 500, error_body([("InternalFailure", f"Sandbox contract violation: {violation}")])
        headers = [("Content-Type", op.produces), ("x-amzn-RequestId", request_id)]
        if status != 403:
            headers.append(("x-amzn-RateLimit-Limit", f"{rate:g}"))
        content = b"" if payload is None else json.dumps(payload).encode()
        return status, headers, content

    # --- LWA and consent --------------------------------------------------------------

    def _token(self, environ: dict):
        form = {key: values[-1] for key, values in parse_qs(_read_body(environ).decode()).items()}
        return _json(200, self.lwa.token(form))

    def _consent(self, environ: dict, method: str, query: dict):
        fields = {key: values[-1] for key, values in query.items()}
        if method == "POST":
            fields.update({k: v[-1] for k, v in parse_qs(_read_body(environ).decode()).items()})
            spid = fields.get("selling_partner_id", "")
            if spid not in self.marketplaces:
                raise LwaError(400, "invalid_request", "Unknown selling partner.")
            code, uri = self.lwa.consent(
                application_id=fields.get("application_id", ""),
                selling_partner_id=spid,
                redirect_uri=fields.get("redirect_uri"),
            )
            target = uri + ("&" if "?" in uri else "?")
            target += urlencode(
                {"state": fields.get("state", ""), "selling_partner_id": spid, "spapi_oauth_code": code}
            )
            return 302, [("Location", target), ("Content-Type", "text/plain")], b""
        app = self.lwa.applications.get(fields.get("application_id", ""))
        if app is None:
            raise LwaError(400, "invalid_request", "Unknown application_id.")
        return 200, [("Content-Type", "text/html; charset=utf-8")], self._consent_page(app, fields).encode()

    def _consent_page(self, app: Application, fields: dict) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(fields[name])}">'
            for name in ("application_id", "state", "redirect_uri")
            if name in fields
        )
        choices = "".join(
            f'<label><input type="radio" name="selling_partner_id" value="{spid}"{" checked" if i == 0 else ""}> '
            f"{html.escape(m.seller_name)} ({spid})</label><br>"
            for i, (spid, m) in enumerate(self.marketplaces.items())
        )
        return (
            "<!doctype html><title>Authorize application</title>"
            f"<h1>Authorize {html.escape(app.name)}</h1>"
            "<p>Sandbox Seller Central: the application asks to access your selling account data "
            "(orders, reports, buyer messaging).</p>"
            f'<form method="post">{hidden}{choices}<button type="submit">Confirm</button></form>'
        )

    # --- sandbox-only routes ----------------------------------------------------------

    def _sandbox_route(self, environ: dict, method: str, path: str):
        if method == "GET" and path.startswith("/_sandbox/documents/"):
            document = self.reports.document(path.rsplit("/", 1)[-1])
            if document is None:
                return _json(404, error_body([("NotFound", "No such document.")]))
            return 200, [("Content-Type", document.content_type)], document.content
        if method == "PUT" and path.startswith("/_sandbox/uploads/"):
            content = uploads_api.read_upload(environ)
            key = path.removeprefix("/_sandbox/uploads/")
            self.contacts.uploads.put(key=key, content=content, now=self.clock.now())
            return 200, [("Content-Type", "text/plain")], b""
        if method == "GET" and path == "/_sandbox/sellers":
            sellers = [
                {"sellingPartnerId": spid, "name": m.seller_name, "marketplaceId": m.marketplace_id}
                for spid, m in self.marketplaces.items()
            ]
            return _json(200, {"sellers": sellers, "clientId": self.application.client_id})
        if method == "POST" and path == "/_sandbox/revoke":
            form = {k: v[-1] for k, v in parse_qs(_read_body(environ).decode()).items()}
            return _json(200, {"revoked": self.revoke(form.get("selling_partner_id", ""))})
        return _json(404, error_body([("NotFound", "No such sandbox route.")]))


def _default_plans() -> dict[str, tuple[float, int]]:
    plans: dict[str, Counter] = {}
    for op in all_operations().values():
        if op.rate is not None and op.burst is not None:
            plans.setdefault(op.api, Counter())[(op.rate, op.burst)] += 1
    return {api: counter.most_common(1)[0][0] for api, counter in plans.items()}


def _read_body(environ: dict) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise ApiError(413, "RequestEntityTooLarge", "The request is too large.")
    return environ["wsgi.input"].read(length) if length else b""


def _read_json(environ: dict) -> Any:
    raw = _read_body(environ)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise RequestInvalid("The request body is not valid JSON.") from None


def _json(status: int, payload: Any):
    return status, [("Content-Type", "application/json")], json.dumps(payload).encode()


_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


# --- The operations served, by operationId --------------------------------------------


def _search_orders(call: Call):
    return 200, orders_api.search_orders(marketplace=call.marketplace, params=call.params, now=call.now)


def _get_order(call: Call):
    return 200, orders_api.get_order(marketplace=call.marketplace, params=call.params, now=call.now)


def _create_report(call: Call):
    body = call.sandbox.reports.create(marketplace=call.marketplace, body=call.params["body"], now=call.now)
    return 202, body


def _get_report(call: Call):
    spid = call.marketplace.selling_partner_id
    return 200, call.sandbox.reports.get(report_id=call.params["reportId"], selling_partner_id=spid, now=call.now)


def _get_reports(call: Call):
    spid = call.marketplace.selling_partner_id
    return 200, call.sandbox.reports.list(selling_partner_id=spid, params=call.params, now=call.now)


def _cancel_report(call: Call):
    spid = call.marketplace.selling_partner_id
    call.sandbox.reports.cancel(report_id=call.params["reportId"], selling_partner_id=spid, now=call.now)
    return 200, None


def _get_report_document(call: Call):
    return 200, call.sandbox.reports.document_info(
        document_id=call.params["reportDocumentId"],
        selling_partner_id=call.marketplace.selling_partner_id,
        now=call.now,
        base_url=call.base_url,
    )


def _check_marketplace(call: Call) -> None:
    if call.params["marketplaceIds"] != [call.marketplace.marketplace_id]:
        raise ApiError(400, "InvalidInput", "The seller does not sell in the marketplaceIds given.")


def _messaging_actions(call: Call):
    _check_marketplace(call)
    order = contact_api.order_or_404(call.marketplace, call.params["amazonOrderId"], call.now)
    return 200, contact_api.messaging_actions_json(order, call.params, call.now)


def _attributes(call: Call):
    _check_marketplace(call)
    order = contact_api.order_or_404(call.marketplace, call.params["amazonOrderId"], call.now)
    return 200, {"buyer": {"locale": contact_api.buyer_locale(order)}}


def _send_message(call: Call):
    _check_marketplace(call)
    order = contact_api.order_or_404(call.marketplace, call.params["amazonOrderId"], call.now)
    call.sandbox.contacts.send(call.marketplace, order, call.operation.operation_id, call.params.get("body"), call.now)
    return 201, {}


def _solicitation_actions(call: Call):
    _check_marketplace(call)
    order = contact_api.order_or_404(call.marketplace, call.params["amazonOrderId"], call.now)
    contacts = call.sandbox.contacts
    return 200, contact_api.solicitation_actions_json(contacts, call.marketplace, order, call.params, call.now)


def _solicit(call: Call):
    _check_marketplace(call)
    order = contact_api.order_or_404(call.marketplace, call.params["amazonOrderId"], call.now)
    call.sandbox.contacts.solicit(call.marketplace, order, call.now)
    return 201, {}


def _upload_destination(call: Call):
    _check_marketplace(call)
    payload = call.sandbox.contacts.uploads.create(
        selling_partner_id=call.marketplace.selling_partner_id,
        params=call.params,
        known_actions=set(contact_api.MESSAGE_ACTIONS),
        now=call.now,
        base_url=call.base_url,
    )
    return 201, payload


def _list_financial_events(call: Call):
    return 200, finances_api.list_financial_events(marketplace=call.marketplace, params=call.params, now=call.now)


HANDLERS: dict[str, Handler] = {
    "searchOrders": _search_orders,
    "listFinancialEvents": _list_financial_events,
    "getOrder": _get_order,
    "createReport": _create_report,
    "getReport": _get_report,
    "getReports": _get_reports,
    "cancelReport": _cancel_report,
    "getReportDocument": _get_report_document,
    "getMessagingActionsForOrder": _messaging_actions,
    "GetAttributes": _attributes,
    **dict.fromkeys(contact_api.OPERATION_ACTIONS, _send_message),
    "getSolicitationActionsForOrder": _solicitation_actions,
    "createProductReviewAndSellerFeedbackSolicitation": _solicit,
    "createUploadDestinationForResource": _upload_destination,
}


# --- Serving ----------------------------------------------------------------------------


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        log.debug("%s " + format, self.address_string(), *args)


@dataclass
class RunningSandbox:
    sandbox: Sandbox
    server: WSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve_in_thread(sandbox: Sandbox, *, host: str = "127.0.0.1", port: int = 0) -> RunningSandbox:
    """Serve ``sandbox`` on ``host:port`` (0: a free port) from a background thread."""
    server = make_server(host, port, sandbox, server_class=_ThreadingServer, handler_class=_QuietHandler)
    # A short poll interval: stopping (every test's teardown) waits for at most one poll.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="amazon-sandbox", daemon=True)
    thread.start()
    return RunningSandbox(sandbox=sandbox, server=server, thread=thread)
