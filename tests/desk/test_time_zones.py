"""Times said with their zone: the desk in the agent's browser zone, the admin in the
manager's own chosen zone (their desk profile), never the desk's cookie."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import TicketFactory
from tickets.models import DeskProfile
from tickets.profiles import profile_time_zone_set

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)


def test_a_workspace_time_names_its_zone(alice_client, account, buyer_writes):
    alice_client.cookies["desk_tz"] = "Europe%2FBerlin"
    ticket = buyer_writes(account)
    html = alice_client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "CET" in html.split('class="conversation"')[1].split("</article>")[0]


def test_a_manager_chooses_the_admins_time_zone(client, manager):
    client.force_login(manager)
    response = client.post("/settings/", {"time_zone": "America/New_York"})
    assert response.status_code == 302
    assert DeskProfile.objects.get(user=manager).time_zone == "America/New_York"


def test_an_unknown_zone_is_a_form_error(client, manager):
    client.force_login(manager)
    assert client.post("/settings/", {"time_zone": "Mars/Olympus"}).status_code == 400


@time_machine.travel(MOMENT, tick=False)
def test_the_admin_shows_times_in_the_managers_zone_not_the_desk_cookie(client, manager, account):
    profile_time_zone_set(user=manager, time_zone="America/New_York", actor=manager)
    ticket = TicketFactory(seller_account=account, created_at=MOMENT)
    client.force_login(manager)
    client.cookies["desk_tz"] = "Asia%2FTokyo"
    html = client.get(f"/admin/tickets/ticket/{ticket.pk}/change/").content.decode()
    assert "Times in America/New_York" in html
    assert "Asia/Tokyo" not in html


@time_machine.travel(MOMENT, tick=False)
def test_an_admin_list_prints_the_zone_abbreviation(client, manager, account):
    profile_time_zone_set(user=manager, time_zone="America/New_York", actor=manager)
    TicketFactory(seller_account=account, created_at=MOMENT)
    client.force_login(manager)
    html = client.get("/admin/tickets/auditevent/").content.decode()
    assert "EST" in html
