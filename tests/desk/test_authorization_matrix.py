"""The desk's authorization matrix: every desk page and action that names a ticket, an
outreach case, a held reply or a reimbursement case, opened or posted by another account's
agent with the first account's ids, is a 404 that neither shows nor changes anything (the
API's twin is in tests/api)."""

import pytest
from django.urls import URLPattern

from tests.api.test_authorization_matrix import SECRET, World
from tickets import urls as desk_urls

pytestmark = pytest.mark.django_db

# What an agent would post to each action; the outreach steps take the Contact Customer
# reasons and the workflow steps.
POSTS = {
    "ticket-reply": {"body": "A replacement ships today.", "after": "solve"},
    "ticket-update": {"status": "solved", "assignee": "charlie-m", "priority": "4"},
    "ticket-no-response": {},
    "ticket-check": {"body": "Thanks!"},
    "ticket-presence": {},
    "outreach-case-act": {"reason": "courtesy_refund"},
    "held-reject": {"reason": "pwned"},
    "reimbursement-file": {"amazon_case_id": "1234567890"},
}
OUTREACH_STEPS = ("contact", "resolve", "close", "courtesy_refund", "customer_support")


def _desk_patterns_with_an_id() -> list[URLPattern]:
    return [p for p in desk_urls.urlpatterns if "<int:pk>" in str(p.pattern)]


def test_the_matrix_covers_every_desk_url_that_names_an_object():
    assert {p.name for p in _desk_patterns_with_an_id()} == {
        "ticket",
        "ticket-reply",
        "ticket-update",
        "ticket-no-response",
        "ticket-check",
        "ticket-presence",
        "ticket-merge",
        "outreach-case",
        "outreach-case-act",
        "held-approve",
        "held-reject",
        "reimbursement-file",
    }


@pytest.mark.parametrize("name", sorted(p.name for p in _desk_patterns_with_an_id()))
def test_another_accounts_agent_reaches_nothing_of_alices(client, name):
    world = World()
    client.force_login(world.charlie)
    pk = {"outreach": world.case.pk, "held": world.held.pk, "reimbursement": world.reimbursement.pk}.get(
        name.split("-")[0], world.ticket.pk
    )
    steps = OUTREACH_STEPS if name == "outreach-case-act" else (None,)
    before = world.snapshot()
    for step in steps:
        url = f"/outreach/{pk}/{step}/" if step else _url(name, pk)
        for response in (client.get(url), client.post(url, POSTS.get(name, {}))):
            assert response.status_code in (404, 405), (url, response.status_code)
            assert SECRET not in response.content.decode()
    assert world.snapshot() == before


def _url(name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(f"desk:{name}", kwargs={"pk": pk})
