from django.urls import path

from . import views

# Under /amazon/: Amazon redirects the seller to /amazon/oauth/callback/ (the redirect URI
# registered for the app; the sandbox's default).
urlpatterns = [
    path("oauth/callback/", views.callback, name="spapi-oauth-callback"),
]
