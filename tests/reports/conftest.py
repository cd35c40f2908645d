"""The documents' fixtures (committee terms), and PDF support: WeasyPrint needs Pango from the system."""

from __future__ import annotations

import os

import pytest

from dangbo.reports.render import pdf_available
from tests.documents.conftest import terms

__all__ = ["pdf_support", "terms"]


@pytest.fixture(scope="session")
def pdf_support() -> None:
    """Skip a test that renders PDF on a machine without Pango — but never on CI, which has it."""
    if not pdf_available():
        if os.environ.get("CI"):
            pytest.fail("PDF rendering is required on CI: install Pango (libpango-1.0-0 libpangoft2-1.0-0)")
        pytest.skip("PDF rendering needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0")
