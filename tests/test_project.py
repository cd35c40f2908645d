"""Project-wide promises: production settings pass Django's deploy check, the catalog is complete,
the rules layer is pure Python."""

from __future__ import annotations

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "dangbo"
PO = SRC / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_check_deploy_reports_nothing_in_production_mode(tmp_path):
    env = {
        **os.environ,
        "DANGBO_PRODUCTION": "1",
        "DANGBO_SECRET_KEY": secrets.token_urlsafe(60),
        "DANGBO_ALLOWED_HOSTS": "dangbo.example",
        "DANGBO_HOME": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "-m", "dangbo.cli", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DANGBO_PRODUCTION": "1", "DANGBO_HOME": str(tmp_path)}
    env.pop("DANGBO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "dangbo.cli", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "DANGBO_SECRET_KEY" in result.stderr


def test_vietnamese_catalog_is_complete_and_compiled():
    catalog = polib.pofile(str(PO))
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    # keyed by context too: the menu's "My studies" is shorter than the page's title
    assert {(e.msgctxt, e.msgid): e.msgstr for e in compiled if not e.msgid_plural} == {
        (e.msgctxt, e.msgid): e.msgstr for e in catalog if not e.msgid_plural and not e.obsolete
    }, "django.mo is stale: run `make messages`"


@pytest.mark.parametrize("entry", polib.pofile(str(PO)), ids=lambda e: e.msgid[:40])
def test_translations_keep_their_placeholders(entry):
    import re

    pattern = re.compile(r"%\(\w+\)s|\{\{ *\w+ *\}\}")
    targets = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
    for target in targets:
        assert sorted(pattern.findall(target)) == sorted(pattern.findall(entry.msgid))


def test_rules_layer_imports_nothing_from_django_or_the_apps():
    for path in (SRC / "rules").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("django", "rest_framework")), f"{path.name} imports {name}"
                assert not (name.startswith("dangbo.") and not name.startswith("dangbo.rules")), path.name


def test_the_demo_runs_without_django_debug_pages_unless_asked(tmp_path):
    """The walk-through met Django's English technical 404 (every URL listed) under `make run`."""
    env = {**os.environ, "DANGBO_HOME": str(tmp_path)}
    for name in ("DANGBO_DEBUG", "DANGBO_PRODUCTION", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='dangbo.settings'; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"
    asked = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DANGBO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert asked.stdout.strip() == "True"
