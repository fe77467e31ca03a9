"""POST /api/v1/compliance/check/: the guard, over HTTP, for integrations and the UI."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/compliance/check/"


def test_a_review_change_request_is_reported_with_its_position(client, alice):
    client.force_login(alice)
    text = "Glad it works now! Would you consider updating your review?"
    response = client.post(URL, {"text": text, "purpose": "reply"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["allowed"] is False
    violation = next(v for v in body["violations"] if v["rule"] == "review_change_request")
    assert text[violation["start"] : violation["end"]]


def test_an_ordinary_reply_is_allowed(client, alice):
    client.force_login(alice)
    response = client.post(
        URL,
        {"text": "Sorry the reservoir arrived cracked — a replacement ships today.", "purpose": "reply"},
        content_type="application/json",
    )
    assert response.json() == {"allowed": True, "verdict": "allowed", "violations": [], "doubts": []}


def test_an_unknown_purpose_is_a_field_error(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"text": "hello", "purpose": "marketing_blast"}, content_type="application/json")
    assert response.status_code == 400
    assert "purpose" in response.json()


def test_anonymous_callers_are_refused(client):
    response = client.post(URL, {"text": "hello", "purpose": "reply"}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_a_proactive_guide_longer_than_amazon_accepts_is_a_verdict_not_an_error(client, alice):
    client.force_login(alice)
    text = "Descaling keeps the machine quiet. " * 100  # 3,500 characters; Amazon takes 2,000
    response = client.post(URL, {"text": text, "purpose": "proactive_guide"}, content_type="application/json")
    assert response.status_code == 200
    too_long = next(v for v in response.json()["violations"] if v["rule"] == "too_long")
    assert (too_long["start"], too_long["end"]) == (2_000, len(text))
