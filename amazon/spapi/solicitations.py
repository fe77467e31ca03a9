"""The Solicitations API: whether Amazon lists ``productReviewAndSellerFeedback`` for an
order now (``getSolicitationActionsForOrder``), and sending it
(``createProductReviewAndSellerFeedbackSolicitation``, no body). Amazon is the final judge of
eligibility (notes/amazon.md §5): the desk asks before every request and never sends one
Amazon does not list. Errors come out as the client's (``amazon.spapi.client``)."""

from django.conf import settings

from .client import SpApiClient

SOLICITATION = "productReviewAndSellerFeedback"


def _api(api_client):
    from spapi.api.solicitations_v1.solicitations_api import SolicitationsApi

    return SolicitationsApi(api_client)


def _timeout() -> tuple[float, float]:
    return (float(settings.SPAPI_TIMEOUT_SECONDS), float(settings.SPAPI_TIMEOUT_SECONDS))


def solicitation_offered(*, client: SpApiClient, amazon_order_id: str, marketplace_id: str) -> bool:
    answer = client.sdk_call(
        lambda c: _api(c).get_solicitation_actions_for_order_with_http_info(
            amazon_order_id, [marketplace_id], _request_timeout=_timeout()
        ),
        operation_id="getSolicitationActionsForOrder",
    )
    actions = ((answer or {}).get("_links") or {}).get("actions") or []
    return any(action.get("name") == SOLICITATION for action in actions)


def solicitation_create(*, client: SpApiClient, amazon_order_id: str, marketplace_id: str) -> None:
    client.sdk_call(
        lambda c: _api(c).create_product_review_and_seller_feedback_solicitation_with_http_info(
            amazon_order_id, [marketplace_id], _request_timeout=_timeout()
        ),
        operation_id="createProductReviewAndSellerFeedbackSolicitation",
    )
