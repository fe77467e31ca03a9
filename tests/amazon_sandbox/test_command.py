"""``python -m amazon_sandbox``: the server a person (or ``make run``) starts on real time."""

import socket
import subprocess
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_command_serves_sellers_and_lwa():
    port = free_port()
    command = [sys.executable, "-m", "amazon_sandbox", "--port", str(port), "--orders", "50", "--seed", "3"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        banner = [process.stdout.readline() for _ in range(5)]
        refresh_token = banner[3].split("refresh_token=")[1].strip()
        client = banner[1].split()
        form = dict(pair.split("=", 1) for pair in client if "=" in pair)
        token = requests.post(
            f"http://127.0.0.1:{port}/auth/o2/token",
            data={"grant_type": "refresh_token", "refresh_token": refresh_token, **form},
            timeout=10,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert banner[0].startswith(f"SP-API sandbox at http://127.0.0.1:{port}") and token.json()["token_type"] == "bearer"
