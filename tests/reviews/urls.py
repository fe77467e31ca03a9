"""The admin and the reviews API under /api/v1/, as the project will include them."""

from django.contrib import admin
from django.urls import include, path

from api.urls import atomic_patterns
from reviews.api import urlpatterns as reviews_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(atomic_patterns(reviews_api))),
]
