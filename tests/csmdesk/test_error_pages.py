"""Branded error pages with a way back; the API's docs served from the project (no CDN)."""

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_a_mistyped_ticket_id_is_the_desks_404_even_under_debug(alice_client_plain):
    response = alice_client_plain.get("/tickets/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Back to the queue" in html and "URLconf" not in html


def test_an_unknown_page_is_the_branded_404_with_a_way_back(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="/">Back to the queue' in response.content.decode()


def test_the_403_and_500_pages_are_branded():
    from django.template.loader import render_to_string

    assert "You may not do this" in render_to_string("403.html")
    assert "Back to the queue" in render_to_string("500.html")


def test_the_api_docs_load_swagger_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_the_swagger_bundle_is_a_file_the_project_serves():
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_the_desk_and_the_browser_find_a_favicon(client):
    assert finders.find("desk/favicon.svg")
    assert client.get("/favicon.ico").url.endswith("desk/favicon.svg")


@pytest.fixture
def alice_client_plain(client, alice):
    client.force_login(alice)
    return client
