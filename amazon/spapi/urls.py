from django.urls import path

from . import desk, views

# Under /amazon/: Amazon redirects the seller to /amazon/oauth/callback/ (the redirect URI
# registered for the app; the sandbox's default).
urlpatterns = [
    path("oauth/callback/", views.callback, name="spapi-oauth-callback"),
    # Message via Amazon, beside the workspace's Reply.
    path("tickets/<int:pk>/messages/", desk.ticket_amazon, name="ticket-amazon"),
    path("tickets/<int:pk>/messages/<str:action>/", desk.ticket_amazon_send, name="ticket-amazon-send"),
    path("tickets/<int:pk>/review-request/", desk.ticket_review_request, name="ticket-review-request"),
]
