"""Browser tests: Debian's Chromium driven by Playwright against a real server in a subprocess.

The server runs `dangbo migrate`, `dangbo demo` and `dangbo runserver` on its own fresh SQLite
database, exactly as `make run` does, so these tests also prove the newcomer's path works.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("DANGBO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required on CI but {CHROMIUM} does not exist")
        pytest.skip("Browser tests need Chromium: `apt-get install chromium` (or set DANGBO_CHROMIUM)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("e2e")
    env = {**os.environ, "DANGBO_HOME": str(home), "DATABASE_URL": f"sqlite:///{home}/e2e.sqlite3"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "dangbo.cli"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, cwd=home)
    subprocess.run([*cli, "demo"], env=env, check=True, cwd=home, stdout=subprocess.DEVNULL)
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/dang-nhap/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    """Where a test leaves its screenshots (git-ignored); look at them after a run."""
    folder = Path(request.config.rootpath) / "test-results" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# The browser tests' server runs in another process on the real clock, so these tests compute their
# dates from the real clock too: the suite's frozen clock (tests/conftest.py) is switched off here.
@pytest.fixture(scope="module", autouse=True)
def _clock_for_the_module() -> Iterator[None]:
    yield


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    yield


def choose(select: Any, text: str) -> None:
    """Pick the option whose label starts with `text`: pick-lists add the parent or the cell after the name
    ("Ngô Khánh Huyền — Chi bộ …"), so an exact label no longer matches."""
    option = select.locator("option").filter(has_text=re.compile("^" + re.escape(text)))
    select.select_option(value=option.first.get_attribute("value"))
