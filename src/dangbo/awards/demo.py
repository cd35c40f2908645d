"""Demo awards: seed 002's 2020 list for one provincial post office, and a few years of history for
two demo people so that a proposal passes its prerequisites and another shows the warning.

Seed 002 (a provincial post office's 2020 awards, reported at its emulation conference of 22/12/2020):
the Government's emulation flag to the post office and the Prime Minister's Bằng khen to one person;
the Ministry of Information and Communications' emulation flag to two subordinate collectives and a
Giấy khen to seven; the provincial chairman's award to one person. The demo gives that list to the
Bưu điện thành phố Hà Nội (the one demo provincial post office with post offices under it): its two
post offices and five district post offices (all in orgs.demo) are the collectives; the people are demo
people. Decision numbers are invented for the demo.

Every write goes through the services as the system actor (None), so each row has its audit event;
each decision is looked up by issuer, number and date, each unit by parent and name, each proposal
by its subject, title and year, so a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt

from dangbo.awards import services
from dangbo.awards.models import AwardType, Decision, Proposal
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.rules.emulation import Level

PROVINCE = "Hà Nội"
DISTRICT_OFFICES = (
    "Bưu điện quận Ba Đình",
    "Bưu điện quận Đống Đa",
    "Bưu điện huyện Đông Anh",
    "Bưu điện huyện Gia Lâm",
    "Bưu điện huyện Sóc Sơn",
)
KEEPER = "tct"  # the organisation whose emulation office registers the decisions
CORPORATION_HEAD = "Tổng Giám đốc Tổng công ty Bưu điện Việt Nam"
PASSING, WARNED = "tckt.member1", "tckt.member2"  # the demo member ("dangvien") and a colleague
HISTORY: dict[str, dict[str, tuple[int, ...]]] = {
    PASSING: {"LDTT": (2022, 2023, 2024, 2025), "CSTD_CS": (2023, 2024, 2025)},
    WARNED: {"LDTT": (2023, 2024, 2025), "CSTD_CS": (2024, 2025)},
}


class _Counter:
    def __init__(self) -> None:
        self.created = 0


def _decide(
    keeper: Organisation,
    counter: _Counter,
    *,
    number: str,
    signed_on: dt.date,
    issuer: str,
    level: Level,
    year: int,
    entries: list[tuple[str, Organisation | Unit | Person]],
    signer_post: str = "",
    place: str = "",
) -> None:
    if Decision.objects.filter(issuer=issuer, number=number, signed_on=signed_on).exists():
        return
    kinds = {k.code: k for k in AwardType.objects.all()}
    services.decision_register(
        actor=None,
        organisation=keeper,
        data=services.DecisionInput(
            number=number,
            signed_on=signed_on,
            issuer=issuer,
            issuer_level=level,
            year=year,
            signer_post=signer_post,
            place=place,
            note="Số hiệu quyết định minh họa (dữ liệu demo).",
        ),
        entries=[services.AwardEntry(kinds[code], subject) for code, subject in entries],
    )
    counter.created += 1 + len(entries)


def _seed_002(
    keeper: Organisation, units: dict[str, Unit], people: dict[str, Person], counter: _Counter
) -> None:
    province = units[PROVINCE]
    offices = [units[name] for name in ("Bưu cục Trung tâm Hà Nội", "Bưu cục Giáp Bát")]
    districts = [units[name] for name in DISTRICT_OFFICES]  # the post offices of orgs.demo
    _decide(
        keeper,
        counter,
        number="1985/QĐ-TTg",
        signed_on=dt.date(2020, 12, 8),
        issuer="Thủ tướng Chính phủ",
        level=Level.NATIONAL,
        year=2020,
        entries=[("CO_CP", province), ("BK_TTG", people["gd-hanoi"])],
        signer_post="Thủ tướng",
        place="Hà Nội",
    )
    _decide(
        keeper,
        counter,
        number="2140/QĐ-BTTTT",
        signed_on=dt.date(2020, 12, 10),
        issuer="Bộ trưởng Bộ Thông tin và Truyền thông",
        level=Level.MINISTRY,
        year=2020,
        entries=[("CO_BO", office) for office in offices],
        signer_post="Bộ trưởng",
        place="Hà Nội",
    )
    _decide(
        keeper,
        counter,
        number="2141/QĐ-BTTTT",
        signed_on=dt.date(2020, 12, 10),
        issuer="Bộ Thông tin và Truyền thông",
        level=Level.MINISTRY,
        year=2020,
        entries=[("GK", unit) for unit in [*offices, *districts]],
        signer_post="Bộ trưởng",
        place="Hà Nội",
    )
    _decide(
        keeper,
        counter,
        number="5521/QĐ-UBND",
        signed_on=dt.date(2020, 12, 15),
        issuer="Chủ tịch Ủy ban nhân dân thành phố Hà Nội",
        level=Level.MINISTRY,
        year=2020,
        entries=[("BK_BO", people["bc-hanoi"])],
        signer_post="Chủ tịch",
        place="Hà Nội",
    )


def _history(keeper: Organisation, people: dict[str, Person], counter: _Counter) -> None:
    by_year: dict[tuple[str, int], list[Person]] = {}
    for key, titles in HISTORY.items():
        for code, years in titles.items():
            for year in years:
                by_year.setdefault((code, year), []).append(people[key])
    for (code, year), subjects in sorted(by_year.items(), key=lambda item: (item[0][1], item[0][0])):
        _decide(
            keeper,
            counter,
            number=f"{year - 2000}{'01' if code == 'LDTT' else '02'}/QĐ-BĐVN",
            signed_on=dt.date(year + 1, 1, 20),
            issuer=CORPORATION_HEAD,
            level=Level.GRASSROOTS,
            year=year,
            entries=[(code, subject) for subject in subjects],
            signer_post="Tổng Giám đốc",
            place="Hà Nội",
        )


def _propose(proposer: Organisation, person: Person, counter: _Counter, *, override_reason: str = "") -> None:
    kind = AwardType.objects.get(code="CSTD_BO")
    if Proposal.objects.filter(award_type=kind, year=2025, person=person).exists():
        return
    services.proposal_create(
        actor=None,
        proposer=proposer,
        subject=person,
        data=services.ProposalInput(
            award_type=kind,
            year=2025,
            achievements=(
                "Hoàn thành xuất sắc nhiệm vụ năm 2025; sáng kiến “Đối soát công nợ tự động” được "
                "Bộ công nhận phạm vi ảnh hưởng cấp Bộ."
            ),
            facts=services.EnteredFacts(initiatives=((2025, Level.MINISTRY.value),)),
            override=bool(override_reason),
            override_reason=override_reason,
        ),
    )
    counter.created += 1


def load_awards(
    organisations: dict[str, Organisation], units: dict[str, Unit], people: dict[str, Person]
) -> int:
    """Load the demo awards; the number of rows created (0 on a second run)."""
    counter = _Counter()
    keeper = organisations[KEEPER]
    _seed_002(keeper, units, people, counter)
    _history(keeper, people, counter)
    cell = organisations["tckt"]
    _propose(cell, people[PASSING], counter)
    _propose(
        cell,
        people[WARNED],
        counter,
        override_reason=(
            "Mới đủ 2 năm Chiến sĩ thi đua cơ sở nhưng có sáng kiến cấp Bộ làm lợi lớn; "
            "đề nghị Hội đồng Thi đua – Khen thưởng xem xét."
        ),
    )
    return counter.created
