"""A real IMAP server for the relay mail tests: Debian's Dovecot (``apt-get install -y
dovecot-imapd``), started per test with a throw-away configuration — loopback only, a free
unprivileged port, plain-text sign-in (allowed here because nothing leaves 127.0.0.1), one
user in a passwd-file, its maildir in the test's tmp dir. Tests deliver mail into it with
IMAP APPEND. Without the binary the tests that need it skip, saying so."""

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

from amazon.models import Mailbox

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "brewline-support", "relay-test-pass-7Qx"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_login_user = {login_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accounts() -> dict[str, str]:
    """Who Dovecot runs as. As root (CI), Debian's own service users, and mail owned by
    nobody (Dovecot refuses mail as root); otherwise everything as the current user."""
    if os.geteuid() == 0:
        return {"internal_user": "dovecot", "login_user": "dovenull", "mail_user": "nobody", "mail_group": "nogroup"}
    me = pwd.getpwuid(os.getuid()).pw_name
    return {"internal_user": me, "login_user": me, "mail_user": me, "mail_group": str(os.getgid())}


@dataclass
class ImapServer:
    root: Path
    port: int
    host: str = "127.0.0.1"
    user: str = USER
    password: str = PASSWORD
    process: subprocess.Popen | None = None

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: stop() ends the imap processes too
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((self.host, self.port), timeout=0.2):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot did not start: {self.process.stderr.read().decode()}")
            time.sleep(0.05)
        raise RuntimeError("dovecot did not listen within 10 s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # The whole server at once, open connections included, as when its machine goes away.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def client(self) -> MailBoxUnencrypted:
        return MailBoxUnencrypted(self.host, self.port, timeout=5).login(self.user, self.password)

    def append(self, content: bytes, folder: str = "INBOX") -> int:
        """Deliver a mail as a mail server would, returning its UID."""
        with self.client() as box:
            result = box.append(content, folder, flag_set=[])
        return int(result[1][0].decode().split("APPENDUID ")[1].split()[1].rstrip("]"))

    def flags(self, uid: int) -> tuple[str, ...]:
        with self.client() as box:
            messages = list(box.fetch(f"UID {uid}", mark_seen=False, headers_only=True))
        return messages[0].flags if messages else ()

    def uids(self) -> list[int]:
        with self.client() as box:
            return [int(uid) for uid in box.uids("ALL")]


def imap_server_start() -> ImapServer:
    """A new Dovecot with one empty mailbox, listening on a free loopback port (the tests'
    fixture and bench/mail_throughput.py). The caller stops it and removes ``root``."""
    # Not under pytest's tmp dir, which only its owner may enter: the server's processes run
    # as other users when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="csmdesk-dovecot-"))
    root.chmod(0o755)
    for name in ("run", "state", "home"):
        (root / name).mkdir()
    accounts = _accounts()
    if os.geteuid() == 0:
        shutil.chown(root / "home", user=accounts["mail_user"], group=accounts["mail_group"])
    server = ImapServer(root=root, port=_free_port())
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    server.config.write_text(CONFIG.format(root=root, port=server.port, **accounts))
    server.start()
    return server


@pytest.fixture
def imap_server():
    if not os.path.exists(DOVECOT):
        pytest.skip("Dovecot is not installed: apt-get install -y dovecot-imapd (.ci/run installs it)")
    server = imap_server_start()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture
def mailbox(imap_server, account) -> Mailbox:
    """The seller account's relay mailbox on the test server."""
    box = Mailbox(
        seller_account=account,
        host=imap_server.host,
        port=imap_server.port,
        security=Mailbox.Security.NONE,
        username=imap_server.user,
    )
    box.password_set(imap_server.password)
    box.save()
    return box


@pytest.fixture(autouse=True)
def _raw_mail_in_tmp(settings, tmp_path):
    """Stored raw mail goes to the test's own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
