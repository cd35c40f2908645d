"""Documents need committee terms (numbers restart in each) and a few ready-made registrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangbo.documents import services
from dangbo.documents.models import Document
from dangbo.orgs import services as org_services
from dangbo.orgs.models import Organisation

D = dt.date
TERM_1 = (D(2020, 8, 15), D(2025, 7, 20))
TERM_2_START = D(2025, 7, 21)


@pytest.fixture
def terms(world: Any) -> Any:
    """The Tổng công ty committee's terms 2020–2025 and 2025–2030 (code ĐU in the fixture)."""
    first = org_services.term_create(
        actor=None, organisation=world.tct, name="2020–2025", starts_on=TERM_1[0], ends_on=TERM_1[1]
    )
    second = org_services.term_create(
        actor=None, organisation=world.tct, name="2025–2030", starts_on=TERM_2_START
    )
    return first, second


def own(
    organisation: Organisation, type_code: str, issued_on: dt.date, actor: Any = None, **extra: Any
) -> Document:
    """A Party document our organisation issues, numbered by the service."""
    fields: dict[str, Any] = {"summary": f"Văn bản {type_code} ngày {issued_on:%d/%m/%Y}", **extra}
    return services.document_register(
        actor=actor, organisation=organisation, own=True, type_code=type_code, issued_on=issued_on, **fields
    )


def outside(
    organisation: Organisation, symbol: str, issued_on: dt.date, actor: Any = None, **extra: Any
) -> Document:
    """A document of another body (Ban Bí thư, Thủ tướng …) entered in `organisation`'s register."""
    fields: dict[str, Any] = {"summary": f"Văn bản {symbol}", **extra}
    return services.document_register(
        actor=actor, organisation=organisation, own=False, symbol=symbol, issued_on=issued_on, **fields
    )
