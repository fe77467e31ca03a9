"""Role groups exist after migrate and give managers what they need, and no more."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

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
