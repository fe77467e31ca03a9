from django.urls import path

from . import webhooks

# Under /amazon/mail/: the inbound webhook of each mailbox of kind "webhook".
urlpatterns = [
    path("inbound/<str:key>/", webhooks.inbound_mail, name="amazon-mail-inbound"),
    # Mailgun posts the raw MIME to a forward() URL that ends in "mime".
    path("inbound/<str:key>/mime", webhooks.inbound_mail, name="amazon-mail-inbound-mime"),
]
