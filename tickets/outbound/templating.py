"""Message templates, rendered with Django's template engine in a sandbox.

A template may use only the variables listed in ``TEMPLATE_VARIABLES`` and a few
harmless filters; no tags at all (no ``{% load %}``, ``{% include %}``, ``{% debug %}``).
The context handed to it holds plain values, never model instances, so nothing beyond
the listed fields can be reached even through a filter.
"""

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import TextNode, VariableNode

# Every variable a template may use, with the sample value used to check it when saved.
TEMPLATE_VARIABLES: dict[str, str] = {
    "buyer.name": "Jordan",
    "order.amazon_order_id": "113-0000000-0000000",
    "order.carrier": "UPS",
    "order.tracking_number": "1Z999AA10123456784",
    "order.purchased_at": "2026-01-01",
    "order.delivered_at": "2026-01-05",
    "order.latest_delivery_date": "2026-01-06",
    "product.title": "Programmable Espresso Machine",
    "product.asin": "B0ESPRESS1",
    "product.guide_url": "https://guides.example.com/quick-start.pdf",
    "product.troubleshooting_url": "https://guides.example.com/troubleshooting",
    "seller.name": "Brewline Espresso",
    "agent.first_name": "Sam",
}
ALLOWED_FILTERS = {"default", "upper", "lower", "title", "capfirst", "date"}

# Plain-text messages: no HTML escaping (buyers would see "&amp;"); the compliance guard
# refuses HTML in the rendered text instead.
_engine = Engine(debug=False, autoescape=False, string_if_invalid="", libraries={})


def template_errors(body: str) -> list[str]:
    """Everything wrong with a template body, as sentences a manager understands."""
    try:
        template = _engine.from_string(body)
    except TemplateSyntaxError as exc:
        return [f"Template syntax error: {exc}. Only variables such as {{{{ buyer.name }}}} are allowed."]
    errors = []
    for node in template.nodelist:
        if isinstance(node, TextNode):
            continue
        if not isinstance(node, VariableNode):
            errors.append(
                "Tags such as {% … %} are not allowed in message templates; use variables like {{ buyer.name }}."
            )
            continue
        expression = node.filter_expression
        name = getattr(expression.var, "var", None)
        if not isinstance(name, str) or name not in TEMPLATE_VARIABLES:
            allowed = ", ".join(sorted(TEMPLATE_VARIABLES))
            errors.append(f"Unknown variable {{{{ {expression.token} }}}}. Available: {allowed}.")
        for func, _args in expression.filters:
            if func.__name__ not in ALLOWED_FILTERS:
                errors.append(f"The filter |{func.__name__} is not allowed; use one of {sorted(ALLOWED_FILTERS)}.")
    return errors


def template_validate(body: str) -> None:
    errors = template_errors(body)
    if errors:
        raise ValidationError({"body": errors})


def sample_context() -> dict[str, dict[str, str]]:
    return _nest(TEMPLATE_VARIABLES)


def template_render(*, body: str, context: dict[str, dict[str, str]]) -> str:
    """Render a validated body. Unknown variables are refused, never silently blank."""
    template_validate(body)
    return _engine.from_string(body).render(Context(context, autoescape=False)).strip()


def _nest(flat: dict[str, str]) -> dict[str, dict[str, str]]:
    nested: dict[str, dict[str, str]] = {}
    for dotted, value in flat.items():
        head, field = dotted.split(".", 1)
        nested.setdefault(head, {})[field] = value
    return nested


def message_context(*, ticket=None, order=None, product=None, agent=None, buyer=None, seller_account=None) -> dict:
    """The template context for a message, as plain strings (the sandbox's other half)."""
    order = order or (ticket.order if ticket else None)
    buyer = buyer or (ticket.buyer if ticket else None) or (order.buyer if order else None)
    seller_account = (
        seller_account or (ticket.seller_account if ticket else None) or (order.seller_account if order else None)
    )

    def text(value) -> str:
        return "" if value is None else str(value)

    def day(value) -> str:
        return value.date().isoformat() if value else ""

    flat = {
        "buyer.name": text(buyer.name if buyer else ""),
        "order.amazon_order_id": text(order.amazon_order_id if order else ""),
        "order.carrier": text(order.carrier if order else ""),
        "order.tracking_number": text(order.tracking_number if order else ""),
        "order.purchased_at": day(order.purchased_at) if order else "",
        "order.delivered_at": day(order.delivered_at) if order else "",
        "order.latest_delivery_date": day(order.latest_delivery_date) if order else "",
        "product.title": text(product.title if product else ""),
        "product.asin": text(product.asin if product else ""),
        "product.guide_url": text(product.guide_url if product else ""),
        "product.troubleshooting_url": text(product.troubleshooting_url if product else ""),
        "seller.name": text(seller_account.name if seller_account else ""),
        "agent.first_name": text((agent.first_name or agent.get_username()) if agent else ""),
    }
    return _nest(flat)


SAMPLE_LINK_DOMAIN = "guides.example.com"


def template_compliance_errors(*, body: str, purpose: str, allowed_link_domains: frozenset[str] = frozenset()) -> list:
    """Check a template when it is saved, not only when a message is sent: render it
    with sample values and run the compliance guard on the result."""
    from ..compliance import ComplianceContext, compliance_check

    errors = template_errors(body)
    if errors:
        return errors
    sample = sample_context()
    rendered = template_render(body=body, context=sample)
    context = ComplianceContext(
        amazon_order_id=sample["order"]["amazon_order_id"],
        days_since_delivery=0,
        allowed_link_domains=allowed_link_domains | {SAMPLE_LINK_DOMAIN},
        contact_reason="customer_support",
    )
    result = compliance_check(text=rendered, purpose=purpose, context=context)
    return [f"{v.message} (rule {v.rule}: “{rendered[v.start : v.end]}”)" for v in result.violations]
