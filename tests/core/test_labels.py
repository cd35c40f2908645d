"""Every audit action the code records has a readable Vietnamese name on the history pages."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

import dangbo
from dangbo.core.labels import ACTION_LABELS
from dangbo.rules.membership import EventKind

SOURCE = Path(dangbo.__file__).parent


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'action\s*=\s*"([a-z_]+\.[a-z_.]+)"', text))
        found |= set(re.findall(r'(?:action|else)\s*"([a-z_]+\.[a-z_.]+)"', text))  # a = "x" if … else "y"
    found |= {f"member.{kind.value}" for kind in EventKind}
    found |= {
        f"{model}.{verb}" for model in ("organisation", "unit") for verb in ("create", "update", "move")
    }
    return found


def test_every_recorded_action_has_a_vietnamese_label():
    actions = recorded_actions()
    assert {"document.correct", "study.confirm", "study.record", "member.admitted"} <= actions
    assert sorted(actions - set(ACTION_LABELS)) == []
    with translation.override("en"):
        english = {code: str(label) for code, label in ACTION_LABELS.items()}
    with translation.override("vi"):
        untranslated = [code for code, label in ACTION_LABELS.items() if str(label) == english[code]]
    assert untranslated == []


def test_the_browser_finds_an_icon_at_favicon_ico_without_logging_in(client):
    """Browsers ask for /favicon.ico on every page; it was a 404 logged in every console."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("core/favicon.ico")
    from django.contrib.staticfiles import finders

    icon = finders.find("core/favicon.ico")
    assert icon and Path(icon).read_bytes()[:4] == b"\x00\x00\x01\x00"  # a real ICO file
    page = client.get("/dang-nhap/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
