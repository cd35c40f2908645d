"""Emulation services: a movement from criteria to locked, published results, and every refusal of
the issue's "bad input" list (nothing saved, a message naming the criterion or the field)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from dangbo.core import audit
from dangbo.core.models import AuditEvent
from dangbo.emulation import seal, services
from dangbo.emulation.models import CriteriaSet, Movement, Registration, Result, Score
from dangbo.emulation.services import CriterionRow, ScoreInput
from dangbo.orgs import services as org_services
from dangbo.rules.roles import Role
from tests.conftest import World, make_user

pytestmark = pytest.mark.django_db

D = Decimal
ROWS = [
    CriterionRow("0", "Tiêu chí chung bắt buộc"),
    CriterionRow("0.1", "Không có đảng viên vi phạm kỷ luật", mandatory=True),
    CriterionRow("1", "Kết quả sản xuất kinh doanh", D(60)),
    CriterionRow("1.1", "Hoàn thành kế hoạch doanh thu", D(40), D("0.5")),
    CriterionRow("1.2", "Phát triển dịch vụ mới", D(20)),
    CriterionRow("2", "Công tác tuyên truyền, vận động", D(40)),
]


def criteria(world: World, rows: list[CriterionRow] | None = None) -> Any:
    criteria_set = services.criteria_set_save(
        actor=world.users["emulation"],
        organisation=world.tct,
        name="Dân vận khéo trong SXKD",
        rows=rows or ROWS,
    )
    return services.criteria_set_publish(actor=world.users["emulation"], criteria_set=criteria_set)


def movement(world: World, **extra: Any) -> Movement:
    data = services.MovementInput(
        name="Phong trào thi đua “Dân vận khéo” 2024",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 12, 31),
        units=extra.pop("units", ()),
        **extra,
    )
    return services.movement_create(actor=world.users["emulation"], organisation=world.tct, data=data)


def model_of(world: World, m: Movement, criteria_set: Any) -> Any:
    data = services.ModelInput(
        name="“Dân vận khéo” trong thực hiện nhiệm vụ SXKD", field="economy", criteria_set=criteria_set
    )
    return services.model_add(actor=world.users["emulation"], movement=m, data=data)


def leaf(criteria_set: Any, code: str) -> int:
    return criteria_set.criteria.get(code=code).pk


@pytest.fixture
def round_(world: World) -> dict[str, Any]:
    """A movement open for scoring: cell B registered and approved, a council of three."""
    cs = criteria(world)
    m = movement(world)
    model = model_of(world, m, cs)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    reg = services.register(
        actor=world.users["office"], model=model, organisation=world.cell_b, plan="Kế hoạch"
    )
    services.registration_decide(actor=world.users["emulation"], registration=reg, approve=True)
    council = [make_user(f"hd{i}", role=Role.MEMBER, organisation=world.cell_a) for i in range(3)]
    for i, user in enumerate(council):
        services.council_add(actor=world.users["emulation"], movement=m, user=user, chair=i == 0)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    m.refresh_from_db()
    return {"movement": m, "criteria": cs, "model": model, "registration": reg, "council": council}


# --- Criteria sets -------------------------------------------------------------------------------


def test_criteria_set_is_a_tree_by_code_and_publishes(world: World) -> None:
    cs = criteria(world)
    c11 = cs.criteria.get(code="1.1")
    assert c11.parent.code == "1" and c11.step == D("0.5")
    assert cs.criteria.get(code="1.2").step == D("0.25")  # the set's default step
    assert cs.criteria.get(code="1").step is None  # a heading: its children carry the points
    assert cs.published and AuditEvent.objects.filter(action="emulation.criteria_publish").count() == 1


@pytest.mark.parametrize(
    ("rows", "key", "words"),
    [
        ([CriterionRow("1", "A", D(60)), CriterionRow("2", "B", D("39.75"))], "", "99,75"),
        ([CriterionRow("1", "A", D(60)), CriterionRow("2", "B", D("40.25"))], "", "100,25"),
        (
            [CriterionRow("1", "A", D(60)), CriterionRow("1.1", "A1", D(50)), CriterionRow("2", "B", D(40))],
            "1",
            "50",
        ),
        ([CriterionRow("1", "A", D("99.9")), CriterionRow("2", "B", D("0.1"))], "1", "99,9"),
        ([CriterionRow("1.1", "A", D(100))], "1.1", "1"),
        ([], "", ""),
    ],
)
def test_criteria_that_do_not_add_up_are_refused(
    world: World, rows: list[CriterionRow], key: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.criteria_set_save(
            actor=world.users["emulation"], organisation=world.tct, name="Sai", rows=rows
        )
    messages = " ".join(caught.value.message_dict.get(key, caught.value.messages))
    assert words in messages
    assert not world.tct.pk or not services.CriteriaSet.objects.exists()


def test_a_second_set_of_the_same_name_is_refused_not_a_crash(world: World) -> None:
    criteria(world)
    with pytest.raises(ValidationError) as refused:
        criteria(world)
    assert "name" in refused.value.message_dict
    assert CriteriaSet.objects.filter(name="Dân vận khéo trong SXKD").count() == 1


def test_published_set_is_frozen_and_changed_by_a_new_version(world: World) -> None:
    cs = criteria(world)
    with pytest.raises(ValidationError, match=r"new version|phiên bản mới"):
        services.criteria_set_save(
            actor=world.users["emulation"], organisation=world.tct, name="X", rows=ROWS, criteria_set=cs
        )
    copy = services.criteria_set_new_version(actor=world.users["emulation"], criteria_set=cs)
    assert copy.version == 2 and not copy.published and copy.criteria.count() == len(ROWS)


def test_only_emulation_managers_write_criteria(world: World) -> None:
    for name in ("office", "secretary", "member", "outsider"):
        with pytest.raises(PermissionDenied):
            services.criteria_set_save(actor=world.users[name], organisation=world.tct, name="X", rows=ROWS)


# --- Movement, models, registration --------------------------------------------------------------


def test_a_draft_criteria_set_cannot_score_a_model(world: World) -> None:
    draft = services.criteria_set_save(
        actor=world.users["emulation"], organisation=world.tct, name="Nháp", rows=ROWS
    )
    m = movement(world)
    with pytest.raises(ValidationError) as caught:
        model_of(world, m, draft)
    assert "criteria_set" in caught.value.message_dict
    assert not m.models.exists()


def test_registering_twice_is_refused(world: World, round_: dict[str, Any]) -> None:
    m = round_["movement"]
    Movement.objects.filter(pk=m.pk).update(status=Movement.Status.REGISTRATION)
    with pytest.raises(ValidationError) as caught:
        services.register(actor=world.users["office"], model=round_["model"], organisation=world.cell_b)
    assert "Chi bộ Ban Đầu tư" in caught.value.message_dict["subject"][0]
    assert Registration.objects.count() == 1


def test_registration_closed_outside_its_step(world: World) -> None:
    cs = criteria(world)
    m = movement(world)
    model = model_of(world, m, cs)
    with pytest.raises(ValidationError):
        services.register(actor=world.users["office"], model=model, organisation=world.cell_a)
    assert not Registration.objects.exists()


def test_who_may_register_an_organisation(world: World) -> None:
    cs = criteria(world)
    m = movement(world)
    model = model_of(world, m, cs)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    with pytest.raises(PermissionDenied):  # a member does not register the cell
        services.register(actor=world.users["member"], model=model, organisation=world.cell_a)
    with pytest.raises(PermissionDenied):  # another committee's office
        services.register(actor=world.users["outsider"], model=model, organisation=world.cell_a)
    reg = services.register(actor=world.users["secretary"], model=model, organisation=world.cell_a)
    assert reg.subject_name == "Chi bộ Văn phòng" and reg.status == Registration.Status.PENDING


def test_unit_outside_the_tree_registers_through_its_delegate(world: World) -> None:
    # A provincial post office: its party organisation belongs to the province, so its emulation
    # officer holds no role in this tree.
    outside = world.province
    cs = criteria(world)
    m = movement(world, units=[outside])
    model = model_of(world, m, cs)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    officer = make_user("bdt-thidua")
    with pytest.raises(PermissionDenied):
        services.register(actor=officer, model=model, unit=outside)
    services.delegate_add(actor=world.users["emulation"], movement=m, unit=outside, user=officer)
    reg = services.register(actor=officer, model=model, unit=outside)
    assert reg.unit == outside
    with pytest.raises(ValidationError):  # a unit that does not take part
        services.register(actor=world.users["emulation"], model=model, unit=world.dept_a)


def test_rejecting_needs_a_reason(world: World, round_: dict[str, Any]) -> None:
    m = round_["movement"]
    Movement.objects.filter(pk=m.pk).update(status=Movement.Status.REGISTRATION)
    reg = services.register(actor=world.users["secretary"], model=round_["model"], organisation=world.cell_a)
    with pytest.raises(ValidationError) as caught:
        services.registration_decide(actor=world.users["emulation"], registration=reg, approve=False)
    assert "reason" in caught.value.message_dict
    reg.refresh_from_db()
    assert reg.status == Registration.Status.PENDING


def test_scoring_cannot_start_with_pending_registrations(world: World) -> None:
    cs = criteria(world)
    m = movement(world)
    model = model_of(world, m, cs)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    services.register(actor=world.users["secretary"], model=model, organisation=world.cell_a)
    with pytest.raises(ValidationError, match="1"):
        services.movement_advance(actor=world.users["emulation"], movement=m)
    m.refresh_from_db()
    assert m.status == Movement.Status.REGISTRATION


# --- Scoring -------------------------------------------------------------------------------------


def test_self_score_is_checked_against_maximum_and_step(world: World, round_: dict[str, Any]) -> None:
    cs, reg = round_["criteria"], round_["registration"]
    office = world.users["office"]
    bad = {
        "1.1": (D("40.5"), "40,5"),  # above its maximum of 40
        "1.2": (D("7.3"), "7,3"),  # not in steps of 0,25
    }
    for code, (value, shown) in bad.items():
        with pytest.raises(ValidationError) as caught:
            services.self_score(
                actor=office, registration=reg, scores={leaf(cs, code): ScoreInput(points=value)}
            )
        text = " ".join(caught.value.messages)
        assert code in text and shown in text
    with pytest.raises(ValidationError):
        services.self_score(
            actor=office, registration=reg, scores={leaf(cs, "1.1"): ScoreInput(points=D("-1"))}
        )
    assert not Score.objects.exists()
    services.self_score(
        actor=office,
        registration=reg,
        scores={
            leaf(cs, "1.1"): ScoreInput(points=D("38.5"), evidence="Báo cáo doanh thu 2024"),
            leaf(cs, "1.2"): ScoreInput(points=D("17.25")),
            leaf(cs, "0.1"): ScoreInput(passed=True),
        },
    )
    assert Score.objects.filter(kind="self").count() == 3
    event = AuditEvent.objects.filter(action="emulation.score_self").latest("seq")
    assert {c["criterion"] for c in event.after["changes"]} == {"1.1", "1.2", "0.1"}


def test_a_council_member_never_scores_their_own_unit(world: World, round_: dict[str, Any]) -> None:
    cs, reg, m = round_["criteria"], round_["registration"], round_["movement"]
    insider = make_user("hd-noibo", role=Role.MEMBER, organisation=world.cell_b)
    org_services.person_create(actor=None, full_name="Lê Văn Nội", organisation=world.cell_b, user=insider)
    Movement.objects.filter(pk=m.pk).update(status=Movement.Status.REGISTRATION)
    services.council_add(actor=world.users["emulation"], movement=m, user=insider)
    Movement.objects.filter(pk=m.pk).update(status=Movement.Status.SCORING)
    with pytest.raises(ValidationError, match="Lê Văn Nội"):
        services.council_score(
            actor=insider, registration=reg, scores={leaf(cs, "2"): ScoreInput(points=D(30))}
        )
    assert not Score.objects.exists()


def test_someone_off_the_council_cannot_score(world: World, round_: dict[str, Any]) -> None:
    cs, reg = round_["criteria"], round_["registration"]
    with pytest.raises(PermissionDenied):
        services.council_score(
            actor=world.users["emulation"], registration=reg, scores={leaf(cs, "2"): ScoreInput(points=D(30))}
        )


def score_all(round_: dict[str, Any], values: list[tuple[str, str, str]]) -> None:
    """Each council member's points for 1.1, 1.2 and 2 (and 'met' for the mandatory one)."""
    cs, reg = round_["criteria"], round_["registration"]
    for user, (a, b, c) in zip(round_["council"], values, strict=True):
        services.council_score(
            actor=user,
            registration=reg,
            scores={
                leaf(cs, "0.1"): ScoreInput(passed=True),
                leaf(cs, "1.1"): ScoreInput(points=D(a)),
                leaf(cs, "1.2"): ScoreInput(points=D(b)),
                leaf(cs, "2"): ScoreInput(points=D(c)),
            },
        )


