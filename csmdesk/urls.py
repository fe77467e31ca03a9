from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.urls import atomic_patterns
from api.views import NotFoundView
from metrics.api import urlpatterns as metrics_api
from reviews.api import urlpatterns as reviews_api
from tickets.api.urls import urlpatterns as tickets_api

admin.site.site_header = "CSM Desk administration"
admin.site.site_title = "CSM Desk"
admin.site.index_title = "Seller accounts, tickets, reviews and account health"

# Each app exposes its API routes as ``urlpatterns`` in its api module; every view runs in
# one transaction (a rejected request writes nothing) with the auth, scopes, throttling
# and error handling of REST_FRAMEWORK.
api_v1 = atomic_patterns(
    [*tickets_api, *reviews_api, *metrics_api, re_path(r"^.*$", NotFoundView.as_view(), name="not-found")]
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("tickets.urls")),
]
