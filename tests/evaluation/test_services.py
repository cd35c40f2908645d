"""The evaluation workflow, with the figures of rules.md §5 (366-QĐ/TW, 43-HD/BTCTW): self-assessment
on 30 + 70 points, the cell's proposal never above what `classify` allows, the committee's
decision under the quota (HTXSNV ≤ 20 % of HTTNV), the closed round locked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation

from dangbo.core.models import AuditEvent
from dangbo.evaluation import services
from dangbo.evaluation.models import Assessment, EvaluationRound
from tests.evaluation.conftest import EXCELLENT, add_member, advance_to, figures
from tests.helpers import refused

pytestmark = pytest.mark.django_db
L = services.LevelInput


def _refused(call, **kwargs) -> str:
    """A refusal of the whole call (not of one field): nothing audited; the Vietnamese message."""
    events = AuditEvent.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        call(**kwargs)
    assert AuditEvent.objects.count() == events
    return " ".join(exc.value.messages)


def _of(evaluation_round, person):
    return Assessment.objects.get(round=evaluation_round, person=person)


def _cell(evaluation_round, organisation):
    return Assessment.objects.get(round=evaluation_round, organisation=organisation, collective=True)


def test_opening_lists_the_cells_and_their_members_under_the_rule_set_in_force(
    world, people, evaluation_round
):
    assert (
        "366-QĐ/TW" in evaluation_round.regulation and evaluation_round.rules_on.isoformat() == "2025-12-31"
    )
    rows = {a.subject_name: a for a in evaluation_round.assessments.all()}
    assert set(rows) == {world.cell_a.name, world.cell_b.name, *(p.full_name for p in people.values())}
    assert rows[world.cell_a.name].collective and rows[world.cell_a.name].form == "01"
    # ⚠ 2B holds a post (the cell's Bí thư), 2A works in a unit, 2C outside the enterprise.
    assert rows["Trần Thị Bình"].form == "2B"
    assert rows["Nguyễn Văn An"].form == "2A"
    assert rows["Lê Văn Cường"].form == "2C"
    assert AuditEvent.objects.filter(action="evaluation.round_open").count() == 1


def test_a_year_before_the_point_scale_and_a_second_round_are_refused(world, evaluation_round):
    message = refused("year", services.round_open, actor=None, organisation=world.grassroots, year=2024)
    assert "366-QĐ/TW" in message
    refused("year", services.round_open, actor=None, organisation=world.grassroots, year=2025)


def test_only_the_committee_opens_a_round(world):
    with pytest.raises(PermissionDenied):
        services.round_open(actor=world.users["secretary"], organisation=world.grassroots, year=2025)
    created = services.round_open(actor=world.users["office"], organisation=world.grassroots, year=2025)
    assert created.organisation == world.grassroots


def test_self_assessment_stores_the_level_and_why_higher_ones_were_missed(world, people, evaluation_round):
    own = _of(evaluation_round, people["an"])
    saved = services.self_assess(actor=world.users["member"], assessment=own, data=figures())
    assert saved.total == Decimal(85) and saved.self_level == "HTTNV"
    classification = saved.classification()
    assert classification is not None
    why = services.why_not(classification, "HTXSNV")
    # 85 < 90, and 2 of 10 beyond requirements where 30 % asks 3.
    assert "85" in why and "90" in why and "2/10" in why and "3 (30 %)" in why
    assert AuditEvent.objects.filter(action="evaluation.self_assess", object_id=str(own.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (figures(general="31"), "general_score"),
        (figures(general="-1"), "general_score"),
        (figures(tasks="70.5"), "task_score"),
        (figures(done=11), "tasks_done"),
        (figures(done=10, on_time=11), "tasks_on_time"),
        (figures(general="25.125"), "general_score"),
    ],
)
def test_impossible_figures_are_refused_naming_the_field(world, people, evaluation_round, data, field):
    own = _of(evaluation_round, people["an"])
    message = refused(field, services.self_assess, actor=world.users["member"], assessment=own, data=data)
    assert message
    own.refresh_from_db()
    assert not own.self_assessed


def test_the_score_limits_come_from_the_rule_set(world, people, evaluation_round):
    own = _of(evaluation_round, people["an"])
    message = refused(
        "general_score", services.self_assess, actor=None, assessment=own, data=figures(general="31")
    )
    assert "30" in message and "31" in message


def test_a_member_never_writes_someone_elses_assessment(world, people, evaluation_round):
    other = _of(evaluation_round, people["binh"])
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="của chính mình"):
        services.self_assess(actor=world.users["member"], assessment=other, data=figures())
    other.refresh_from_db()
    assert not other.self_assessed and AuditEvent.objects.count() == events


def test_the_cell_secretary_self_assesses_the_cell_as_a_collective(world, people, evaluation_round):
    cell = _cell(evaluation_round, world.cell_a)
    saved = services.self_assess(
        actor=world.users["secretary"],
        assessment=cell,
        data=figures(**EXCELLENT, disciplined=True, shortcomings=2, shortcomings_fixed=2),
    )
    # 93 points and 4 of 10 beyond, but a member of the leadership disciplined: not HTXSNV.
    assert saved.self_level == "HTTNV"
    assert "kỷ luật" in services.why_not(saved.classification(), "HTXSNV")
    with pytest.raises(PermissionDenied):
        services.self_assess(
            actor=world.users["secretary"], assessment=_cell(evaluation_round, world.cell_b), data=figures()
        )


def _self_assessed(evaluation_round, people, **kinds):
    for key, person in people.items():
        data = figures(**EXCELLENT) if kinds.get(key) == "X" else figures()
        services.self_assess(actor=None, assessment=_of(evaluation_round, person), data=data)


def test_proposing_above_what_the_figures_allow_is_refused_naming_the_person(world, people, evaluation_round):
    _self_assessed(evaluation_round, people)
    evaluation_round = advance_to(evaluation_round, "proposing")
    an = _of(evaluation_round, people["an"])
    message = refused(
        f"level_{an.pk}",
        services.levels_propose,
        actor=world.users["secretary"],
        evaluation_round=evaluation_round,
        proposals={an.pk: L("HTXSNV")},
    )
    assert "Nguyễn Văn An" in message and "85" in message and "90" in message
    an.refresh_from_db()
    assert an.proposed_level == ""
    written = services.levels_propose(
        actor=world.users["secretary"],
        evaluation_round=evaluation_round,
        proposals={an.pk: L("HTTNV", "Tốt")},
    )
    assert [a.proposed_level for a in written] == ["HTTNV"]


def test_a_secretary_proposes_only_for_their_cell(world, people, evaluation_round):
    _self_assessed(evaluation_round, people)
    evaluation_round = advance_to(evaluation_round, "proposing")
    dung = _of(evaluation_round, people["dung"])
    with pytest.raises(PermissionDenied):
        services.levels_propose(
            actor=world.users["secretary"], evaluation_round=evaluation_round, proposals={dung.pk: L("HTTNV")}
        )


def test_proposals_wait_for_their_step(world, people, evaluation_round):
    _self_assessed(evaluation_round, people)
    an = _of(evaluation_round, people["an"])
    _refused(
        services.levels_propose, actor=None, evaluation_round=evaluation_round, proposals={an.pk: L("HTTNV")}
    )


def test_deciding_over_the_quota_is_refused_with_the_figures(world, people, evaluation_round):
    # Five more members rated HTTNV: 4 HTTNV + 5 more = 9 good... build 2 excellent and 5 good.
    extra = {f"m{n}": add_member(world, f"Đỗ Văn Thử {n}", world.cell_b, 10 + n) for n in range(4)}
    evaluation_round = EvaluationRound.objects.get(pk=evaluation_round.pk)
    Assessment.objects.filter(round=evaluation_round).delete()
    evaluation_round.delete()
    evaluation_round = services.round_open(actor=None, organisation=world.grassroots, year=2025)
    members = {**people, **extra}
    _self_assessed(evaluation_round, members, an="X", binh="X")
    evaluation_round = advance_to(evaluation_round, "deciding")
    ids = {key: _of(evaluation_round, person).pk for key, person in members.items()}
    decisions = {pk: L("HTTNV") for pk in ids.values()}
    decisions[ids["an"]] = decisions[ids["binh"]] = L("HTXSNV")
    # 2 HTXSNV, 6 HTTNV: 20 % of 6 is 1,2, rounded down to 1.
    message = refused(
        "quota",
        services.levels_decide,
        actor=world.users["office"],
        evaluation_round=evaluation_round,
        decisions=decisions,
    )
    assert "2 " in message and " 1 (20 % " in message and " 6 " in message
    assert not Assessment.objects.filter(round=evaluation_round).exclude(decided_level="").exists()
    decisions[ids["binh"]] = L("HTTNV")
    written = services.levels_decide(
        actor=world.users["office"], evaluation_round=evaluation_round, decisions=decisions
    )
    assert len(written) == len(members)
    check = {q.collective: q.check for q in services.quotas(evaluation_round)}[False]
    assert (check.excellent, check.good, check.allowed) == (1, 7, 1)


def test_the_committee_never_rates_above_the_figures(world, people, evaluation_round):
    _self_assessed(evaluation_round, people)
    evaluation_round = advance_to(evaluation_round, "deciding")
    an = _of(evaluation_round, people["an"])
    message = refused(
        f"level_{an.pk}",
        services.levels_decide,
        actor=world.users["leader"],
        evaluation_round=evaluation_round,
        decisions={an.pk: L("HTXSNV")},
    )
    assert "Nguyễn Văn An" in message
    with pytest.raises(PermissionDenied):
        services.levels_decide(
            actor=world.users["secretary"], evaluation_round=evaluation_round, decisions={an.pk: L("HTNV")}
        )


def test_closing_needs_every_self_assessed_decided_then_locks(world, people, evaluation_round):
    _self_assessed(evaluation_round, people)
    evaluation_round = advance_to(evaluation_round, "deciding")
    message = _refused(services.round_advance, actor=None, evaluation_round=evaluation_round)
    assert "4" in message
    ids = [_of(evaluation_round, p).pk for p in people.values()]
    services.levels_decide(
        actor=None, evaluation_round=evaluation_round, decisions={pk: L("HTTNV") for pk in ids}
    )
    closed = services.round_advance(actor=None, evaluation_round=evaluation_round)
    assert closed.locked and closed.closed_at is not None
    event = AuditEvent.objects.get(action="evaluation.round_closed")
    assert event.after["levels"]["individual"] == {"HTTNV": 4}
    # The services refuse with a message, nothing saved …
    an = _of(closed, people["an"])
    message = _refused(services.self_assess, actor=world.users["member"], assessment=an, data=figures())
    assert "đã kết thúc" in message
    _refused(services.levels_decide, actor=None, evaluation_round=closed, decisions={an.pk: L("HTNV")})
    # … and the database refuses whatever goes around them.
    for change in (
        lambda: Assessment.objects.filter(pk=an.pk).update(decided_level="KHTNV"),
        lambda: Assessment.objects.filter(pk=an.pk).delete(),
        lambda: EvaluationRound.objects.filter(pk=closed.pk).update(status="deciding", closed_at=None),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert Assessment.objects.get(pk=an.pk).decided_level == "HTTNV"


def test_a_refused_batch_saves_nothing(world, people, evaluation_round):
    _self_assessed(evaluation_round, people)
    evaluation_round = advance_to(evaluation_round, "proposing")
    an, binh = _of(evaluation_round, people["an"]), _of(evaluation_round, people["binh"])
    with pytest.raises(ValidationError):
        services.levels_propose(
            actor=None, evaluation_round=evaluation_round, proposals={an.pk: L("HTTNV"), binh.pk: L("HTXSNV")}
        )
    an.refresh_from_db()
    assert an.proposed_level == ""
