"""Role groups exist after migrate and give managers what they need, and no more."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.http import HttpRequest

from tickets.roles import AGENTS, MANAGERS, roles_ensure

pytestmark = pytest.mark.django_db


def test_managers_may_see_every_seller_account(manager):
    assert manager.has_perm("tickets.view_all_seller_accounts")


def test_managers_may_edit_tickets_and_outreach_cases(manager):
    assert manager.has_perm("tickets.change_ticket")
    assert manager.has_perm("reviews.change_reviewoutreachcase")


def test_nobody_in_the_managers_group_may_edit_the_audit_log(manager):
    assert manager.has_perm("tickets.view_auditevent")
    assert not manager.has_perm("tickets.change_auditevent")
    assert not manager.has_perm("tickets.delete_auditevent")


def test_agents_get_no_admin_permissions(alice):
    alice.groups.add(Group.objects.get(name=AGENTS))
    assert not alice.has_perm("tickets.view_all_seller_accounts")
    assert not alice.has_perm("tickets.change_ticket")


def test_refreshing_the_roles_twice_changes_nothing():
    roles_ensure()
    before = set(Group.objects.get(name=MANAGERS).permissions.values_list("codename", flat=True))
    roles_ensure()
    after = set(Group.objects.get(name=MANAGERS).permissions.values_list("codename", flat=True))
    assert before == after
    assert Group.objects.filter(name__in=[MANAGERS, AGENTS]).count() == 2


def test_managers_cannot_edit_users_and_so_cannot_make_themselves_superusers(manager):
    assert manager.has_perm("auth.view_user")
    assert not manager.has_perm("auth.change_user")


def test_a_persons_own_and_group_permissions_are_read_in_one_query(manager, django_assert_num_queries):
    manager.user_permissions.add(Permission.objects.get(codename="change_user"))
    with django_assert_num_queries(1):
        permissions = manager.get_all_permissions()
    assert {"auth.change_user", "tickets.view_all_seller_accounts"} <= permissions


def test_the_permissions_read_in_one_query_are_djangos_own(manager):
    manager.user_permissions.add(Permission.objects.get(codename="change_user"))
    djangos = ModelBackend().get_all_permissions(type(manager).objects.get(pk=manager.pk))
    assert manager.get_all_permissions() == djangos


# --- Kept permissions: read once, dropped by any role change ----------------------------------


def _fresh(user):
    """The person as the next request loads them (a new object: no per-request cache)."""
    return type(user).objects.get(pk=user.pk)


def test_a_persons_permissions_are_kept_for_the_next_request(manager, django_assert_num_queries):
    _fresh(manager).get_all_permissions()
    again = _fresh(manager)
    with django_assert_num_queries(0):
        assert again.has_perm("tickets.view_all_seller_accounts")


def test_joining_or_leaving_the_managers_group_counts_on_the_next_request(alice, account, other_account, client):
    client.force_login(alice)
    managers = Group.objects.get(name=MANAGERS)
    assert not _fresh(alice).has_perm("tickets.view_all_seller_accounts")
    alice.groups.add(managers)
    assert _fresh(alice).has_perm("tickets.view_all_seller_accounts")
    assert "Manager · all accounts" in client.get("/queue/open/").content.decode()
    alice.groups.remove(managers)
    assert not _fresh(alice).has_perm("tickets.view_all_seller_accounts")
    assert "Manager · all accounts" not in client.get("/queue/open/").content.decode()


def test_a_permission_given_to_or_taken_from_a_group_counts_at_once(manager):
    managers = Group.objects.get(name=MANAGERS)
    view_all = Permission.objects.get(codename="view_all_seller_accounts")
    assert _fresh(manager).has_perm("tickets.view_all_seller_accounts")
    managers.permissions.remove(view_all)
    assert not _fresh(manager).has_perm("tickets.view_all_seller_accounts")
    managers.permissions.add(view_all)
    assert _fresh(manager).has_perm("tickets.view_all_seller_accounts")


def test_a_person_made_superuser_or_deactivated_is_read_again(alice):
    assert not _fresh(alice).has_perm("auth.change_user")
    type(alice).objects.filter(pk=alice.pk).update(is_superuser=True)  # even with no signal
    assert _fresh(alice).has_perm("auth.change_user")
    type(alice).objects.filter(pk=alice.pk).update(is_active=False)
    assert not _fresh(alice).has_perm("auth.change_user")


def test_signing_in_keeps_the_kept_permissions(manager, client, django_assert_num_queries):
    _fresh(manager).get_all_permissions()
    manager.set_password("pw-for-test")
    manager.save()
    _fresh(manager).get_all_permissions()
    client.login(request=HttpRequest(), username="manager", password="pw-for-test")  # saves last_login
    again = _fresh(manager)
    with django_assert_num_queries(0):
        again.get_all_permissions()


def test_a_change_that_commits_later_is_stamped_again_when_it_commits(manager, django_capture_on_commit_callbacks):
    """A page that read the permissions between the change and its commit must not keep
    them: the version is stamped again on commit."""
    from django.core.cache import cache

    from tickets.roles import _PERMISSIONS_VERSION

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        manager.groups.clear()
    stamped = cache.get(_PERMISSIONS_VERSION)
    _fresh(manager).get_all_permissions()  # kept under the version stamped before commit
    for callback in callbacks:
        callback()
    assert cache.get(_PERMISSIONS_VERSION) != stamped
