"""The metrics API mounted as the project will mount it (under /api/v1/), for the tests."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("metrics.api"))]