def test_closing_computes_the_mean_seals_and_locks(world: World, round_: dict[str, Any]) -> None:
    m, reg, cs = round_["movement"], round_["registration"], round_["criteria"]
    services.self_score(
        actor=world.users["office"], registration=reg, scores={leaf(cs, "2"): ScoreInput(points=D(40))}
    )
    score_all(round_, [("38", "15", "30"), ("36", "16", "31"), ("37", "17", "35.25")])
    services.movement_advance(actor=world.users["emulation"], movement=m)
    m.refresh_from_db()
    reg.refresh_from_db()
    # 1.1: (38+36+37)/3 = 37; 1.2: 16; 2: (30+31+35.25)/3 = 32.0833… → 32.08; total 85.08
    assert Result.objects.get(registration=reg, criterion__code="2").points == D("32.08")
    assert reg.final_score == D("85.08") and reg.self_total == D(40) and reg.rank == 1
    assert reg.passed_mandatory is True
    assert m.status == Movement.Status.CLOSED and len(m.content_hash) == 64
    closed = AuditEvent.objects.get(action="emulation.movement_closed")
    assert closed.after["content_hash"] == m.content_hash
    assert list(seal.verify()) == []
    # Every route refuses a change: the services …
    with pytest.raises(ValidationError, match=r"khóa|locked"):
        services.self_score(
            actor=world.users["office"], registration=reg, scores={leaf(cs, "2"): ScoreInput(points=D(1))}
        )
    with pytest.raises(ValidationError):
        services.council_score(
            actor=round_["council"][0], registration=reg, scores={leaf(cs, "2"): ScoreInput(points=D(1))}
        )
    # … and the database itself (a shell, the admin, a script).
    score = Score.objects.filter(kind="council").first()
    for attempt in (
        lambda: Score.objects.filter(pk=score.pk).update(points=D(1)),
        lambda: Score.objects.filter(pk=score.pk).delete(),
        lambda: Result.objects.filter(registration=reg).update(points=D(0)),
        lambda: Registration.objects.filter(pk=reg.pk).update(final_score=D(100)),
        lambda: Movement.objects.filter(pk=m.pk).update(status=Movement.Status.SCORING),
        lambda: Score.objects.create(
            registration=reg, movement=m, criterion=cs.criteria.get(code="2"), kind="self", points=D(1)
        ),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    # Publishing and the exemplar page are still allowed.
    services.exemplar_set(
        actor=world.users["emulation"], registration=reg, story="Cách làm hay: giao khoán doanh thu."
    )
    services.movement_advance(actor=world.users["emulation"], movement=m)
    m.refresh_from_db()
    assert m.status == Movement.Status.PUBLISHED and list(seal.verify()) == []


def test_trimmed_mean_drops_the_highest_and_lowest(world: World) -> None:
    cs = criteria(world)
    m = movement(world, aggregation=Movement.Aggregation.TRIMMED)
    model = model_of(world, m, cs)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    reg = services.register(actor=world.users["office"], model=model, organisation=world.cell_b)
    services.registration_decide(actor=world.users["emulation"], registration=reg, approve=True)
    council = [make_user(f"tm{i}", role=Role.MEMBER, organisation=world.cell_a) for i in range(5)]
    for user in council:
        services.council_add(actor=world.users["emulation"], movement=m, user=user)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    for user, points in zip(council, ["30", "32", "36", "40", "20"], strict=True):
        services.council_score(
            actor=user, registration=reg, scores={leaf(cs, "2"): ScoreInput(points=D(points))}
        )
    services.movement_advance(actor=world.users["emulation"], movement=m)
    # without 40 and 20: (30 + 32 + 36) / 3 = 32.67
    assert Result.objects.get(registration=reg, criterion__code="2").points == D("32.67")


def test_tampering_after_close_is_found_by_audit_verify(world: World, round_: dict[str, Any]) -> None:
    from django.db import connection

    score_all(round_, [("38", "15", "30"), ("36", "16", "31"), ("37", "17", "35")])
    services.movement_advance(actor=world.users["emulation"], movement=round_["movement"])
    table = Score._meta.db_table
    with connection.cursor() as cursor:  # someone who dropped the trigger
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
            cursor.execute(f"UPDATE {table} SET points = 40 WHERE kind = 'council'")
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER emulation_score_lock_upd")
            cursor.execute(f"UPDATE {table} SET points = 40 WHERE kind = 'council'")
    problems = list(seal.verify())
    assert problems and "no longer match" in problems[0]
    assert audit.verify_seals()


def test_a_pending_registration_is_withdrawn_by_its_unit_and_audited(world: World) -> None:
    cs = criteria(world)
    m = movement(world)
    model = model_of(world, m, cs)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    reg = services.register(actor=world.users["office"], model=model, organisation=world.cell_b)
    with pytest.raises(PermissionDenied):  # someone who does not act for cell B
        services.registration_withdraw(actor=world.users["member"], registration=reg)
    services.registration_withdraw(actor=world.users["office"], registration=reg)
    assert not Registration.objects.filter(pk=reg.pk).exists()
    event = AuditEvent.objects.get(action="emulation.registration_withdraw")
    assert event.before["subject_name"] == reg.subject_name
    # Registering again is then possible; once approved it can no longer be withdrawn.
    again = services.register(actor=world.users["office"], model=model, organisation=world.cell_b)
    services.registration_decide(actor=world.users["emulation"], registration=again, approve=True)
    with pytest.raises(ValidationError, match=r"chờ duyệt|awaiting approval"):
        services.registration_withdraw(actor=world.users["office"], registration=again)
    assert Registration.objects.filter(pk=again.pk, status=Registration.Status.APPROVED).exists()


def test_council_members_leave_before_scoring_and_delegates_before_the_lock(
    world: World, round_: dict[str, Any]
) -> None:
    m = round_["movement"]  # scoring has started
    seat = m.council.first()
    with pytest.raises(ValidationError, match=re.escape(seat.name)):
        services.council_remove(actor=world.users["emulation"], member=seat)
    assert m.council.count() == 3
    draft = movement(world, units=[world.province])  # a second movement, still a draft
    services.council_add(actor=world.users["emulation"], movement=draft, user=world.users["norole"])
    with pytest.raises(PermissionDenied):
        services.council_remove(actor=world.users["office"], member=draft.council.get())
    services.council_remove(actor=world.users["emulation"], member=draft.council.get())
    assert not draft.council.exists()
    assert AuditEvent.objects.filter(action="emulation.council_remove").count() == 1

    # A delegate's login is withdrawn; what the unit registered stays.
    officer = make_user("bdt-thidua")
    delegate = services.delegate_add(
        actor=world.users["emulation"], movement=draft, unit=world.province, user=officer
    )
    services.delegate_remove(actor=world.users["emulation"], delegate=delegate)
    assert not draft.delegates.exists()
    assert AuditEvent.objects.filter(action="emulation.delegate_remove").count() == 1
