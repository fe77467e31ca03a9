from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from amazon.review_requests.api import urlpatterns as review_requests_api
from amazon.spapi.api import urlpatterns as amazon_api
from api.urls import atomic_patterns
from api.views import NotFoundView
from metrics.api import urlpatterns as metrics_api
from reimbursements.api import urlpatterns as reimbursements_api
from reviews.api import urlpatterns as reviews_api
from tickets.api.urls import urlpatterns as tickets_api

# The admin site's titles and front page: csmdesk.admin_site.DeskAdminSite.

# Each app exposes its API routes as ``urlpatterns`` in its api module; every view runs in
# one transaction (a rejected request writes nothing) with the auth, scopes, throttling
# and error handling of REST_FRAMEWORK.
api_v1 = atomic_patterns(
    [
        *tickets_api,
        *reviews_api,
        *metrics_api,
        *amazon_api,
        *review_requests_api,
        *reimbursements_api,
        re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
    ]
)

# Swagger UI loads its bundle, stylesheet and icon from its distribution (a CDN by default);
# its start-up script comes from the same view (the "split" view), so no inline script.
_swagger_dist = spectacular_settings.SWAGGER_UI_DIST
_swagger_origin = "/".join(_swagger_dist.split("/")[:3]) if "://" in _swagger_dist else "'self'"
api_docs = csp_update({"script-src": [_swagger_origin], "style-src": [_swagger_origin], "img-src": [_swagger_origin]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("amazon/", include("amazon.spapi.urls")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}desk/favicon.svg")),
    path("", include("tickets.urls")),
]
