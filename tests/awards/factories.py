"""Building blocks of the awards tests: the catalogue rows, history given by direct decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangbo.awards import services
from dangbo.awards.models import AwardType, Decision
from dangbo.orgs.models import Organisation


def kind(code: str) -> AwardType:
    return AwardType.objects.get(code=code)


def give(
    organisation: Organisation, code: str, year: int, *subjects: Any, number: str = "", level: str = "co_so"
) -> Decision:
    """A decision registered by the system giving `code` for `year` to each subject."""
    return services.decision_register(
        actor=None,
        organisation=organisation,
        data=services.DecisionInput(
            number=number or f"{code}-{year}-{len(subjects)}/QĐ",
            signed_on=dt.date(year + 1, 1, 15),
            issuer="Tổng Giám đốc Tổng công ty Thử nghiệm",
            issuer_level=level,
            year=year,
            signer_name="Nguyễn Văn Ký",
            signer_post="Tổng Giám đốc",
        ),
        entries=[services.AwardEntry(kind(code), subject) for subject in subjects],
    )


def ministry_initiative(year: int) -> services.EnteredFacts:
    return services.EnteredFacts(initiatives=((year, "bo_nganh_tinh"),))
