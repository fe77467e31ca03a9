"""Settings come from the environment and refuse unsafe production configurations."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL); print(s.DEBUG)"
)


def _run_settings(tmp_path, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="csmdesk.settings", CSMDESK_VAR_DIR=str(tmp_path), **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = _run_settings(tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_a_secret_key_starts(tmp_path):
    result = _run_settings(tmp_path, DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="desk.example.com")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False"


def test_a_malformed_boolean_is_a_clear_error(tmp_path):
    result = _run_settings(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_the_embedded_default_is_sqlite_and_a_serverless_broker(tmp_path):
    result = _run_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    engine, broker, _ = result.stdout.splitlines()[-3:]
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert (tmp_path / "broker" / "queue").is_dir()


def test_database_and_broker_urls_move_the_desk_to_postgresql_and_redis(tmp_path):
    result = _run_settings(
        tmp_path,
        DATABASE_URL="postgres://desk@db.internal:5432/csmdesk",
        CELERY_BROKER_URL="redis://cache.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    engine, broker, _ = result.stdout.splitlines()[-3:]
    assert engine == "django.db.backends.postgresql"
    assert broker == "redis://cache.internal:6379/0"


def test_a_malformed_rate_is_a_clear_error(tmp_path):
    result = _run_settings(tmp_path, API_THROTTLE_RATE="1200 per minute")
    assert result.returncode != 0
    assert "API_THROTTLE_RATE must look like 1200/minute" in result.stderr


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3v-8Qz_pL0x7Rw2Yt5Ub9Nc4Md1Fe6Gh3Jj8Kk2Ll5Pp0Qq7Rr4Ss1Tt6Uu9Vv",
    "ALLOWED_HOSTS": "desk.example.com",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SPAPI_LWA_CLIENT_ID": "amzn1.application-oa2-client.0123456789abcdef",
    "SPAPI_LWA_CLIENT_SECRET": "amzn1.oa2-cs.v1.0123456789abcdef",
    "SPAPI_LWA_TOKEN_URL": "https://api.amazon.com/auth/o2/token",
    "SPAPI_CONSENT_URL": "https://sellercentral.amazon.com/apps/authorize/consent",
    "SPAPI_ENDPOINT_NA": "https://sellingpartnerapi-na.amazon.com",
    "SPAPI_ENDPOINT_EU": "https://sellingpartnerapi-eu.amazon.com",
    "SPAPI_ENDPOINT_FE": "https://sellingpartnerapi-fe.amazon.com",
}


def _check_deploy(tmp_path, **env_overrides):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set at collection) is no production setting.
    unset = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DJANGO_SETTINGS_MODULE="csmdesk.settings", CSMDESK_VAR_DIR=str(tmp_path), **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_variables_set(tmp_path):
    result = _check_deploy(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_in_production_with_the_sandbox_endpoints(tmp_path):
    production = {k: v for k, v in PRODUCTION.items() if not k.startswith("SPAPI_ENDPOINT")}
    result = _check_deploy(tmp_path, **production)
    assert result.returncode != 0 and "amazon.E001" in result.stderr
    assert "SPAPI_ENDPOINT_NA" in result.stderr


def test_check_deploy_warns_about_hsts_and_the_ssl_redirect_left_off(tmp_path):
    production = {k: v for k, v in PRODUCTION.items() if not k.startswith(("SECURE_HSTS", "SECURE_SSL"))}
    result = _check_deploy(tmp_path, **production)
    assert ("security.W004" in result.stderr, "security.W008" in result.stderr) == (True, True)


def test_the_proxy_https_header_is_trusted_only_when_asked(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="csmdesk.settings", CSMDESK_VAR_DIR=str(tmp_path), **PRODUCTION)
    run = [sys.executable, "-c", script]
    default = subprocess.run(run, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    env["SECURE_PROXY_SSL_HEADER"] = "1"
    opted_in = subprocess.run(run, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    last = (default.stdout.splitlines()[-1], opted_in.stdout.splitlines()[-1])
    assert last == ("None", "('HTTP_X_FORWARDED_PROTO', 'https')")
