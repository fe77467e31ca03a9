"""The queue: SLA-ordered views, counts, filters, search, pagination, bulk actions."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory, UserFactory
from tickets.audit import audit_trail
from tickets.counts import SETTLE_SECONDS
from tickets.models import Ticket
from tickets.sla.clock import sla_record_response
from tickets.views.base import FILTER_CHOICES_CACHE_SECONDS

pytestmark = pytest.mark.django_db


def ticket_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-ticket="(\d+)"', response.content.decode())]


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_signs_an_agent_in_and_lands_on_the_queue(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "password"})
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:queue")


def test_an_agent_sees_only_the_tickets_of_their_seller_accounts(alice_client, account, other_account, buyer_writes):
    mine = buyer_writes(account, "Mine")
    theirs = buyer_writes(other_account, "Theirs")
    ids = ticket_ids(alice_client.get("/queue/open/"))
    assert mine.pk in ids
    assert theirs.pk not in ids


def test_a_manager_sees_every_account(client, manager, account, other_account, buyer_writes):
    client.force_login(manager)
    tickets = [buyer_writes(account), buyer_writes(other_account)]
    assert set(ticket_ids(client.get("/queue/open/"))) == {t.pk for t in tickets}


def test_the_queue_is_sorted_by_sla_due_time_with_clockless_tickets_last(alice_client, account, buyer_writes):
    fresh = buyer_writes(account, hours_ago=1)
    oldest = buyer_writes(account, hours_ago=23)
    middle = buyer_writes(account, hours_ago=10)
    clockless = TicketFactory(seller_account=account, status=Ticket.Status.OPEN)
    assert ticket_ids(alice_client.get("/queue/open/")) == [oldest.pk, middle.pk, fresh.pk, clockless.pk]


@pytest.fixture
def one_ticket_per_state(account, alice, bob, buyer_writes):
    fresh_mine = buyer_writes(account, hours_ago=1)
    fresh_mine.assignee = alice
    fresh_mine.save()
    at_risk = buyer_writes(account, hours_ago=21)  # 3 h left
    breached = buyer_writes(account, hours_ago=26)
    breached.assignee = bob
    breached.save()
    waiting = TicketFactory(seller_account=account, status=Ticket.Status.PENDING, assignee=alice)
    solved = TicketFactory(seller_account=account, status=Ticket.Status.SOLVED, assignee=alice)
    return {"mine": fresh_mine, "at_risk": at_risk, "breached": breached, "waiting": waiting, "solved": solved}


@pytest.mark.parametrize(
    "view, expected",
    [
        ("mine", {"mine"}),
        ("unassigned", {"at_risk"}),
        ("at_risk", {"at_risk"}),
        ("breached", {"breached"}),
        ("open", {"mine", "at_risk", "breached"}),
        ("waiting", {"waiting"}),
        ("solved", {"solved"}),
    ],
)
def test_each_view_shows_its_tickets(alice_client, one_ticket_per_state, view, expected):
    ids = set(ticket_ids(alice_client.get(f"/queue/{view}/")))
    assert ids == {one_ticket_per_state[name].pk for name in expected}


def sidebar_counts(response) -> dict[str, str]:
    html = response.content.decode()
    count = r'<span [^>]*class="count[^"]*"[^>]*>(\d+)</span>'
    return dict(re.findall(r'data-view="(\w+)">\s*<span>[^<]+</span>\s*' + count, html))


def test_the_sidebar_counts_match_the_views(alice_client, one_ticket_per_state):
    counts = sidebar_counts(alice_client.get("/"))
    assert counts == {"mine": "1", "unassigned": "1", "at_risk": "1", "breached": "1", "open": "3", "waiting": "1"}


def test_a_managers_sidebar_counts_match_the_views(client, manager, one_ticket_per_state):
    client.force_login(manager)
    counts = sidebar_counts(client.get("/"))
    assert counts == {"mine": "0", "unassigned": "1", "at_risk": "1", "breached": "1", "open": "3", "waiting": "1"}


def test_rows_show_the_countdown_the_order_and_its_channel(alice_client, account, buyer_writes, fbm_order):
    order = fbm_order(account)
    buyer_writes(account, "Where is it?", hours_ago=21, order=order)
    html = alice_client.get("/queue/open/").content.decode()
    assert "2 h 59 m left" in html or "3 h 00 m left" in html
    assert order.amazon_order_id in html
    assert 'class="badge fbm">FBM' in html
    assert "B0ESPRESS1" in html
    assert "Where is it?" in html  # the last message's preview


def test_an_overdue_ticket_says_how_late_it_is(alice_client, account, buyer_writes):
    buyer_writes(account, hours_ago=26)
    html = alice_client.get("/queue/breached/").content.decode()
    assert re.search(r'class="sla breached"[^>]*>overdue 2 h 0\d m<', html)


def test_buyer_text_is_escaped_in_the_queue(alice_client, account, buyer_writes):
    buyer_writes(account, "<img src=x onerror=alert(1)>", subject="<script>alert(1)</script>")
    html = alice_client.get("/queue/open/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_a_buyers_name_and_a_product_title_are_escaped_in_the_queue(alice_client, account, buyer_writes, fbm_order):
    order = fbm_order(account)
    order.buyer.name = "<b>Eve</b>"
    order.buyer.save(update_fields=["name"])
    order.items.get().product.__class__.objects.filter(asin="B0ESPRESS1").update(title='Grinder "<x>"')
    buyer_writes(account, order=order)
    html = alice_client.get("/queue/open/").content.decode()
    assert "<b>Eve</b>" not in html and "&lt;b&gt;Eve&lt;/b&gt;" in html
    assert 'title="Grinder &quot;&lt;x&gt;&quot;"' in html


@pytest.mark.parametrize("field", ["order", "asin", "buyer", "text"])
def test_search_finds_a_ticket_by_order_id_asin_buyer_or_message_text(
    alice_client, account, buyer_writes, fbm_order, field
):
    order = fbm_order(account)
    wanted = buyer_writes(account, "The steam wand drips constantly", order=order)
    buyer_writes(account, "Something else entirely")
    query = {
        "order": order.amazon_order_id,
        "asin": "b0espress1",
        "buyer": order.buyer.name.split()[0],
        "text": "steam wand",
    }[field]
    assert ticket_ids(alice_client.get("/queue/open/", {"q": query})) == [wanted.pk]


def test_filters_narrow_the_queue_by_channel_and_kind(alice_client, account, buyer_writes, fbm_order):
    fbm = buyer_writes(account, order=fbm_order(account))
    buyer_writes(account, order=fbm_order(account, fulfillment_channel="FBA"))
    Ticket.objects.filter(pk=fbm.pk).update(kind=Ticket.Kind.WHERE_IS_MY_PACKAGE)
    response = alice_client.get("/queue/open/", {"channel": "FBM", "kind": "where_is_my_package"})
    assert ticket_ids(response) == [fbm.pk]


def test_filtering_by_an_account_the_agent_cannot_see_shows_an_error_not_the_tickets(
    alice_client, account, other_account, buyer_writes
):
    buyer_writes(other_account)
    response = alice_client.get("/queue/open/", {"seller_account": other_account.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert all(Ticket.objects.get(pk=pk).seller_account == account for pk in ticket_ids(response))


def test_an_htmx_filter_request_gets_only_the_results(alice_client, account, buyer_writes):
    buyer_writes(account)
    response = alice_client.get(
        "/queue/open/", {"q": "package"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "data-ticket=" in html


def test_the_queue_pages_through_fifty_tickets_at_a_time(alice_client, account):
    TicketFactory.create_batch(51, seller_account=account, status=Ticket.Status.OPEN)
    first = alice_client.get("/queue/open/")
    assert len(ticket_ids(first)) == 50
    assert "1–50 of 51" in first.content.decode()
    second = alice_client.get("/queue/open/", {"page": 2})
    assert len(ticket_ids(second)) == 1
    assert alice_client.get("/queue/open/", {"page": "x"}).status_code == 200


def test_an_unknown_view_is_a_404(alice_client):
    assert alice_client.get("/queue/everything/").status_code == 404


def test_the_queue_runs_the_same_number_of_queries_for_5_or_60_tickets(
    alice_client, account, buyer_writes, fbm_order, django_assert_max_num_queries
):
    def load() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get("/queue/open/").status_code == 200
        return len(queries)

    for _ in range(5):
        buyer_writes(account, order=fbm_order(account))
    few = load()
    for _ in range(55):
        buyer_writes(account, order=fbm_order(account))
    with django_assert_max_num_queries(few):
        alice_client.get("/queue/open/")
    assert few <= 12


def test_the_next_page_reuses_the_kept_permissions_counts_odr_badges_and_filter_choices(
    alice_client, account, buyer_writes, django_assert_num_queries
):
    buyer_writes(account)
    with time_machine.travel(timezone.now() + timedelta(seconds=SETTLE_SECONDS + 1)):
        alice_client.get("/queue/open/")
        # The session, the user, the rows (permissions, counts, badges and filters are kept).
        with django_assert_num_queries(3):
            alice_client.get("/queue/mine/")


def test_a_new_colleague_shows_in_the_filters_within_a_minute(alice_client, account, buyer_writes, settings):
    # A cache whose expiry follows the travelling clock (Redis keeps its own).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    buyer_writes(account)
    carol = UserFactory(username="carol", first_name="Carol", last_name="Jones")
    alice_client.get("/queue/open/")
    account.agents.add(carol)
    assert "Carol Jones" not in alice_client.get("/queue/open/").content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=FILTER_CHOICES_CACHE_SECONDS + 1)):
        html = alice_client.get("/queue/open/").content.decode()
        assert f'<option value="{carol.pk}">Carol Jones</option>' in html
        # …and the filter takes her.
        filtered = alice_client.get(f"/queue/open/?assignee={carol.pk}")
        assert filtered.status_code == 200 and "Select a valid choice" not in filtered.content.decode()


def test_times_are_shown_in_the_agents_time_zone(alice_client, account, buyer_writes):
    ticket = buyer_writes(account, hours_ago=1)
    alice_client.cookies["desk_tz"] = "Asia/Tokyo"
    html = alice_client.get(f"/tickets/{ticket.pk}/").content.decode()
    due = ticket.sla_due_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"reply due {due:%a} {due.day} {due:%b, %H:%M}" in html


def test_the_time_zone_cookie_is_read_as_the_browser_script_writes_it(alice_client, account, buyer_writes):
    ticket = buyer_writes(account, hours_ago=1)
    alice_client.cookies["desk_tz"] = "America%2FNew_York"  # encodeURIComponent("America/New_York")
    due = ticket.sla_due_at.astimezone(ZoneInfo("America/New_York"))
    html = alice_client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f"reply due {due:%a} {due.day} {due:%b, %H:%M}" in html


def test_a_forged_time_zone_cookie_falls_back_to_utc(alice_client, account, buyer_writes):
    ticket = buyer_writes(account, hours_ago=1)
    alice_client.cookies["desk_tz"] = "../../etc/passwd"
    html = alice_client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f"reply due {ticket.sla_due_at:%a} {ticket.sla_due_at.day} {ticket.sla_due_at:%b, %H:%M}" in html


# --- Bulk actions ------------------------------------------------------------------------------


def test_bulk_assign_gives_the_tickets_to_a_colleague_and_records_it(alice_client, account, bob, buyer_writes):
    tickets = [buyer_writes(account), buyer_writes(account)]
    response = alice_client.post(
        "/queue-bulk/",
        {"tickets": [t.pk for t in tickets], "operation": "assign", "assignee": bob.pk, "next": "/queue/open/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/queue/open/"
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.assignee == bob
        assert audit_trail(ticket).filter(action="ticket.updated", actor__username="alice").exists()


def answered(ticket: Ticket) -> Ticket:
    ticket.save(update_fields=sla_record_response(ticket=ticket, at=timezone.now()))
    return ticket


def test_bulk_close_closes_every_selected_ticket(alice_client, account, buyer_writes):
    tickets = [answered(buyer_writes(account)), answered(buyer_writes(account))]
    alice_client.post("/queue-bulk/", {"tickets": [t.pk for t in tickets], "operation": "close"})
    assert set(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values_list("status", flat=True)) == {"closed"}


def test_bulk_close_skips_a_ticket_whose_buyer_still_waits_and_says_why(alice_client, account, buyer_writes):
    waiting, done = buyer_writes(account), answered(buyer_writes(account))
    response = alice_client.post("/queue-bulk/", {"tickets": [waiting.pk, done.pk], "operation": "close"}, follow=True)
    statuses = dict(Ticket.objects.filter(pk__in=[waiting.pk, done.pk]).values_list("pk", "status"))
    assert statuses == {waiting.pk: "new", done.pk: "closed"}
    assert f"Skipped #{waiting.pk}: 1 buyer message is still unanswered" in response.content.decode()


def test_the_page_a_bulk_action_lands_on_counts_its_changes(alice_client, account, buyer_writes):
    tickets = [answered(buyer_writes(account)), answered(buyer_writes(account))]
    assert sidebar_counts(alice_client.get("/queue/open/"))["open"] == "2"
    response = alice_client.post(
        "/queue-bulk/", {"tickets": [tickets[0].pk], "operation": "close", "next": "/queue/open/"}, follow=True
    )
    assert sidebar_counts(response)["open"] == "1"


def test_bulk_no_response_needed_stops_the_clocks_and_solves(alice_client, account, buyer_writes):
    ticket = buyer_writes(account, "Thanks, all good!")
    alice_client.post("/queue-bulk/", {"tickets": [ticket.pk], "operation": "no_response_needed"})
    ticket.refresh_from_db()
    assert (ticket.sla_due_at, ticket.no_response_needed, ticket.status) == (None, True, "solved")


def test_bulk_actions_refuse_tickets_of_other_accounts_and_change_nothing(
    alice_client, account, other_account, buyer_writes
):
    mine = buyer_writes(account)
    theirs = buyer_writes(other_account)
    response = alice_client.post("/queue-bulk/", {"tickets": [mine.pk, theirs.pk], "operation": "close"}, follow=True)
    assert "Select a valid choice" in response.content.decode()
    assert Ticket.objects.filter(pk__in=[mine.pk, theirs.pk], status="closed").count() == 0


def test_bulk_assign_skips_a_ticket_whose_account_the_assignee_does_not_work_on(
    client, manager, account, other_account, bob, buyer_writes
):
    client.force_login(manager)
    ours = buyer_writes(account)
    theirs = buyer_writes(other_account)
    response = client.post(
        "/queue-bulk/", {"tickets": [ours.pk, theirs.pk], "operation": "assign", "assignee": bob.pk}, follow=True
    )
    html = response.content.decode()
    assert "1 ticket updated" in html
    assert f"Skipped #{theirs.pk}" in html
    theirs.refresh_from_db()
    assert theirs.assignee is None


def test_bulk_assign_without_an_assignee_is_a_form_error(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    response = alice_client.post("/queue-bulk/", {"tickets": [ticket.pk], "operation": "assign"}, follow=True)
    assert "Choose who gets the tickets." in response.content.decode()


def test_bulk_actions_need_a_csrf_token(alice, account, buyer_writes):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    ticket = buyer_writes(account)
    assert client.post("/queue-bulk/", {"tickets": [ticket.pk], "operation": "close"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status != "closed"


def test_bulk_actions_never_redirect_off_site(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    response = alice_client.post(
        "/queue-bulk/", {"tickets": [ticket.pk], "operation": "close", "next": "//evil.example.com/"}
    )
    assert response["Location"] == "/"


def test_a_filtered_queue_keeps_only_the_filters_that_are_set_in_its_address(alice_client, account, buyer_writes):
    buyer_writes(account, "The steam wand drips")
    response = alice_client.get(
        "/queue/open/",
        {"q": "wand", "seller_account": "", "channel": "", "kind": "", "assignee": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="queue-results",
    )
    assert response["HX-Push-Url"] == "/queue/open/?q=wand"


def test_a_cleared_search_leaves_the_bare_address(alice_client, account, buyer_writes):
    buyer_writes(account)
    response = alice_client.get("/queue/open/", {"q": ""}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results")
    assert response["HX-Push-Url"] == "/queue/open/"


def test_the_form_sent_without_script_is_redirected_to_the_short_address(alice_client):
    response = alice_client.get("/queue/open/", {"q": "wand", "channel": "", "kind": "", "page": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/queue/open/?q=wand"


def test_an_order_id_prefix_typed_in_the_search_finds_its_ticket(alice_client, account, buyer_writes, fbm_order):
    order = fbm_order(account, amazon_order_id="111-4065242-0000001")
    wanted = buyer_writes(account, "Hello", order=order)
    buyer_writes(account, "Something else")
    assert ticket_ids(alice_client.get("/queue/open/", {"q": "111-4065242"})) == [wanted.pk]
    assert ticket_ids(alice_client.get("/queue/open/", {"q": "B0ESPRESS"})) == [wanted.pk]


def test_a_search_runs_the_same_number_of_queries_for_5_or_60_matches(
    alice_client, account, buyer_writes, fbm_order, django_assert_max_num_queries
):
    def load() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get("/queue/open/", {"q": "grinder"}).status_code == 200
        return len(queries)

    for _ in range(5):
        buyer_writes(account, "The grinder jams", order=fbm_order(account))
    few = load()
    for _ in range(55):
        buyer_writes(account, "The grinder jams", order=fbm_order(account))
    with django_assert_max_num_queries(few):
        alice_client.get("/queue/open/", {"q": "grinder"})
    assert few <= 13  # the queue's, and the search's question to the index first
