from django.urls import path

from . import webhooks

# Under /amazon/mail/: the inbound webhook of each mailbox of kind "webhook".
urlpatterns = [
    path("inbound/<str:key>/", webhooks.inbound_mail, name="amazon-mail-inbound"),
]
