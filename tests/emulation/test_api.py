"""API v1 for emulation: a round from the criteria to the published results, through the API only,
scoped like the pages (a movement's registrations and results reach everyone under its organiser,
nobody else), with the figures of rules.md §6 and the council's mean worked by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from dangbo.emulation import services
from dangbo.emulation.models import CriteriaSet, Movement, Registration, Score
from dangbo.orgs import services as org_services
from dangbo.rules.roles import Role
from tests.conftest import World, make_user
from tests.emulation.test_services import ROWS, criteria, leaf, model_of, movement

pytestmark = pytest.mark.django_db

URL = "/api/v1/emulation/"


def api(user: Any) -> APIClient:
    """A client with the user's API token (made here: no sign-in, so no audit event of its own)."""
    if isinstance(user, str):
        user = get_user_model().objects.get(username=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def ok(response: Any, code: int = 200) -> Any:
    assert response.status_code == code, response.content[:600]
    return response.json()


CRITERIA_ROWS = [
    {"code": "0", "title": "Tiêu chí chung bắt buộc"},
    {"code": "0.1", "title": "Không có đảng viên vi phạm kỷ luật", "mandatory": True},
    {"code": "1", "title": "Kết quả sản xuất kinh doanh", "max_points": 60},
    {"code": "1.1", "title": "Hoàn thành kế hoạch doanh thu", "max_points": "40", "step": "0,5"},
    {"code": "1.2", "title": "Phát triển dịch vụ mới", "max_points": 20},
    {
        "code": "2",
        "title": "Công tác tuyên truyền, vận động",
        "max_points": 40.0,
        "guidance": "Có minh chứng",
    },
]


def codes(tree: list[dict[str, Any]]) -> list[Any]:
    return [(c["code"], codes(c["children"])) if c["children"] else c["code"] for c in tree]


# --- Criteria sets -------------------------------------------------------------------------------


def test_a_criteria_set_is_drafted_read_as_a_tree_published_and_versioned(world: World) -> None:
    office = api("emulation")
    body = {"organisation": world.tct.pk, "name": "Dân vận khéo trong SXKD", "criteria": CRITERIA_ROWS}
    created = ok(office.post(f"{URL}criteria-sets/", body, format="json"), 201)
    assert created["published"] is False and created["version"] == 1 and created["total"] == 100
    assert codes(created["criteria"]) == [("0", ["0.1"]), ("1", ["1.1", "1.2"]), "2"]
    heading, revenue = created["criteria"][1], created["criteria"][1]["children"][0]
    assert heading["max_points"] == 60 and heading["step"] is None  # a heading: its children are scored
    assert revenue["max_points"] == 40 and revenue["step"] == 0.5
    assert created["criteria"][0]["mandatory"] is True  # a heading whose children are all pass/fail
    assert created["criteria"][2]["guidance"] == "Có minh chứng" and created["criteria"][2]["step"] == 0.25
    pk = created["id"]

    renamed = ok(office.patch(f"{URL}criteria-sets/{pk}/", {"name": "Dân vận khéo 2024"}, format="json"))
    assert renamed["name"] == "Dân vận khéo 2024" and codes(renamed["criteria"]) == codes(created["criteria"])
    published = ok(office.post(f"{URL}criteria-sets/{pk}/publish/"))
    assert published["published"] is True and published["published_at"]
    copy = ok(office.post(f"{URL}criteria-sets/{pk}/new-version/"), 201)
    assert copy["version"] == 2 and copy["published"] is False and copy["code"] == created["code"]
    assert codes(copy["criteria"]) == codes(created["criteria"])

    # Read upward by a cell's member; another committee's office does not find it.
    listed = ok(api("member").get(f"{URL}criteria-sets/"))
    assert {s["id"] for s in listed["results"]} == {pk, copy["id"]}
    assert [
        s["id"] for s in ok(api("member").get(f"{URL}criteria-sets/", {"published": "true"}))["results"]
    ] == [pk]
    assert ok(api("member").get(f"{URL}criteria-sets/{pk}/"))["name"] == "Dân vận khéo 2024"
    assert api("outsider").get(f"{URL}criteria-sets/{pk}/").status_code == 404
    # Reading is not writing: the committee office does not run movements.
    assert api("office").post(f"{URL}criteria-sets/{copy['id']}/publish/").status_code == 403
    assert not CriteriaSet.objects.get(pk=copy["id"]).published


# --- A round through the API ---------------------------------------------------------------------


@pytest.fixture
def council(world: World) -> list[Any]:
    return [make_user(f"hd{i}", role=Role.MEMBER, organisation=world.cell_a) for i in range(3)]


def test_a_round_from_registration_to_published_results(world: World, council: list[Any]) -> None:
    manager = api("emulation")
    cs = criteria(world)
    created = ok(
        manager.post(
            f"{URL}movements/",
            {
                "organisation": world.tct.pk,
                "name": "Phong trào thi đua “Dân vận khéo” 2024",
                "starts_on": "2024-01-01",
                "ends_on": "2024-12-31",
                "units": [world.province.pk],
            },
            format="json",
        ),
        201,
    )
    pk = created["id"]
    assert created["status"] == "draft" and created["next_status"] == "registration" and created["manage"]
    assert created["units"] == [{"id": world.province.pk, "name": "Bưu điện thành phố Hà Nội"}]
    # A draft is seen only by those who run movements.
    assert api("office").get(f"{URL}movements/{pk}/").status_code == 404
    model = ok(
        manager.post(
            f"{URL}movements/{pk}/models/",
            {"name": "“Dân vận khéo” trong SXKD", "field": "economy", "criteria_set": cs.pk},
            format="json",
        ),
        201,
    )
    assert model["criteria_set_name"] == "Dân vận khéo trong SXKD (v1)" and model["position"] == 1
    assert ok(manager.post(f"{URL}movements/{pk}/advance/"))["status"] == "registration"

    # Cell B registers through the committee office; the provincial post office through its delegate.
    registered = ok(
        api("office").post(
            f"{URL}registrations/",
            {"model": model["id"], "organisation": world.cell_b.pk, "plan": "Giao khoán doanh thu"},
            format="json",
        ),
        201,
    )
    assert registered["status"] == "pending" and registered["subject_kind"] == "organisation"
    assert registered["subject_name"] == "Chi bộ Ban Đầu tư"
    officer = make_user("bd-hanoi")
    body = {"model": model["id"], "unit": world.province.pk}
    refused = api(officer).post(
        f"{URL}registrations/", body, format="json"
    )  # not reached by the movement yet
    assert refused.status_code == 400 and list(refused.json()) == ["model"]
    delegate = ok(
        manager.post(
            f"{URL}movements/{pk}/delegates/",
            {"unit": world.province.pk, "username": "bd-hanoi"},
            format="json",
        ),
        201,
    )
    assert delegate["unit_name"] == "Bưu điện thành phố Hà Nội"
    province = ok(api(officer).post(f"{URL}registrations/", body, format="json"), 201)
    assert province["subject_kind"] == "unit"

    # The council approves one and rejects the other, saying why.
    reg = registered["id"]
    assert ok(manager.post(f"{URL}registrations/{reg}/approve/"))["status"] == "approved"
    rejected = ok(
        manager.post(
            f"{URL}registrations/{province['id']}/reject/", {"reason": "Chưa có kế hoạch"}, format="json"
        )
    )
    assert rejected["status"] == "rejected" and rejected["reason"] == "Chưa có kế hoạch"
    for i, user in enumerate(council):
        seat = ok(
            manager.post(
                f"{URL}movements/{pk}/council/",
                {"username": user.username, "post": "Ủy viên", "chair": i == 0},
                format="json",
            ),
            201,
        )
        assert seat["chair"] is (i == 0)
    detail = ok(manager.get(f"{URL}movements/{pk}/"))
    assert len(detail["council"]) == 3 and detail["delegates"][0]["user"] == "bd-hanoi"
    assert detail["models"][0]["registered"] == 2 and detail["models"][0]["approved"] == 1
    assert ok(api("office").get(f"{URL}movements/{pk}/"))["delegates"] == []  # only for those who run it
    assert ok(manager.post(f"{URL}movements/{pk}/advance/"))["status"] == "scoring"

    # Self-scores as the forms take them ("38,5") or as JSON numbers; a pass/fail criterion met.
    card = ok(
        api("office").post(
            f"{URL}registrations/{reg}/self-scores/",
            {
                "scores": [
                    {"criterion": leaf(cs, "1.1"), "points": "38,5", "evidence": "Báo cáo doanh thu 2024"},
                    {"criterion": leaf(cs, "1.2"), "points": 17.25},
                    {"criterion": leaf(cs, "2"), "points": "40"},
                    {"criterion": leaf(cs, "0.1"), "passed": True},
                ]
            },
            format="json",
        )
    )
    rows = {r["code"]: r for r in card["card"]}
    assert rows["1.1"]["self"] == {"points": 38.5, "passed": None, "evidence": "Báo cáo doanh thu 2024"}
    assert rows["0.1"]["self"]["passed"] is True and rows["1"]["leaf"] is False
    assert card["self_sum"] == 95.75 and card["roles"]["act"] and card["my_sum"] is None
    assert AuditEvent.objects.filter(action="emulation.score_self").count() == 1

    # Each council member scores on their own; before publication the others' scores stay hidden.
    for user, (a, b, c) in zip(
        council, [("38", "15", "30"), ("36", "16", "31"), ("37", "17", "35,25")], strict=True
    ):
        mine = ok(
            api(user).post(
                f"{URL}registrations/{reg}/council-scores/",
                {
                    "scores": [
                        {"criterion": leaf(cs, "0.1"), "passed": True},
                        {"criterion": leaf(cs, "1.1"), "points": a},
                        {"criterion": leaf(cs, "1.2"), "points": b},
                        {"criterion": leaf(cs, "2"), "points": c},
                    ]
                },
                format="json",
            )
        )
        assert mine["roles"]["council"] and mine["my_sum"] == float(
            Decimal(a) + Decimal(b) + Decimal(c.replace(",", "."))
        )
        assert all(r["council_scores"] is None for r in mine["card"])
    assert Score.objects.filter(kind="council").count() == 12
    seen = ok(manager.get(f"{URL}registrations/{reg}/"))
    assert {r["code"]: r["council_scores"] for r in seen["card"] if r["leaf"]}["2"] == 3
    assert api("member").get(f"{URL}registrations/{reg}/").status_code == 403  # not theirs, not published
    assert api("office").get(f"{URL}movements/{pk}/results/").status_code == 404  # not closed yet

    # Closing computes the mean: 1.1 (38+36+37)/3 = 37; 1.2 16; 2 (30+31+35,25)/3 = 32,08; 85,08.
    closed = ok(manager.post(f"{URL}movements/{pk}/advance/"))
    assert closed["status"] == "closed" and closed["closed_at"]
    assert api("office").get(f"{URL}movements/{pk}/results/").status_code == 403  # not published yet
    results = ok(manager.get(f"{URL}movements/{pk}/results/"))
    [table] = results["models"]
    [row] = table["rows"]
    cells = {c["code"]: cell for c, cell in zip(table["criteria"], row["cells"], strict=True)}
    assert cells["2"] == {
        "criterion": leaf(cs, "2"),
        "points": 32.08,
        "self_points": 40,
        "passed": None,
        "scorers": 3,
    }
    assert cells["0.1"]["passed"] is True
    assert row["final_score"] == 85.08 and row["self_total"] == 95.75 and row["rank"] == 1
    assert len(results["content_hash"]) == 64
    listed = ok(api("office").get(f"{URL}registrations/", {"movement": pk}))["results"]
    assert {r["id"]: r["final_score"] for r in listed} == {reg: None, province["id"]: None}

    story = "Cách làm hay: giao khoán doanh thu đến từng tổ."
    assert ok(manager.post(f"{URL}registrations/{reg}/exemplar/", {"story": story}, format="json"))[
        "exemplar"
    ]
    assert ok(manager.post(f"{URL}movements/{pk}/advance/"))["status"] == "published"

    # Published: public to everyone the movement reaches, self-score beside the council's score.
    for reader in ("member", "secretary", "office", "leader", council[0]):
        public = ok(api(reader).get(f"{URL}movements/{pk}/results/"))
        assert public["models"][0]["rows"][0]["exemplar_story"] == story
        assert public["models"][0]["rows"][0]["final_score"] == 85.08
    assert api("outsider").get(f"{URL}movements/{pk}/results/").status_code == 404
    assert api("norole").get(f"{URL}movements/{pk}/results/").status_code == 404
    member_card = ok(api("member").get(f"{URL}registrations/{reg}/"))
    result = {r["code"]: r["result"] for r in member_card["card"]}["2"]
    assert result == {"points": 32.08, "self_points": 40, "passed": None, "scorers": 3}
    assert member_card["final_score"] == 85.08
    listed = ok(api("member").get(f"{URL}registrations/", {"movement": pk, "status": "approved"}))["results"]
    assert [(r["id"], r["final_score"], r["rank"]) for r in listed] == [(reg, 85.08, 1)]


# --- Scope ---------------------------------------------------------------------------------------


def test_movements_and_registrations_are_listed_as_on_the_pages(world: World) -> None:
    cs = criteria(world)
    running = movement(world)
    model = model_of(world, running, cs)
    services.movement_advance(actor=world.users["emulation"], movement=running)
    reg = services.register(actor=world.users["office"], model=model, organisation=world.cell_b)
    draft = movement(world)
    seat = make_user("hd-ngoai")  # no role in the tree: the council seat is the credential
    services.council_add(actor=world.users["emulation"], movement=running, user=seat)

    def movement_ids(user: Any, **params: Any) -> list[int]:
        return [m["id"] for m in ok(api(user).get(f"{URL}movements/", params))["results"]]

    def registration_ids(user: Any, **params: Any) -> list[int]:
        return [r["id"] for r in ok(api(user).get(f"{URL}registrations/", params))["results"]]

    assert movement_ids("emulation") == [draft.pk, running.pk]
    assert movement_ids("member") == [running.pk]  # read upward; a draft only by those who run it
    assert movement_ids(seat) == [running.pk]
    assert movement_ids("outsider") == [] and movement_ids("norole") == []
    assert movement_ids("emulation", status="draft") == [draft.pk]
    assert movement_ids("member", q="DAN VAN kheo") == [running.pk]
    assert movement_ids("member", q="khong co") == []
    assert registration_ids("member") == [reg.pk] and registration_ids(seat, movement=running.pk) == [reg.pk]
    assert registration_ids("outsider") == [] and registration_ids("member", movement=draft.pk) == []
    assert registration_ids("member", model=model.pk, status="pending") == [reg.pk]
    assert registration_ids("member", movement="abc") == []
    bad = api("member").get(f"{URL}movements/", {"status": "done"})
    assert bad.status_code == 400 and bad.json() == {"status": ["Hãy chọn tình trạng trong danh sách."]}
    assert api("outsider").get(f"{URL}movements/{running.pk}/").status_code == 404
    assert api("outsider").get(f"{URL}registrations/{reg.pk}/").status_code == 404
    assert api("member").post(f"{URL}movements/{running.pk}/advance/").status_code == 403
    assert api("office").post(f"{URL}registrations/{reg.pk}/approve/").status_code == 403
    assert Registration.objects.get(pk=reg.pk).status == Registration.Status.PENDING
    assert Movement.objects.get(pk=running.pk).status == Movement.Status.REGISTRATION


def test_a_member_of_the_council_reads_the_card_but_scores_only_as_themself(world: World) -> None:
    cs = criteria(world)
    m = movement(world)
    model = model_of(world, m, cs)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    reg = services.register(actor=world.users["office"], model=model, organisation=world.cell_b)
    services.registration_decide(actor=world.users["emulation"], registration=reg, approve=True)
    seat = make_user("hd-doc-lap")
    services.council_add(actor=world.users["emulation"], movement=m, user=seat)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    body = {"scores": [{"criterion": leaf(cs, "2"), "points": 30}]}
    # Self-scoring is for those who act for the cell, not for the council …
    assert api(seat).post(f"{URL}registrations/{reg.pk}/self-scores/", body, format="json").status_code == 403
    # … and council scoring for the council, not for the office that registered the cell.
    assert (
        api("office").post(f"{URL}registrations/{reg.pk}/council-scores/", body, format="json").status_code
        == 403
    )
    assert not Score.objects.exists()
    card = ok(api(seat).get(f"{URL}registrations/{reg.pk}/"))
    assert card["roles"] == {"manage": False, "act": False, "council": True, "conflict": False}
    assert [r["code"] for r in card["card"]] == [r.code for r in ROWS]


def test_a_person_registers_themself_for_a_model_open_to_individuals(world: World) -> None:
    cs = criteria(world)
    m = movement(world)
    services.model_add(
        actor=world.users["emulation"],
        movement=m,
        data=services.ModelInput(
            name="Cá nhân dân vận khéo",
            field="society",
            criteria_set=cs,
            for_collectives=False,
            for_individuals=True,
        ),
    )
    services.movement_advance(actor=world.users["emulation"], movement=m)
    person = org_services.person_create(
        actor=None, full_name="Nguyễn Thị Mẫu", organisation=world.cell_a, user=world.users["member"]
    )
    model = m.models.get()
    body = {"model": model.pk, "person": person.pk, "plan": "Vận động khách hàng dùng dịch vụ số"}
    registered = ok(api("member").post(f"{URL}registrations/", body, format="json"), 201)
    assert registered["subject_kind"] == "person" and registered["subject_name"] == "Nguyễn Thị Mẫu"
    # Nobody registers someone else without the entry permission over their organisation.
    other = org_services.person_create(actor=None, full_name="Trần Văn Khác", organisation=world.cell_b)
    response = api("member").post(f"{URL}registrations/", {**body, "person": other.pk}, format="json")
    assert response.status_code == 403
    assert Registration.objects.count() == 1


def test_a_pending_registration_is_withdrawn_and_an_approved_one_is_not(world: World) -> None:
    cs = criteria(world)
    m = movement(world)
    model = model_of(world, m, cs)
    services.movement_advance(actor=world.users["emulation"], movement=m)
    body = {"model": model.pk, "organisation": world.cell_b.pk}
    first = ok(api("office").post(f"{URL}registrations/", body, format="json"), 201)
    assert api("member").post(f"{URL}registrations/{first['id']}/withdraw/").status_code in (403, 404)
    assert api("office").post(f"{URL}registrations/{first['id']}/withdraw/").status_code == 204
    assert not Registration.objects.filter(pk=first["id"]).exists()
    again = ok(api("office").post(f"{URL}registrations/", body, format="json"), 201)
    ok(api("emulation").post(f"{URL}registrations/{again['id']}/approve/"))
    refused = api("office").post(f"{URL}registrations/{again['id']}/withdraw/")
    assert refused.status_code == 400 and "chờ duyệt" in str(refused.json())
    assert Registration.objects.get(pk=again["id"]).status == Registration.Status.APPROVED


# --- Query counts --------------------------------------------------------------------------------


def test_lists_cost_the_same_queries_whatever_the_number_of_rows(
    world: World, django_assert_max_num_queries: Any
) -> None:
    cs = criteria(world)
    client = api("office")

    def add_movements(n: int) -> None:
        for _ in range(n):
            m = movement(world)
            model = model_of(world, m, cs)
            services.movement_advance(actor=world.users["emulation"], movement=m)
            for organisation in (world.cell_a, world.cell_b):
                services.register(actor=world.users["office"], model=model, organisation=organisation)

    for n in (1, 6):
        add_movements(n)
        for path in ("movements/", "registrations/", "criteria-sets/"):
            with django_assert_max_num_queries(5):
                assert client.get(f"{URL}{path}").status_code == 200
    assert ok(client.get(f"{URL}registrations/"))["count"] == 14
    newest = Movement.objects.order_by("-pk").first()
    assert newest is not None
    with django_assert_max_num_queries(11):
        assert client.get(f"{URL}movements/{newest.pk}/").status_code == 200
