"""The Content-Security-Policy header (django-csp): scripts only from the desk's own
origin on every page, the API docs relaxed only for Swagger UI's distribution."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def test_a_desk_page_allows_scripts_from_its_own_origin_only(client, alice):
    client.force_login(alice)
    assert _directives(client.get("/"))["script-src"] == ["'self'"]


def test_the_desk_pages_have_no_inline_script_or_event_handler(client, alice):
    client.force_login(alice)
    html = client.get("/").content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    handlers = re.findall(r"<[^>]+\son[a-z]+\s*=", html)
    assert (inline_scripts, handlers) == ([], [])


def test_an_error_response_carries_the_policy_too(client):
    assert "script-src 'self'" in client.get("/?q=a%00b")["Content-Security-Policy"]


def test_the_api_docs_load_swagger_ui_from_the_project_only(client):
    # Swagger UI is served from our static files (drf-spectacular-sidecar): no CDN to allow.
    directives = _directives(client.get("/api/docs/"))
    assert directives["script-src"] == ["'self'"]


def test_the_api_docs_start_swagger_ui_without_an_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
