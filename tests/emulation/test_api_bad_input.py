"""API v1 for emulation, the issue's bad input: every refusal is a 400 naming the field, in
Vietnamese, and nothing changes — no row, no audit event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dangbo.core.models import AuditEvent
from dangbo.emulation import services
from dangbo.emulation.models import (
    CouncilMember,
    CriteriaSet,
    Criterion,
    Delegate,
    Movement,
    MovementModel,
    Registration,
    Score,
)
from dangbo.orgs import services as org_services
from dangbo.rules.roles import Role
from tests.conftest import World, make_user
from tests.emulation.test_api import URL, api
from tests.emulation.test_services import criteria, leaf, model_of, movement

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
TABLES = (CriteriaSet, Criterion, Movement, MovementModel, CouncilMember, Delegate, Registration, Score)


class Unchanged:
    """Asserts a block writes nothing: the same audit events and the same emulation rows."""

    def state(self) -> list[Any]:
        return [AuditEvent.objects.count()] + [list(t.objects.order_by("pk").values()) for t in TABLES]

    def __enter__(self) -> Unchanged:
        self.before = self.state()
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            assert self.state() == self.before


def refused(response: Any, field: str, *words: str) -> str:
    """A 400 naming `field`, its message in Vietnamese holding `words`; returns the message."""
    assert response.status_code == 400, response.content[:500]
    errors = response.json()
    assert field in errors, errors
    text = str(errors[field])
    for word in words:
        assert word in text, text
    return text


@pytest.fixture
def round_(world: World) -> dict[str, Any]:
    """A movement in scoring: cell B approved; a council of two, one of whom belongs to cell B."""
    cs = criteria(world)
    m = movement(world)
    model = model_of(world, m, cs)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    reg = services.register(actor=world.users["office"], model=model, organisation=world.cell_b)
    services.registration_decide(actor=world.users["emulation"], registration=reg, approve=True)
    outsider = make_user("hd-ngoai", role=Role.MEMBER, organisation=world.cell_a)
    insider = make_user("hd-noibo", role=Role.MEMBER, organisation=world.cell_b)
    org_services.person_create(actor=None, full_name="Lê Văn Nội", organisation=world.cell_b, user=insider)
    for user in (outsider, insider):
        services.council_add(actor=world.users["emulation"], movement=m, user=user)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    m.refresh_from_db()
    return {
        "movement": m,
        "criteria": cs,
        "model": model,
        "registration": reg,
        "council": outsider,
        "insider": insider,
    }


def scores_url(round_: dict[str, Any], kind: str = "self") -> str:
    return f"{URL}registrations/{round_['registration'].pk}/{kind}-scores/"


# --- Criteria sets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (
            [
                {"code": "1", "title": "A", "max_points": 60},
                {"code": "2", "title": "B", "max_points": "39,75"},
            ],
            "99,75",
        ),
        (
            [{"code": "1", "title": "A", "max_points": 60}, {"code": "2", "title": "B", "max_points": 40.25}],
            "100,25",
        ),
        (
            [
                {"code": "1", "title": "A", "max_points": 60},
                {"code": "1.1", "title": "A1", "max_points": 50},
                {"code": "2", "title": "B", "max_points": 40},
            ],
            "Tiêu chí 1:",
        ),
        ([{"code": "1", "title": "A", "max_points": 100, "step": "0,3"}], "0,3"),
        ([{"code": "1.1", "title": "A", "max_points": 100}], "1.1"),
        ([], "chưa có tiêu chí"),
    ],
)
def test_criteria_that_do_not_add_up_to_100_are_refused(world: World, rows: list[Any], words: str) -> None:
    body = {"organisation": world.tct.pk, "name": "Sai", "criteria": rows}
    with Unchanged():
        response = api("emulation").post(f"{URL}criteria-sets/", body, format="json")
        refused(response, "criteria", words)


def test_a_sum_refused_when_a_draft_is_rewritten_keeps_the_draft(world: World) -> None:
    draft = services.criteria_set_save(
        actor=world.users["emulation"],
        organisation=world.tct,
        name="Nháp",
        rows=[services.CriterionRow("1", "A", Decimal(60)), services.CriterionRow("2", "B", Decimal(40))],
    )
    rows = [{"code": "1", "title": "A", "max_points": 60}, {"code": "2", "title": "B", "max_points": 45}]
    with Unchanged():
        response = api("emulation").patch(
            f"{URL}criteria-sets/{draft.pk}/", {"criteria": rows}, format="json"
        )
        refused(response, "criteria", "Tổng điểm tối đa của các tiêu chí là 105, không phải 100.")


def test_a_published_set_is_neither_rewritten_nor_published_again(world: World) -> None:
    cs = criteria(world)
    with Unchanged():
        response = api("emulation").patch(f"{URL}criteria-sets/{cs.pk}/", {"name": "Khác"}, format="json")
        refused(response, "non_field_errors", "phiên bản mới")
        refused(
            api("emulation").post(f"{URL}criteria-sets/{cs.pk}/publish/"),
            "non_field_errors",
            "đã được công bố",
        )


@pytest.mark.parametrize(
    ("points", "words"),
    [
        ("7,5,1", "không phải là số"),
        ("1.000", "2 chữ số thập phân"),
        ([7], "Hãy viết số điểm bằng số"),
        (True, "Hãy viết số điểm bằng số"),
        ("1e3", "không phải là số"),
        (HUGE, "quá lớn"),
    ],
)
def test_points_that_are_not_numbers_are_refused(world: World, points: Any, words: str) -> None:
    body = {
        "organisation": world.tct.pk,
        "name": "Sai",
        "criteria": [{"code": "1", "title": "A", "max_points": points}],
    }
    with Unchanged():
        text = refused(api("emulation").post(f"{URL}criteria-sets/", body, format="json"), "criteria")
        assert words in text and "max_points" in text


def test_a_second_set_of_the_same_name_is_refused(world: World) -> None:
    criteria(world)
    body = {
        "organisation": world.tct.pk,
        "name": "Dân vận khéo trong SXKD",
        "criteria": [{"code": "1", "title": "A", "max_points": 100}],
    }
    with Unchanged():
        refused(api("emulation").post(f"{URL}criteria-sets/", body, format="json"), "name", "phiên bản mới")


def test_a_step_of_zero_is_refused(world: World) -> None:
    body = {
        "organisation": world.tct.pk,
        "name": "Sai",
        "default_step": "0",
        "criteria": [{"code": "1", "title": "A", "max_points": 100}],
    }
    with Unchanged():
        refused(api("emulation").post(f"{URL}criteria-sets/", body, format="json"), "default_step", "0,01")


# --- Scores --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "points", "words"),
    [
        ("1.1", "40,5", ("1.1", "40,5", "vượt quá mức tối đa 40")),  # above its maximum
        ("1.1", 41, ("1.1", "41", "vượt quá")),
        ("1.2", "7,3", ("1.2", "7,3", "bội số của bước điểm 0,25")),  # off its step
        ("1.1", "38,25", ("1.1", "38,25", "0,5")),  # its own step is 0,5
        ("2", -1, ("2", "nhỏ hơn 0")),
        ("0.1", 1, ("0.1", "không chấm điểm")),  # pass/fail
    ],
)
def test_a_score_above_the_maximum_or_off_the_step_saves_nothing(
    world: World, round_: dict[str, Any], code: str, points: Any, words: tuple[str, ...]
) -> None:
    cs = round_["criteria"]
    body = {
        "scores": [
            {"criterion": leaf(cs, "1.2" if code == "2" else "2"), "points": 10},  # good: not saved either
            {"criterion": leaf(cs, code), "points": points},
        ]
    }
    for client, kind in ((api("office"), "self"), (api(round_["council"]), "council")):
        with Unchanged():
            refused(client.post(scores_url(round_, kind), body, format="json"), "scores", *words)


def test_scoring_a_heading_a_foreign_criterion_or_one_twice_is_refused(
    world: World, round_: dict[str, Any]
) -> None:
    cs = round_["criteria"]
    other = services.criteria_set_publish(
        actor=None,
        criteria_set=services.criteria_set_save(
            actor=None,
            organisation=world.tct,
            name="Khác",
            rows=[services.CriterionRow("1", "Khác", Decimal(100))],
        ),
    )
    cases = [
        ([{"criterion": leaf(cs, "1"), "points": 50}], "tiêu chí thành phần"),
        ([{"criterion": leaf(other, "1"), "points": 50}], "không thuộc bộ tiêu chí"),
        ([{"criterion": int(HUGE[:18]), "points": 5}], "không thuộc bộ tiêu chí"),
        ([{"criterion": leaf(cs, "2"), "points": 5}, {"criterion": leaf(cs, "2"), "points": 6}], "hai lần"),
    ]
    for scores, words in cases:
        with Unchanged():
            refused(
                api("office").post(scores_url(round_), {"scores": scores}, format="json"), "scores", words
            )


def test_scoring_after_the_round_closed_is_refused_by_the_lock(world: World, round_: dict[str, Any]) -> None:
    cs = round_["criteria"]
    services.movement_advance(actor=world.users["emulation"], movement=round_["movement"])
    day = timezone.localtime(Movement.objects.get(pk=round_["movement"].pk).closed_at).strftime("%d/%m/%Y")
    body = {"scores": [{"criterion": leaf(cs, "2"), "points": 30}]}
    for client, kind in ((api("office"), "self"), (api(round_["council"]), "council")):
        with Unchanged():
            refused(
                client.post(scores_url(round_, kind), body, format="json"),
                "non_field_errors",
                f"đã khóa ngày {day}",
            )


def test_a_council_member_scoring_their_own_unit_is_refused(world: World, round_: dict[str, Any]) -> None:
    body = {"scores": [{"criterion": leaf(round_["criteria"], "2"), "points": 30}]}
    with Unchanged():
        response = api(round_["insider"]).post(scores_url(round_, "council"), body, format="json")
        refused(response, "non_field_errors", "Lê Văn Nội", "Chi bộ Ban Đầu tư", "không chấm điểm đơn vị")
    # As on the page, the registration is not theirs to read before the results are published.
    assert api(round_["insider"]).get(f"{URL}registrations/{round_['registration'].pk}/").status_code == 403


# --- Registrations -------------------------------------------------------------------------------


def test_registering_twice_is_refused(world: World, round_: dict[str, Any]) -> None:
    Movement.objects.filter(pk=round_["movement"].pk).update(status=Movement.Status.REGISTRATION)
    body = {"model": round_["model"].pk, "organisation": world.cell_b.pk}
    with Unchanged():
        response = api("office").post(f"{URL}registrations/", body, format="json")
        refused(response, "organisation", "Chi bộ Ban Đầu tư", "đã đăng ký")


def test_registering_outside_the_registration_step_or_without_one_subject(
    world: World, round_: dict[str, Any]
) -> None:
    model = round_["model"].pk
    with Unchanged():
        response = api("office").post(
            f"{URL}registrations/", {"model": model, "organisation": world.cell_a.pk}, format="json"
        )
        refused(response, "non_field_errors", "hiện không nhận đăng ký")
        both = {"model": model, "organisation": world.cell_a.pk, "unit": world.dept_a.pk}
        refused(
            api("office").post(f"{URL}registrations/", both, format="json"),
            "non_field_errors",
            "Hãy chọn một",
        )
        refused(
            api("office").post(f"{URL}registrations/", {"model": model}, format="json"), "non_field_errors"
        )


def test_rejecting_without_a_reason_is_refused(world: World, round_: dict[str, Any]) -> None:
    Movement.objects.filter(pk=round_["movement"].pk).update(status=Movement.Status.REGISTRATION)
    reg = services.register(actor=world.users["secretary"], model=round_["model"], organisation=world.cell_a)
    with Unchanged():
        response = api("emulation").post(
            f"{URL}registrations/{reg.pk}/reject/", {"reason": "  "}, format="json"
        )
        refused(response, "reason", "lý do")


# --- Unknown fields, ids that do not exist or are not numbers ------------------------------------


def test_unknown_fields_are_refused_naming_them(world: World, round_: dict[str, Any]) -> None:
    m, reg, cs = round_["movement"], round_["registration"], round_["criteria"]
    cases = [
        ("criteria-sets/", {"organisation": world.tct.pk, "name": "X", "criteria": [], "total": 90}, "total"),
        (
            "criteria-sets/",
            {
                "organisation": world.tct.pk,
                "name": "X",
                "criteria": [{"code": "1", "title": "A", "max": 100}],
            },
            "criteria",
        ),
        (f"movements/{m.pk}/council/", {"username": "hd-ngoai", "role": "chair"}, "role"),
        (f"movements/{m.pk}/models/", {"name": "X", "field": "economy", "criteria_set": cs.pk, "x": 1}, "x"),
        (f"registrations/{reg.pk}/reject/", {"reason": "Sai", "approve": True}, "approve"),
        (f"registrations/{reg.pk}/exemplar/", {"story": "", "exemplar": True}, "exemplar"),
    ]
    for path, body, field in cases:
        with Unchanged():
            text = refused(api("emulation").post(f"{URL}{path}", body, format="json"), field)
            assert "Trường không được hỗ trợ." in text
    with Unchanged():
        body = {"scores": [{"criterion": leaf(cs, "2"), "points": 30, "note": "x"}]}
        assert "note" in refused(api("office").post(scores_url(round_), body, format="json"), "scores")


@pytest.mark.parametrize("pk", ["abc", HUGE, "-1", "%C2%B2", "0"])
def test_ids_in_urls_that_are_not_numbers_or_do_not_exist_are_404(
    world: World, round_: dict[str, Any], pk: str
) -> None:
    client = api("emulation")
    with Unchanged():
        for path in (
            f"movements/{pk}/",
            f"movements/{pk}/results/",
            f"registrations/{pk}/",
            f"criteria-sets/{pk}/",
        ):
            assert client.get(f"{URL}{path}").status_code == 404, path
        for path in (
            f"movements/{pk}/advance/",
            f"registrations/{pk}/approve/",
            f"registrations/{pk}/self-scores/",
            f"criteria-sets/{pk}/publish/",
        ):
            assert client.post(f"{URL}{path}", {}, format="json").status_code == 404, path


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("registrations/", {"model": 987654, "organisation": 1}, "model"),
        ("registrations/", {"model": "abc", "organisation": 1}, "model"),
        ("registrations/", {"model": int(HUGE), "organisation": 1}, "model"),
        ("registrations/", {"model": "{model}", "organisation": 987654}, "organisation"),
        ("registrations/", {"model": "{model}", "unit": "một"}, "unit"),
        (
            "movements/{movement}/models/",
            {"name": "X", "field": "economy", "criteria_set": 987654},
            "criteria_set",
        ),
        (
            "movements/{movement}/models/",
            {"name": "X", "field": "economy", "criteria_set": [1]},
            "criteria_set",
        ),
        ("movements/{movement}/models/", {"name": "X", "field": "sport", "criteria_set": 1}, "field"),
        ("movements/{movement}/council/", {"username": "khong-co-ai"}, "username"),
        ("movements/{movement}/council/", {"username": "hd-ngoai", "post": "x" * 201}, "post"),
        ("movements/{movement}/council/", {"username": "hd-ngoai", "chair": "có"}, "chair"),
        ("movements/{movement}/delegates/", {"unit": 987654, "username": "hd-ngoai"}, "unit"),
        ("movements/{movement}/delegates/", {"unit": "{dept}", "username": "hd-ngoai"}, "unit"),
        (
            "movements/",
            {
                "organisation": "{tct}",
                "name": "X",
                "starts_on": "2024-01-01",
                "ends_on": "2024-12-31",
                "units": [987654],
            },
            "units",
        ),
        (
            "movements/",
            {"organisation": "{tct}", "name": "X", "starts_on": "31/12/2024", "ends_on": "2024-12-31"},
            "starts_on",
        ),
        (
            "movements/",
            {"organisation": "{tct}", "name": "X", "starts_on": "2024-12-31", "ends_on": "2024-01-01"},
            "ends_on",
        ),
        ("criteria-sets/", {"organisation": "x", "name": "X", "criteria": []}, "organisation"),
    ],
)
def test_ids_in_bodies_that_do_not_exist_or_are_not_numbers_are_400(
    world: World, round_: dict[str, Any], path: str, body: dict[str, Any], field: str
) -> None:
    Movement.objects.filter(pk=round_["movement"].pk).update(status=Movement.Status.REGISTRATION)
    names = {
        "{model}": round_["model"].pk,
        "{tct}": world.tct.pk,
        "{dept}": world.dept_a.pk,  # a unit that does not take part
    }
    body = {k: names.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    with Unchanged():
        response = api("emulation").post(
            f"{URL}{path.format(movement=round_['movement'].pk)}", body, format="json"
        )
        refused(response, field)
        assert any(ord(ch) > 127 for ch in str(response.json()[field])), response.json()  # Vietnamese
