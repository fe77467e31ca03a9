"""The demo desk's people: a manager and two agents, all with one published password."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group

from tickets.roles import AGENTS, MANAGERS, roles_ensure

from .catalogue import ACCOUNTS

User = get_user_model()

# Published in the command's output: seed_demo refuses to run with DEBUG off.
DEMO_PASSWORD = "csmdesk-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    accounts: tuple[str, ...]
    manager: bool = False

    @property
    def account_names(self) -> tuple[str, ...]:
        names = {account.key: account.name for account in ACCOUNTS}
        return tuple(names[key] for key in self.accounts)


USERS = (
    DemoUser("manager", "Morgan", "Reyes", accounts=(), manager=True),
    DemoUser("agent", "Alex", "Rivera", accounts=("brewline", "nordic")),
    DemoUser("agent2", "Robin", "Patel", accounts=("nordic",)),
)


def demo_users_ensure() -> dict[str, User]:
    """Create or refresh the demo users, their roles and their password."""
    roles_ensure()  # the groups normally come from migrate; make sure they exist
    groups = {group.name: group for group in Group.objects.filter(name__in=(MANAGERS, AGENTS))}
    users = {}
    # One hash shared by the demo users (their password is public anyway): PBKDF2 is most
    # of the run time. A hash that already matches is kept, since a new one would end open
    # sessions; a new user has none to check.
    verified: set[str] = set()
    shared_hash = None
    for spec in USERS:
        user, created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@csmdesk.example.com",
                "is_staff": spec.manager,
                "is_active": True,
            },
        )
        if not created and (user.password in verified or check_password(DEMO_PASSWORD, user.password)):
            verified.add(user.password)
        else:
            shared_hash = shared_hash or make_password(DEMO_PASSWORD)
            user.password = shared_hash
            user.save(update_fields=["password"])
            verified.add(shared_hash)
        user.groups.add(groups[MANAGERS if spec.manager else AGENTS])
        users[spec.username] = user
    return users
