"""Message templates: variables filled in a sandbox, unknown ones refused, and every
template compliance-checked when it is saved."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import OrderFactory, OrderItemFactory, TicketFactory, UserFactory
from tickets.models import MessageTemplate
from tickets.outbound.defaults import AMAZON_ACTION_TEMPLATES, DEFAULT_TEMPLATES
from tickets.outbound.templating import message_context, template_errors, template_render

pytestmark = pytest.mark.django_db


def test_a_template_renders_the_ticket_s_variables(account):
    order = OrderFactory(seller_account=account, amazon_order_id="113-1234567-7654321", buyer__name="Dana")
    item = OrderItemFactory(order=order, product__title="Programmable Espresso Machine")
    ticket = TicketFactory(seller_account=account, buyer=order.buyer, order=order)
    agent = UserFactory(first_name="Sam")
    context = message_context(ticket=ticket, product=item.product, agent=agent)
    text = template_render(
        body="Hi {{ buyer.name }}, about {{ product.title }} (order {{ order.amazon_order_id }}). "
        "{{ agent.first_name }}",
        context=context,
    )
    assert text == "Hi Dana, about Programmable Espresso Machine (order 113-1234567-7654321). Sam"


def test_buyer_text_is_not_html_escaped_in_a_plain_text_message():
    text = template_render(body="Hi {{ buyer.name }}", context={"buyer": {"name": "O'Brien & Sons"}})
    assert text == "Hi O'Brien & Sons"


@pytest.mark.parametrize(
    "body",
    [
        "Hi {{ buyer.email }}",  # not an offered variable
        "Hi {{ buyer.name.upper }}",
        "Hi {{ settings.SECRET_KEY }}",
        "Hi {{ buyer.__class__ }}",
    ],
)
def test_an_unknown_variable_is_refused(body):
    assert template_errors(body)
    with pytest.raises(ValidationError):
        template_render(body=body, context={"buyer": {"name": "Dana"}})


@pytest.mark.parametrize(
    "body", ["{% load static %}x", "{% include 'admin/base.html' %}", "{% debug %}", "{% if buyer.name %}x{% endif %}"]
)
def test_template_tags_are_refused(body):
    assert template_errors(body)


def test_an_unsafe_filter_is_refused():
    assert template_errors("{{ buyer.name|safe }}")
    assert not template_errors("{{ buyer.name|default:'there' }}")


def test_a_template_asking_for_a_review_change_cannot_be_saved():
    template = MessageTemplate(
        name="Sneaky",
        slug="sneaky",
        purpose="reply",
        body="Hi {{ buyer.name }}, now that it is fixed, would you consider updating your review?",
    )
    with pytest.raises(ValidationError) as excinfo:
        template.full_clean()
    assert "body" in excinfo.value.message_dict


def test_a_proactive_template_without_the_order_id_cannot_be_saved():
    template = MessageTemplate(
        name="Guide",
        slug="guide-no-order",
        purpose="proactive_guide",
        body="Hello {{ buyer.name }}, here is the guide: {{ product.guide_url }}",
    )
    with pytest.raises(ValidationError):
        template.full_clean()


@pytest.mark.parametrize("default", DEFAULT_TEMPLATES + AMAZON_ACTION_TEMPLATES, ids=lambda t: t["slug"])
def test_every_default_template_is_installed_and_passes_the_guard(default):
    template = MessageTemplate.objects.get(seller_account=None, slug=default["slug"])
    template.full_clean()  # raises on a compliance violation
