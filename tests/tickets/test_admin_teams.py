"""Teams in the admin (tickets/admin/teams.py): managers group agents for the response figures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tickets.models import Team

pytestmark = pytest.mark.django_db


def test_a_manager_creates_a_team_of_agents(client, manager, alice, bob, account):
    client.force_login(manager)
    response = client.post(
        reverse("admin:tickets_team_add"),
        {"name": "Mornings", "members": [alice.pk, bob.pk], "seller_accounts": [account.pk]},
    )
    assert response.status_code == 302
    team = Team.objects.get()
    assert (set(team.members.all()), list(team.seller_accounts.all())) == ({alice, bob}, [account])


def test_the_team_list_costs_the_same_queries_for_more_teams(client, manager, alice, bob):
    client.force_login(manager)
    url = reverse("admin:tickets_team_changelist")
    client.get(url)  # warm per-process caches
    Team.objects.create(name="One").members.add(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(5):
        Team.objects.create(name=f"Team {index}").members.add(alice, bob)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_agent_cannot_open_the_teams(client, alice):
    client.force_login(alice)
    assert client.get(reverse("admin:tickets_team_changelist")).status_code == 302
