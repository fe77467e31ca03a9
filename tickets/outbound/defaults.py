"""The default message templates every seller account starts with (managers edit them
in the admin). Installed by a data migration; tests check each passes the guard."""

DEFAULT_TEMPLATES = [
    {
        "slug": "quick_start_guide",
        "name": "Quick-start guide (proactive, after delivery)",
        "purpose": "proactive_guide",
        "subject": "Getting started with your {{ product.title }}",
        "body": (
            "Hello {{ buyer.name }},\n\n"
            "Your order {{ order.amazon_order_id }} ({{ product.title }}) has been delivered. "
            "To help you set it up, here is the quick-start guide:\n{{ product.guide_url }}\n\n"
            "If something does not work as expected, these troubleshooting steps usually solve it:\n"
            "{{ product.troubleshooting_url }}\n\n"
            "{{ seller.name }}"
        ),
    },
    {
        "slug": "where_is_my_package",
        "name": "Where is my package (FBM)",
        "purpose": "reply",
        "subject": "Your order {{ order.amazon_order_id }}",
        "body": (
            "Hello {{ buyer.name }},\n\n"
            "Thank you for your message about order {{ order.amazon_order_id }}. It shipped with "
            "{{ order.carrier }}, tracking number {{ order.tracking_number }}, and is expected by "
            "{{ order.latest_delivery_date }}. You can follow it in Your Orders on Amazon.\n\n"
            "If it has not arrived by then, reply here and we will send a replacement or a full refund.\n\n"
            "{{ agent.first_name }}, {{ seller.name }}"
        ),
    },
    {
        "slug": "replacement_part",
        "name": "Replacement part on its way",
        "purpose": "reply",
        "subject": "A replacement part for order {{ order.amazon_order_id }}",
        "body": (
            "Hello {{ buyer.name }},\n\n"
            "I am sorry about the trouble with your {{ product.title }}. A replacement part for order "
            "{{ order.amazon_order_id }} ships today at no cost to you; we will send the tracking number "
            "as soon as the carrier assigns one.\n\n"
            "{{ agent.first_name }}, {{ seller.name }}"
        ),
    },
    {
        "slug": "return_label",
        "name": "Return label (FBM)",
        "purpose": "reply",
        "subject": "Your return for order {{ order.amazon_order_id }}",
        "body": (
            "Hello {{ buyer.name }},\n\n"
            "I have authorised the return of order {{ order.amazon_order_id }}. The prepaid return label is "
            "available in Your Orders on Amazon under Return or replace items. As soon as the carrier scans "
            "the parcel, we issue your refund.\n\n"
            "{{ agent.first_name }}, {{ seller.name }}"
        ),
    },
    {
        "slug": "refund_issued",
        "name": "Refund issued",
        "purpose": "reply",
        "subject": "Refund for order {{ order.amazon_order_id }}",
        "body": (
            "Hello {{ buyer.name }},\n\n"
            "I have issued a full refund for order {{ order.amazon_order_id }}. Depending on your bank it "
            "appears on your statement within 3 to 5 business days.\n\n"
            "{{ agent.first_name }}, {{ seller.name }}"
        ),
    },
    {
        "slug": "warranty",
        "name": "Warranty information",
        "purpose": "warranty",
        "subject": "Warranty for your {{ product.title }}",
        "body": (
            "Hello {{ buyer.name }},\n\n"
            "Your {{ product.title }} from order {{ order.amazon_order_id }} is covered by our two-year "
            "warranty from the purchase date ({{ order.purchased_at }}). Tell us what happened, with a photo "
            "if you can, and we will repair or replace it.\n\n"
            "{{ agent.first_name }}, {{ seller.name }}"
        ),
    },
]


# Texts for the Messaging API's types, in the buyers' languages (``language``): *Message via
# Amazon* proposes the one in the buyer's language of preference (GetAttributes). Installed by
# their own data migration (0017); the bracketed part is the agent's to write.
AMAZON_ACTION_TEMPLATES = [
    {
        "slug": "amazon_unexpected_problem_en",
        "name": "Unexpected problem (Amazon, English)",
        "purpose": "amazon_unexpected_problem",
        "language": "en",
        "body": (
            "Hello {{ buyer.name }},\n\nthere is an unexpected problem with your order {{ order.amazon_order_id }}: "
            "[what happened and what we are doing about it].\n\n{{ seller.name }}"
        ),
    },
    {
        "slug": "amazon_unexpected_problem_es",
        "name": "Problema inesperado (Amazon, español)",
        "purpose": "amazon_unexpected_problem",
        "language": "es",
        "body": (
            "Hola {{ buyer.name }}:\n\nhay un problema inesperado con su pedido {{ order.amazon_order_id }}: "
            "[qué ha pasado y qué estamos haciendo].\n\n{{ seller.name }}"
        ),
    },
    {
        "slug": "amazon_unexpected_problem_de",
        "name": "Unerwartetes Problem (Amazon, Deutsch)",
        "purpose": "amazon_unexpected_problem",
        "language": "de",
        "body": (
            "Hallo {{ buyer.name }},\n\nbei Ihrer Bestellung {{ order.amazon_order_id }} ist ein unerwartetes "
            "Problem aufgetreten: [was passiert ist und was wir tun].\n\n{{ seller.name }}"
        ),
    },
    {
        "slug": "amazon_confirm_delivery_details_en",
        "name": "Confirm delivery details (Amazon, English)",
        "purpose": "amazon_confirm_delivery_details",
        "language": "en",
        "body": (
            "Hello {{ buyer.name }},\n\nto deliver your order {{ order.amazon_order_id }}, the carrier needs to "
            "agree a delivery time with you. Which day and time suit you?\n\n{{ seller.name }}"
        ),
    },
    {
        "slug": "amazon_confirm_delivery_details_es",
        "name": "Confirmar la entrega (Amazon, español)",
        "purpose": "amazon_confirm_delivery_details",
        "language": "es",
        "body": (
            "Hola {{ buyer.name }}:\n\npara entregar su pedido {{ order.amazon_order_id }}, el transportista "
            "necesita acordar con usted una hora de entrega. ¿Qué día y hora le vienen bien?\n\n{{ seller.name }}"
        ),
    },
    {
        "slug": "amazon_confirm_delivery_details_de",
        "name": "Lieferdetails bestätigen (Amazon, Deutsch)",
        "purpose": "amazon_confirm_delivery_details",
        "language": "de",
        "body": (
            "Hallo {{ buyer.name }},\n\nfür die Zustellung Ihrer Bestellung {{ order.amazon_order_id }} möchte der "
            "Paketdienst einen Liefertermin mit Ihnen vereinbaren. Welcher Tag und welche Uhrzeit passen Ihnen?"
            "\n\n{{ seller.name }}"
        ),
    },
]
