"""Award services: the catalogue mirrors the rules; proposals checked against recorded history with
the rules.md §6 figures (3 consecutive CSTĐ cơ sở before CSTĐ Bộ; > 50 % / ≥ 70 % LĐTT for the
collective titles; CSTĐ cơ sở ≤ 15 % of LĐTT); refusals save nothing; the workflow is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from dangbo.awards import catalog, services
from dangbo.awards.models import Award, AwardType, Proposal
from dangbo.core.models import AuditEvent
from dangbo.orgs import services as org_services
from dangbo.rules import emulation as rules
from tests.awards.factories import give, kind, ministry_initiative
from tests.conftest import World
from tests.helpers import refused

pytestmark = pytest.mark.django_db

Status = Proposal.Status


def propose(
    world: World, subject: Any, code: str, year: int, actor: str = "emulation", **extra: Any
) -> Proposal:
    data = services.ProposalInput(
        award_type=kind(code),
        year=year,
        achievements=extra.pop("achievements", "Hoàn thành xuất sắc nhiệm vụ; sáng kiến cấp Bộ."),
        **extra,
    )
    return services.proposal_create(
        actor=world.users[actor], proposer=world.cell_a, subject=subject, data=data
    )


def test_the_catalogue_rows_mirror_the_rule_set_and_sync_is_idempotent() -> None:
    codes = [a.code for a in rules.AWARD_RULES[-1].catalogue]
    assert list(AwardType.objects.values_list("code", flat=True)) == codes
    cstd_bo = kind("CSTD_BO")
    assert (cstd_bo.level, cstd_bo.for_individuals, cstd_bo.for_collectives) == ("bo_nganh_tinh", True, False)
    assert cstd_bo.prerequisites_known and not kind("CO_CP").prerequisites_known
    assert "06/2022/QH15" in cstd_bo.regulation and cstd_bo.effective_from == dt.date(2024, 1, 1)
    assert catalog.sync(AwardType) == 0
    AwardType.objects.filter(code="GK").update(name="Sửa tay")
    assert catalog.sync(AwardType) == 1 and kind("GK").name == "Giấy khen"


def test_three_consecutive_years_of_cstd_co_so_let_a_cstd_bo_proposal_through(
    world: World, person: Any
) -> None:
    for year in (2023, 2024, 2025):
        give(world.tct, "CSTD_CS", year, person)
    proposal = propose(world, person, "CSTD_BO", 2025, facts=ministry_initiative(2024))
    assert proposal.status == Status.PROPOSED and proposal.warnings == [] and not proposal.override
    assert proposal.steps.get().to_status == Status.PROPOSED
    assert AuditEvent.objects.filter(action="awards.propose", object_id=str(proposal.pk)).exists()


def test_two_years_only_is_refused_without_an_override_and_nothing_is_saved(
    world: World, person: Any
) -> None:
    for year in (2024, 2025):
        give(world.tct, "CSTD_CS", year, person)
    message = refused("override", propose, world, person, "CSTD_BO", 2025, facts=ministry_initiative(2025))
    assert (
        "Cần 3 năm liên tục đạt Chiến sĩ thi đua cơ sở (2023, 2024, 2025): mới có 2, thiếu năm 2023"
        in message
    )
    assert "Chưa lưu gì" in message
    assert not Proposal.objects.exists()
    refused(
        "override_reason",
        propose,
        world,
        person,
        "CSTD_BO",
        2025,
        facts=ministry_initiative(2025),
        override=True,
    )
    # The office may propose but not override: only the emulation council may.
    refused(
        "override",
        propose,
        world,
        person,
        "CSTD_BO",
        2025,
        actor="office",
        facts=ministry_initiative(2025),
        override=True,
        override_reason="Có thành tích đột xuất",
    )
    proposal = propose(
        world,
        person,
        "CSTD_BO",
        2025,
        facts=ministry_initiative(2025),
        override=True,
        override_reason="Có thành tích đột xuất",
    )
    assert proposal.override and proposal.override_reason == "Có thành tích đột xuất"
    assert proposal.override_by == world.users["emulation"] and proposal.override_at is not None
    assert any("2023" in w for w in proposal.warnings)


def test_a_missing_initiative_and_missing_figures_are_named(world: World, person: Any) -> None:
    message = refused("override", propose, world, person, "CSTD_CS", 2025)
    assert "Lao động tiên tiến" in message  # not LĐTT in 2025 (no record)
    give(world.tct, "LDTT", 2025, person)
    message = refused(
        "override", propose, world, person, "CSTD_CS", 2025, facts=services.EnteredFacts(task_rating="good")
    )
    assert "2025–2025" in message or "2025" in message


def test_duplicate_proposal_or_award_is_refused(world: World, person: Any) -> None:
    give(world.tct, "LDTT", 2024, person)
    message = refused("award_type", propose, world, person, "LDTT", 2024)
    assert "LDTT-2024-1/QĐ" in message
    ok = services.EnteredFacts(task_rating="good", months_employed=24, flags={"spirit": True})
    propose(world, person, "LDTT", 2025, facts=ok)
    refused("award_type", propose, world, person, "LDTT", 2025, facts=ok)


def test_bad_input_names_the_field(world: World, person: Any) -> None:
    refused("year", propose, world, person, "LDTT", 2999)
    refused("award_type", propose, world, person, "TTLDXS", 2025)  # a collective title for a person
    refused("achievements", propose, world, person, "LDTT", 2025, achievements="  ")
    refused(
        "members_ldtt",
        propose,
        world,
        world.cell_a,
        "TTLDTT",
        2025,
        facts=services.EnteredFacts(members=5, members_ldtt=6),
    )
    assert not Proposal.objects.exists()


def test_permissions(world: World, person: Any) -> None:
    with pytest.raises(PermissionDenied):
        propose(world, person, "LDTT", 2025, actor="member")
    with pytest.raises(PermissionDenied):
        propose(world, person, "LDTT", 2025, actor="outsider")


def test_collective_share_is_counted_from_the_members_recorded_titles(world: World) -> None:
    people = [
        org_services.person_create(actor=None, full_name=f"Người {i}", organisation=world.cell_a)
        for i in range(10)
    ]
    give(world.tct, "LDTT", 2025, *people[:6])
    give(world.tct, "CSTD_CS", 2025, people[0])
    facts = services.EnteredFacts(
        task_rating="excellent",
        flags={"emulation": True, "united": True},
        members=10,
        members_completed=10,
        members_disciplined=0,
    )
    message = refused("override", propose, world, world.cell_a, "TTLDXS", 2025, facts=facts)
    assert "6" in message and "10" in message and "70" in message and "(7)" in message
    give(world.tct, "LDTT", 2025, people[6], number="bo-sung")
    proposal = propose(world, world.cell_a, "TTLDXS", 2025, facts=facts)
    assert proposal.warnings == []
    # TTLĐTT: more than 50 % — 5 of 10 is not enough (entered figures win over the records).
    message = refused(
        "override",
        propose,
        world,
        world.cell_a,
        "TTLDTT",
        2025,
        facts=services.EnteredFacts(
            task_rating="good",
            flags={"emulation": True, "united": True},
            members=10,
            members_ldtt=5,
            members_disciplined=0,
        ),
    )
    assert "(6)" in message


def test_workflow_up_the_levels_and_the_decision_registers_the_award(world: World, person: Any) -> None:
    ok = services.EnteredFacts(task_rating="good", months_employed=24, flags={"spirit": True})
    proposal = propose(world, person, "LDTT", 2025, facts=ok)
    manager = world.users["emulation"]
    refused(
        "to", services.proposal_transition, actor=manager, proposal=proposal, to=Status.RAISED, raised_to="Bộ"
    )
    services.proposal_transition(actor=manager, proposal=proposal, to=Status.REVIEWED, note="Hồ sơ đủ")
    refused("raised_to", services.proposal_transition, actor=manager, proposal=proposal, to=Status.RAISED)
    services.proposal_transition(
        actor=manager, proposal=proposal, to=Status.RAISED, raised_to="Bộ Thông tin và Truyền thông"
    )
    with pytest.raises(PermissionDenied):
        services.proposal_transition(
            actor=world.users["office"], proposal=proposal, to=Status.FAILED, note="x"
        )
    data = services.DecisionInput(
        number="123/QĐ-BTTTT",
        signed_on=dt.date(2026, 1, 10),
        issuer="Bộ trưởng Bộ TT&TT",
        issuer_level="bo_nganh_tinh",
        year=2025,
    )
    decision = services.decision_register(
        actor=manager, organisation=world.tct, data=data, proposals=[proposal]
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.DECIDED and proposal.decision == decision
    assert [s.to_status for s in proposal.steps.all()] == ["proposed", "reviewed", "raised", "decided"]
    award = Award.objects.get()
    assert (award.person, award.year, award.award_type.code, award.proposal) == (
        person,
        2025,
        "LDTT",
        proposal,
    )
    assert award.org_path == world.cell_a.path and award.unit_path == world.dept_a.path
    # Deciding it again, or the same decision twice, is refused.
    refused(
        "awards",
        services.decision_register,
        actor=manager,
        organisation=world.tct,
        data=data,
        proposals=[proposal],
    )


def test_a_failed_proposal_needs_its_reason_and_frees_the_subject_for_a_new_one(
    world: World, person: Any
) -> None:
    ok = services.EnteredFacts(task_rating="good", months_employed=24, flags={"spirit": True})
    proposal = propose(world, person, "LDTT", 2025, facts=ok)
    manager = world.users["emulation"]
    refused("note", services.proposal_transition, actor=manager, proposal=proposal, to=Status.FAILED)
    services.proposal_transition(actor=manager, proposal=proposal, to=Status.FAILED, note="Thiếu hồ sơ")
    assert propose(world, person, "LDTT", 2025, facts=ok).status == Status.PROPOSED


def test_decision_bad_input_saves_nothing(world: World, person: Any) -> None:
    manager = world.users["emulation"]
    bad = services.DecisionInput(number=" ", signed_on=None, issuer="", issuer_level="x", year=1900)
    events = AuditEvent.objects.count()
    with pytest.raises(Exception) as exc:
        services.decision_register(
            actor=manager, organisation=world.tct, data=bad, entries=[services.AwardEntry(kind("GK"), person)]
        )
    assert set(exc.value.message_dict) >= {"number", "signed_on", "issuer", "issuer_level", "year"}  # type: ignore[attr-defined]
    good = services.DecisionInput(
        number="1/QĐ", signed_on=dt.date(2025, 1, 5), issuer="Giám đốc", issuer_level="co_so", year=2024
    )
    refused("awards", services.decision_register, actor=manager, organisation=world.tct, data=good)
    refused(
        "awards",
        services.decision_register,
        actor=manager,
        organisation=world.tct,
        data=good,
        entries=[services.AwardEntry(kind("TTLDXS"), person)],
    )
    late = services.DecisionInput(
        number="1/QĐ", signed_on=dt.date(2023, 1, 5), issuer="Giám đốc", issuer_level="co_so", year=2024
    )
    refused(
        "signed_on",
        services.decision_register,
        actor=manager,
        organisation=world.tct,
        data=late,
        entries=[services.AwardEntry(kind("GK"), person)],
    )
    assert AuditEvent.objects.count() == events and not Award.objects.exists()


def test_quota_of_cstd_co_so_is_15_percent_of_ldtt_rounded_down(world: World) -> None:
    people = [
        org_services.person_create(actor=None, full_name=f"Người {i}", organisation=world.cell_a)
        for i in range(20)
    ]
    give(world.tct, "LDTT", 2025, *people)
    give(world.tct, "CSTD_CS", 2025, *people[:3])
    assert services.quota_warning(year=2025, path=world.tct.path) == ""
    warning = services.quota_warning(year=2025, path=world.tct.path, adding=1)
    assert "4" in warning and "20" in warning and "3" in warning and "15" in warning
