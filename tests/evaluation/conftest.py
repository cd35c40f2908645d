"""A 2025 round of the fixture's grassroots organisation: cells A and B, their members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dangbo.evaluation import services
from dangbo.members.services import member_admit
from dangbo.orgs import services as org_services
from dangbo.orgs.models import Organisation, Person
from tests.conftest import World


def add_member(world: World, name: str, cell: Organisation, n: int, **extra: Any) -> Person:
    person = org_services.person_create(
        actor=None, full_name=name, organisation=cell, is_party_member=True, **extra
    )
    member_admit(
        actor=None,
        person=person,
        organisation=cell,
        admitted_on=dt.date(2015, 1, 1),
        national_id=f"0010800{n:05d}",
    )
    return person


def figures(
    general: str = "25",
    tasks: str = "60",
    total: int = 10,
    done: int = 10,
    on_time: int = 10,
    exceeding: int = 2,
    **extra: Any,
) -> services.SelfInput:
    """85 points, every task on time, 2 of 10 beyond requirements: "hoàn thành tốt" (HTTNV)."""
    return services.SelfInput(
        general_score=Decimal(general),
        task_score=Decimal(tasks),
        tasks_total=total,
        tasks_done=done,
        tasks_on_time=on_time,
        tasks_exceeding=exceeding,
        **extra,
    )


EXCELLENT = {"general": "28", "tasks": "65", "exceeding": 4}  # 93 points, 4 of 10 beyond: HTXSNV


@pytest.fixture
def people(world: World, position: Any) -> dict[str, Person]:
    found = {
        "an": add_member(world, "Nguyễn Văn An", world.cell_a, 1, unit=world.dept_a),
        "binh": add_member(world, "Trần Thị Bình", world.cell_a, 2, unit=world.dept_a),
        "cuong": add_member(world, "Lê Văn Cường", world.cell_a, 3),
        "dung": add_member(world, "Phạm Thị Dung", world.cell_b, 4, unit=world.dept_a),
    }
    org_services.appointment_create(
        actor=None,
        person=found["binh"],
        position=position("bi-thu"),
        organisation=world.cell_a,
        starts_on=dt.date(2025, 1, 1),
    )
    org_services.person_link_user(actor=None, person=found["an"], user=world.users["member"])
    return found


@pytest.fixture
def evaluation_round(world: World, people: dict[str, Person]):
    return services.round_open(actor=None, organisation=world.grassroots, year=2025)


def advance_to(evaluation_round: Any, status: str) -> Any:
    while evaluation_round.status != status:
        evaluation_round = services.round_advance(actor=None, evaluation_round=evaluation_round)
    return evaluation_round
