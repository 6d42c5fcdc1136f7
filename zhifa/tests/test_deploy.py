"""The settings fail closed and the documented production settings pass `check --deploy`."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict[str, str]:
    """The KEY=VALUE lines of the README's production block, as documented."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n# 生产环境变量[^\n]*\n(.*?)```", readme, re.S)
    assert block, "README has no production settings block"
    pairs = [line.split("=", 1) for line in block.group(1).splitlines() if "=" in line]
    return {k.strip(): v.strip() for k, v in pairs}


def run(code_or_args: list[str], env: dict[str, str], tmp_path: Path):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECRET_KEY", "DEBUG", "SECURE_", "SESSION_", "CSRF_", "DATABASE"))
    }
    base.update({"DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_VAR_DIR": str(tmp_path)})
    base.update(env)
    return subprocess.run(
        [sys.executable, *code_or_args], cwd=ROOT, env=base, capture_output=True, text=True
    )


def test_with_debug_off_and_no_secret_key_the_platform_refuses_to_start(tmp_path):
    r = run(["-c", "import django; django.setup()"], {"DEBUG": "false"}, tmp_path)
    assert r.returncode != 0
    assert "未设置 SECRET_KEY" in r.stderr


def test_with_debug_off_a_key_file_in_the_var_directory_is_the_key(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 60)
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.SECRET_KEY)"
    r = run(["-c", code], {"DEBUG": "false"}, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "k" * 60


def test_a_malformed_proxy_ssl_header_is_refused_in_chinese(tmp_path):
    r = run(
        ["-c", "import django; django.setup()"],
        {"DEBUG": "true", "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"},
        tmp_path,
    )
    assert r.returncode != 0 and "SECURE_PROXY_SSL_HEADER 应为" in r.stderr


@pytest.mark.parametrize("documented", [True, False])
def test_the_documented_production_settings_pass_the_deploy_check(tmp_path, documented):
    env = production_env()
    key = tmp_path / "key"
    key.write_text(secrets.token_urlsafe(50))
    env["SECRET_KEY_FILE"] = str(key)
    env.pop("DATABASE_URL", None)  # the check does not connect; SQLite in the temp directory
    if not documented:  # the same without the transport settings: the check must complain
        for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE"):
            env.pop(name)
    r = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    if documented:
        assert r.returncode == 0, r.stderr + r.stdout
        assert "no issues" in r.stdout
    else:
        assert r.returncode != 0
        assert "security.W004" in r.stderr and "security.W008" in r.stderr
