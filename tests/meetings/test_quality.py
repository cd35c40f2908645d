"""Meeting quality over last year, built through the services: cell A (seven members) meets monthly
except in August (cancelled), holds a thematic meeting every quarter, sends its documents late
twice and seals two sets of minutes; cell B (four members) meets every month but never holds a
thematic meeting and left March's attendance unfinished. The figures of each cell, the roll-ups
above them, each member's attendance and flags, the periods, the scope, the pages and the API."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dangbo.meetings import quality, services
from dangbo.meetings.models import Meeting
from dangbo.orgs import services as org_services
from dangbo.rules.meetings import Shortfall
from dangbo.rules.roles import Role
from tests.conftest import make_user
from tests.documents.conftest import admit_member
from tests.helpers import PASSWORD, client_for, suite_today
from tests.meetings.conftest import full, mark, plan
from tests.xlsx_checks import assert_print_ready, texts

pytestmark = pytest.mark.django_db

TODAY = suite_today()
YEAR = TODAY.year - 1
M, S = Shortfall.MONTHS, Shortfall.THEMATIC

CUC, DUNG, EM, HAI = "Lê Thị Cúc", "Phạm Văn Dũng", "Hoàng Thị Em", "Đỗ Văn Hải"
GIANG, HOA = "Vũ Văn Giang", "Ngô Thị Hoa"
# Cell A's absences: Cúc without a reason in three months, Dũng with one four meetings in a row,
# Em three in a row (not flagged), Hải excused from party activity in December.
ABSENT_A = {
    (1, 10): {CUC: "unexcused"},
    (3, 10): {CUC: "unexcused"},
    (4, 10): {DUNG: "excused"},
    (5, 10): {DUNG: "excused"},
    (5, 20): {DUNG: "excused"},
    (6, 10): {CUC: "unexcused", DUNG: "excused"},
    (9, 10): {EM: "excused"},
    (9, 20): {EM: "excused"},
    (10, 10): {EM: "excused"},
    (12, 10): {HAI: "exempt"},
}
THEMATIC_A = {(2, 20), (5, 20), (9, 20), (11, 20)}
LATE_DOCUMENTS_A = {(3, 10), (10, 10)}


def at(month: int, day: int, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime(YEAR, month, day, hour))


def hold(world, cell, organisation, when, absent, *, kind="cell_regular", leave_unrecorded=()) -> Meeting:
    office = world.users["office"]
    extra = {"topic": "Học tập và làm theo tư tưởng Hồ Chí Minh"} if kind == "cell_thematic" else {}
    meeting = plan(
        world, cell, held=True, organisation=organisation, starts_at=when, kind=kind, actor=office, **extra
    )
    marks = {
        pk: value
        for pk, value in mark(meeting, **absent).items()
        if meeting.attendees.get(pk=pk).name not in leave_unrecorded
    }
    services.attendance_record(actor=office, meeting=meeting, marks=marks)
    return meeting


def seal(cell, meeting: Meeting) -> None:
    services.minutes_save(
        actor=cell.secretary_user,
        meeting=meeting,
        data=services.MinutesInput(
            opened_at=meeting.starts_at,
            closed_at=meeting.starts_at + dt.timedelta(hours=2),
            proceedings="Đánh giá công tác tháng",
            conclusions="Thống nhất chương trình tháng tới",
        ),
    )
    services.minutes_sign(actor=cell.chair_user, meeting=meeting)
    services.minutes_sign(actor=cell.secretary_user, meeting=meeting)


@dataclass
class Year:
    cell_a: Any
    cell_b: Any


@pytest.fixture
def year(world, cell) -> Year:
    for name, national_id in (
        (HOA, "001075000008"),
        ("Lý Văn Khoa", "001075000009"),
        ("Mai Thị Xuân", "001075000010"),
    ):
        full(admit_member(world.cell_b, name, national_id))
    days = sorted({(m, 10) for m in range(1, 13) if m != 8} | THEMATIC_A)
    for month, day in days:
        kind = "cell_thematic" if (month, day) in THEMATIC_A else "cell_regular"
        meeting = hold(world, cell, world.cell_a, at(month, day), ABSENT_A.get((month, day), {}), kind=kind)
        # No service sends invitations yet: the day they went out is set as the office would record it.
        ahead = dt.timedelta(hours=2) if (month, day) in LATE_DOCUMENTS_A else dt.timedelta(days=2)
        Meeting.objects.filter(pk=meeting.pk).update(invited_at=meeting.starts_at - ahead)
        if (month, day) in {(1, 10), (2, 10)}:
            seal(cell, meeting)
    # August's meeting was planned, then cancelled (moved back to its day, as if the months had passed).
    august = plan(world, cell, starts_at=timezone.now() + dt.timedelta(days=10))
    services.meeting_cancel(actor=world.users["secretary"], meeting=august, reason="Trùng lịch đại hội")
    Meeting.objects.filter(pk=august.pk).update(starts_at=at(8, 10))
    for month in range(1, 13):
        hold(
            world,
            cell,
            world.cell_b,
            at(month, 12),
            {HOA: "excused"} if month == 1 else {},
            leave_unrecorded=(GIANG,) if month == 3 else (),
        )
    return Year(world.cell_a, world.cell_b)


def rows_by_name(table: quality.QualityTable) -> dict[str, quality.QualityRow]:
    return {row.organisation.name: row for row in table.rows}


def test_the_year_of_each_cell_and_the_roll_up_above_them(world, year):
    table = quality.quality_table(world.users["office"], quality.Period(YEAR), TODAY)
    assert table.until == dt.date(YEAR, 12, 31)
    assert [(r.organisation.name, r.depth) for r in table.rows] == [
        ("Đảng bộ Tổng công ty Thử nghiệm", 0),
        ("Đảng bộ Cơ quan", 1),
        ("Chi bộ Ban Đầu tư", 2),
        ("Chi bộ Văn phòng", 2),
    ]
    rows = rows_by_name(table)
    a, b = rows["Chi bộ Văn phòng"], rows["Chi bộ Ban Đầu tư"]
    q = a.figures
    assert (q.months, q.months_with_regular, q.missing_months) == (12, 11, ((YEAR, 8),))
    assert (a.regular, q.thematic, q.quarters, q.quarters_with_thematic) == (11, 4, 4, 4)
    assert [(m.quarter, m.thematic) for m in a.quarters] == [(1, True), (2, True), (3, True), (4, True)]
    # 15 meetings of 7 members, less Hải excused from activity in December: 104; 10 absences.
    assert (q.summoned, q.present, a.attendance_percent) == (104, 94, Decimal("90.4"))
    assert q.meetings_below_target == 1  # June: 5 of 7
    assert (q.documents_sent, q.documents_on_time, a.cancelled, a.sealed) == (15, 13, 1, 2)
    assert a.shortfalls == {M, Shortfall.DOCUMENTS} and a.up_to_standard is False
    q = b.figures
    # March's attendance was never finished: the meeting is not valid, the month is missing.
    assert (q.months, q.months_with_regular, q.missing_months) == (12, 11, ((YEAR, 3),))
    assert (b.regular, q.thematic, q.quarters_with_thematic) == (12, 0, 0)
    assert (q.summoned, q.present, b.attendance_percent) == (48, 46, Decimal("95.8"))
    assert (q.meetings_below_target, q.documents_sent, b.cancelled, b.sealed) == (2, 0, 0, 0)
    assert b.shortfalls == {M, S}
    for name in ("Đảng bộ Cơ quan", "Đảng bộ Tổng công ty Thử nghiệm"):
        up = rows[name]
        q = up.figures
        assert not up.is_cell and (up.cells, up.cells_up_to_standard) == (2, 0)
        assert (q.months, q.months_with_regular, up.regular, q.thematic) == (24, 22, 23, 4)
        assert (q.quarters, q.quarters_with_thematic, up.cancelled, up.sealed) == (8, 4, 1, 2)
        assert (q.summoned, q.present, up.attendance_percent) == (152, 140, Decimal("92.1"))
        assert (q.meetings_below_target, q.documents_sent, q.documents_on_time) == (3, 15, 13)
        assert up.shortfalls == {M, S, Shortfall.DOCUMENTS}


def test_a_quarter_and_a_month(world, year):
    office = world.users["office"]
    a = rows_by_name(quality.quality_table(office, quality.Period(YEAR, quarter=3), TODAY))[
        "Chi bộ Văn phòng"
    ]
    q = a.figures
    assert (q.months, q.months_with_regular, q.meetings, q.thematic) == (3, 2, 3, 1)
    assert (q.quarters, q.quarters_with_thematic, a.cancelled) == (1, 1, 1)
    assert (q.summoned, q.present, a.attendance_percent) == (21, 19, Decimal("90.5"))
    assert a.shortfalls == {M}
    june = rows_by_name(quality.quality_table(office, quality.Period(YEAR, month=6), TODAY))
    a = june["Chi bộ Văn phòng"]
    # One month asks for no thematic meeting (quarters are judged whole); attendance 5 of 7 misses.
    assert (a.figures.months, a.figures.quarters, a.figures.summoned, a.figures.present) == (1, 0, 7, 5)
    assert a.attendance_percent == Decimal("71.4") and a.shortfalls == {Shortfall.ATTENDANCE}
    assert june["Chi bộ Ban Đầu tư"].up_to_standard is True
    assert (june["Đảng bộ Cơ quan"].cells_up_to_standard, june["Đảng bộ Cơ quan"].up_to_standard) == (
        1,
        False,
    )


def test_each_member_with_the_absence_flags(world, year):
    seen = quality.member_attendance(world.users["secretary"], world.cell_a, quality.Period(YEAR), TODAY)
    by_name = {m.name: m for m in seen.members}
    # Vietnamese order by given name: Bình, Cúc, Dũng, Em, Hải, Khánh, Lan.
    assert [m.name.split()[-1] for m in seen.members] == ["Bình", "Cúc", "Dũng", "Em", "Hải", "Khánh", "Lan"]
    cuc, dung, em, hai = by_name[CUC], by_name[DUNG], by_name[EM], by_name[HAI]
    assert (cuc.summoned, cuc.present, cuc.unexcused, cuc.attendance_percent) == (15, 12, 3, Decimal("80.0"))
    assert cuc.flags.unexcused == 3 and cuc.flags.removal_review and not cuc.flags.excused_run
    assert (dung.present, dung.excused, dung.flags.longest_excused_run) == (11, 4, 4)
    assert dung.flags.excused_run and not dung.flags.removal_review
    assert (em.excused, em.flags.longest_excused_run, em.flags.flagged) == (3, 3, False)
    assert (hai.summoned, hai.present, hai.exempt, hai.attendance_percent) == (15, 14, 1, Decimal("100.0"))
    assert [m.name for m in seen.flagged] == [CUC, DUNG]
    # Up to the end of May, Cúc has missed two months without reason: not flagged yet.
    may = quality.member_attendance(
        world.users["secretary"], world.cell_a, quality.Period(YEAR, month=5), TODAY
    )
    cuc = {m.name: m for m in may.members}[CUC]
    assert (cuc.summoned, cuc.present) == (2, 2) and cuc.flags.unexcused == 2 and not cuc.flags.flagged
    b = quality.member_attendance(world.users["office"], world.cell_b, quality.Period(YEAR), TODAY)
    giang = {m.name: m for m in b.members}[GIANG]
    assert (giang.summoned, giang.present, giang.unrecorded) == (12, 11, 1)


def test_a_month_is_judged_once_it_is_over():
    period = quality.Period(2026, quarter=4)
    assert period.judged_until(dt.date(2026, 11, 21)) == dt.date(2026, 10, 31)
    assert period.judged_until(dt.date(2026, 10, 3)) < period.first  # nothing to judge yet
    assert period.judged_until(dt.date(2027, 1, 1)) == dt.date(2026, 12, 31)
    # a cell dissolved on 15/11 is judged on October, the last month it lived through
    assert period.judged_until(dt.date(2027, 1, 1), dt.date(2026, 11, 15)) == dt.date(2026, 10, 31)


def test_a_cell_dissolved_in_the_year_is_asked_only_for_the_months_it_lived_through(world, year):
    org_services.organisation_merge(
        actor=None, source=world.cell_b, target=world.cell_a, on=dt.date(YEAR, 7, 15)
    )
    rows = rows_by_name(quality.quality_table(world.users["office"], quality.Period(YEAR), TODAY))
    b = rows["Chi bộ Ban Đầu tư"]
    assert b.organisation.dissolved_on == dt.date(YEAR, 7, 15)
    assert (b.figures.months, b.figures.months_with_regular, b.figures.quarters, b.regular) == (6, 5, 2, 6)


def test_each_user_sees_only_the_cells_of_their_scope(world, year):
    secretary_b = make_user("secretary_b", role=Role.CELL_SECRETARY, organisation=world.cell_b)
    table = quality.quality_table(secretary_b, quality.Period(YEAR), TODAY)
    assert [(r.organisation.name, r.is_cell, r.depth) for r in table.rows] == [("Chi bộ Ban Đầu tư", True, 0)]
    with pytest.raises(PermissionDenied):
        quality.member_attendance(secretary_b, world.cell_a, quality.Period(YEAR), TODAY)
    with pytest.raises(PermissionDenied):
        quality.quality_table(world.users["member"], quality.Period(YEAR), TODAY)
    page = _login(secretary_b).get(reverse("meetings:quality"), {"nam": YEAR})
    assert page.status_code == 200
    assert "Chi bộ Ban Đầu tư" in page.content.decode() and "Chi bộ Văn phòng" not in page.content.decode()
    assert (
        _login(secretary_b).get(reverse("meetings:quality_cell", args=[world.cell_a.pk])).status_code == 404
    )
    member = client_for("member")
    assert member.get(reverse("meetings:quality")).status_code == 403
    assert member.get(reverse("meetings:quality_cell", args=[world.cell_a.pk])).status_code == 403
    api = APIClient()
    api.force_authenticate(world.users["member"])
    assert api.get("/api/v1/meeting-quality/", {"year": YEAR}).status_code == 403
    assert api.get(f"/api/v1/meeting-quality/{world.cell_a.pk}/members/").status_code == 403
    api.force_authenticate(secretary_b)
    assert api.get(f"/api/v1/meeting-quality/{world.cell_a.pk}/members/").status_code == 404
    assert [
        r["name"] for r in api.get("/api/v1/meeting-quality/", {"year": YEAR}).json()["organisations"]
    ] == ["Chi bộ Ban Đầu tư"]


def _login(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_pages_show_the_figures_vietnamese_style(world, year):
    office = client_for("office")
    page = office.get(reverse("meetings:quality"), {"nam": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert "92,1 %" in html and "90,4 %" in html and "95,8 %" in html
    assert "140/152" in html and "11/12" in html and "22/24" in html
    assert reverse("meetings:quality_cell", args=[world.cell_a.pk]) + f"?nam={YEAR}" in html
    cell_page = office.get(reverse("meetings:quality_cell", args=[world.cell_a.pk]), {"nam": YEAR, "quy": 2})
    assert cell_page.status_code == 200
    html = cell_page.content.decode()
    assert CUC in html and DUNG in html and "table-warning" in html
    listing = office.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:quality") in listing
    assert (
        reverse("meetings:quality") not in client_for("member").get(reverse("meetings:list")).content.decode()
    )


def test_a_bad_period_on_the_page_is_a_400_showing_the_current_year(world):
    response = client_for("office").get(reverse("meetings:quality"), {"nam": "20x6"})
    assert response.status_code == 400 and response.context["period"] == quality.Period(TODAY.year)


def test_the_excel_file_has_the_page_figures(world, year):
    response = client_for("office").get(reverse("meetings:quality"), {"nam": YEAR, "tai": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert f"chat-luong-sinh-hoat-{YEAR}.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    head = assert_print_ready(sheet, "Tổ chức", landscape=True)
    heading = texts(sheet, range(1, head))
    assert "CHẤT LƯỢNG SINH HOẠT CHI BỘ" in heading and "ĐẢNG BỘ TỔNG CÔNG TY THỬ NGHIỆM" in heading
    assert any(t.startswith(f"Ngày xuất: {suite_today():%d/%m/%Y} · Người xuất: ") for t in heading)
    rows = list(sheet.iter_rows(min_row=head + 1, values_only=True))
    assert [r[0] for r in rows] == [
        "Đảng bộ Tổng công ty Thử nghiệm",
        "Đảng bộ Cơ quan",
        "Chi bộ Ban Đầu tư",
        "Chi bộ Văn phòng",
    ]
    cell_a = rows[3]
    # cells, months judged, with a meeting, regular, thematic, quarters, with a thematic, cancelled,
    # summoned, present, attendance %, below target, documents sent, on time, minutes sealed
    assert cell_a[1:16] == (1, 12, 11, 11, 4, 4, 4, 1, 104, 94, 90.4, 1, 15, 13, 2)
    assert rows[1][9:12] == (152, 140, 92.1)


def test_the_api_gives_the_page_figures(world, year):
    api = APIClient()
    assert api.login(username="office", password=PASSWORD)
    body = api.get("/api/v1/meeting-quality/", {"year": YEAR}).json()
    assert body["period"] == {
        "year": YEAR,
        "quarter": None,
        "month": None,
        "first": f"{YEAR}-01-01",
        "last": f"{YEAR}-12-31",
    }
    assert body["judged_until"] == f"{YEAR}-12-31"
    table = quality.quality_table(world.users["office"], quality.Period(YEAR), TODAY)
    assert [r["id"] for r in body["organisations"]] == [r.organisation.pk for r in table.rows]
    a = next(r for r in body["organisations"] if r["id"] == world.cell_a.pk)
    assert {k: a[k] for k in ("months", "months_with_meeting", "regular_held", "thematic_held")} == {
        "months": 12,
        "months_with_meeting": 11,
        "regular_held": 11,
        "thematic_held": 4,
    }
    assert a["missing_months"] == [f"{YEAR}-08"] and a["attendance_percent"] == 90.4
    assert (a["summoned"], a["present"], a["cancelled"], a["minutes_sealed"]) == (104, 94, 1, 2)
    assert a["shortfalls"] == ["months", "documents"] and a["up_to_standard"] is False
    up = next(r for r in body["organisations"] if r["name"] == "Đảng bộ Cơ quan")
    assert (up["cells"], up["summoned"], up["present"], up["attendance_percent"]) == (2, 152, 140, 92.1)
    assert up["missing_months"] == [] and up["up_to_standard"] is False
    q3 = api.get(
        "/api/v1/meeting-quality/", {"year": YEAR, "quarter": 3, "organisation": world.cell_a.pk}
    ).json()
    assert [(r["name"], r["months_with_meeting"], r["attendance_percent"]) for r in q3["organisations"]] == [
        ("Chi bộ Văn phòng", 2, 90.5)
    ]
    members = api.get(f"/api/v1/meeting-quality/{world.cell_a.pk}/members/", {"year": YEAR}).json()
    cuc = next(m for m in members["members"] if m["name"] == CUC)
    assert (cuc["summoned"], cuc["present"], cuc["unexcused"], cuc["attendance_percent"]) == (15, 12, 3, 80.0)
    assert cuc["removal_review"] and cuc["flagged"] and cuc["unexcused_months"] == 3
    assert [m["name"] for m in members["members"] if m["flagged"]] == [CUC, DUNG]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"year": "20x6"}, "year"),
        ({"year": "1999"}, "year"),
        ({"year": str(TODAY.year + 1)}, "year"),
        ({"year": "²⁰²⁶"}, "year"),
        ({"quarter": "5"}, "quarter"),
        ({"quarter": "-1"}, "quarter"),
        ({"month": "13"}, "month"),
        ({"quarter": "2", "month": "5"}, "month"),
        ({"organisation": "abc"}, "organisation"),
        ({"organisation": "99999999999999999999"}, "organisation"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(world, query, parameter):
    api = APIClient()
    assert api.login(username="office", password=PASSWORD)
    response = api.get("/api/v1/meeting-quality/", query)
    assert response.status_code == 400 and list(response.json()) == [parameter], response.content
    if parameter != "organisation":
        response = api.get(f"/api/v1/meeting-quality/{world.cell_a.pk}/members/", query)
        assert response.status_code == 400 and list(response.json()) == [parameter]


def test_an_organisation_outside_the_scope_is_a_400(world):
    api = APIClient()
    assert api.login(username="office", password=PASSWORD)
    response = api.get("/api/v1/meeting-quality/", {"organisation": world.other_cell.pk})
    assert response.status_code == 400 and "organisation" in response.json()


def _cells(world, n: int) -> None:
    """`n` cells under the grassroots committee, each with two meetings held last year."""
    for i in range(n):
        cell = org_services.organisation_create(
            actor=None, parent=world.grassroots, name=f"Chi bộ Phòng số {i + 1}", kind="cell"
        )
        for month in (2, 3):
            services.meeting_plan(
                actor=None,
                organisation=cell,
                held=True,
                data=services.MeetingInput(kind="cell_regular", starts_at=at(month, 5)),
            )


@pytest.mark.parametrize("cells", [2, 20])
def test_the_queries_do_not_grow_with_the_cells(world, cells, django_assert_max_num_queries):
    _cells(world, cells)
    office = world.users["office"]
    with django_assert_max_num_queries(4):
        table = quality.quality_table(office, quality.Period(YEAR), TODAY)
    assert sum(1 for r in table.rows if r.is_cell) == cells + 2
    assert rows_by_name(table)["Chi bộ Phòng số 1"].figures.meetings == 2
    client = client_for("office")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:quality"), {"nam": YEAR}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:quality"), {"nam": YEAR, "tai": "xlsx"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/meeting-quality/", {"year": YEAR}).status_code == 200
