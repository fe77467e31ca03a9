"""A system check: with DEBUG off, CSM Desk refuses to start while its SP-API settings still
point at the local sandbox (the defaults), so a production deployment never sends a seller's
consent to a fake Seller Central or syncs nothing while looking connected."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

SANDBOX_CLIENT_ID = "amzn1.application-oa2-client.csmdesksandbox"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def _sandbox_like(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return url.startswith(settings.SPAPI_SANDBOX_URL) or host in LOOPBACK or host.startswith("127.")


@register()
def spapi_not_the_sandbox(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG or settings.SPAPI_ALLOW_SANDBOX:
        return []
    named = {
        "SPAPI_LWA_TOKEN_URL": settings.SPAPI_LWA_TOKEN_URL,
        "SPAPI_CONSENT_URL": settings.SPAPI_CONSENT_URL,
        **{f"SPAPI_ENDPOINT_{region}": url for region, url in settings.SPAPI_ENDPOINTS.items()},
    }
    wrong = [name for name, url in named.items() if _sandbox_like(url)]
    if settings.SPAPI_LWA_CLIENT_ID == SANDBOX_CLIENT_ID:
        wrong.append("SPAPI_LWA_CLIENT_ID")
    if not wrong:
        return []
    return [
        Error(
            f"With DEBUG off, the SP-API settings still point at the local sandbox: {', '.join(wrong)}.",
            hint="Set them to your app's Login with Amazon credentials and Amazon's addresses (README, "
            "'Connect a seller account to Amazon'), or SPAPI_ALLOW_SANDBOX=1 for a demo server.",
            id="amazon.E001",
        )
    ]
