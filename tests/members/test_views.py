"""Register and member card as users meet them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from openpyxl.utils import get_column_letter

from dangbo.core.models import AuditEvent
from dangbo.core.names import user_name
from dangbo.members.services import member_admit, member_record_event
from dangbo.orgs import services as org_services
from dangbo.rules.vietnamese import format_date
from tests.helpers import client_for, suite_today
from tests.xlsx_checks import assert_print_ready, header_row, texts, width_in_zeros

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def members(world):
    made = []
    for name, cell, nid in [
        ("Nguyễn Văn Đức", world.cell_a, "001080000001"),
        ("Trần Thị Ánh", world.cell_a, "001080000002"),
        ("Lê Văn Dũng", world.cell_b, "001080000003"),
    ]:
        person = org_services.person_create(
            actor=None, full_name=name, birth_date=D(1980, 1, 1), organisation=cell
        )
        made.append(
            member_admit(
                actor=None, person=person, organisation=cell, admitted_on=D(2005, 5, 19), national_id=nid
            )
        )
    return made


def test_register_of_a_subtree_sorted_by_given_name_with_masked_ids(world, members):
    html = client_for("office").get(reverse("members:register", args=[world.grassroots.pk])).content.decode()
    assert html.index("Trần Thị Ánh") < html.index("Lê Văn Dũng") < html.index("Nguyễn Văn Đức")  # a < d < đ
    assert "001080000001" not in html and "•••••••••001" in html


def test_register_search_is_accent_insensitive_and_scoped(world, members):
    html = (
        client_for("secretary")
        .get(reverse("members:register", args=[world.cell_a.pk]), {"q": "nguyen van duc"})
        .content.decode()
    )
    assert "Nguyễn Văn Đức" in html and "Trần Thị Ánh" not in html
    assert client_for("secretary").get(reverse("members:register", args=[world.cell_b.pk])).status_code == 404


def test_member_card_shows_party_age_timeline_and_next_badge(world, members):
    member = members[0]
    member_record_event(actor=None, member=member, kind="full_member", on=D(2006, 5, 19))
    html = client_for("member").get(reverse("members:card", args=[member.pk])).content.decode()
    assert "19/05/2005" in html and "Kết nạp" in html and "Công nhận đảng viên chính thức" in html
    assert "19/05/2035" in html  # the 30-year badge


def test_full_identity_number_only_for_roles_that_need_it_and_each_view_is_logged(world, members):
    member = members[0]
    url = reverse("members:card", args=[member.pk])
    assert client_for("member").post(url, {"show_identity": "1"}).status_code == 403
    office = client_for("office")
    assert "001080000001" not in office.get(url).content.decode()
    html = office.post(url, {"show_identity": "1"}).content.decode()
    assert "001080000001" in html
    assert AuditEvent.objects.filter(action="member.view_identity", actor_label="office").count() == 1


def test_register_query_count_does_not_grow_with_size(world, members, django_assert_max_num_queries):
    client = client_for("office")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("members:register", args=[world.tct.pk])).status_code == 200


def _member(world, name: str, admitted: dt.date, cell=None):
    person = org_services.person_create(
        actor=None, full_name=name, birth_date=D(1960, 1, 1), organisation=cell or world.cell_a
    )
    return member_admit(
        actor=None,
        person=person,
        organisation=cell or world.cell_a,
        admitted_on=admitted,
        higher_approval=True,
    )


def test_badge_list_for_a_ceremony_follows_the_anniversary_and_the_gaps(world):
    due = _member(world, "Phạm Văn Ba Mươi", D(1996, 2, 1))
    member_record_event(actor=None, member=due, kind="full_member", on=D(1997, 2, 1))
    late = _member(world, "Hoàng Thị Chuyển", D(1996, 1, 20))
    member_record_event(actor=None, member=late, kind="full_member", on=D(1997, 1, 20))
    member_record_event(actor=None, member=late, kind="transfer_out", on=D(2000, 3, 1))
    member_record_event(
        actor=None, member=late, kind="transfer_in", on=D(2000, 3, 31), to_organisation=world.cell_a
    )
    client = client_for("office")
    url = reverse("members:badges", args=[world.tct.pk])
    html = client.get(url, {"ngay": "2026-02-03"}).content.decode()
    assert "Phạm Văn Ba Mươi" in html and "01/02/2026" in html
    assert "Hoàng Thị Chuyển" not in html  # 30 days outside: due 19/02/2026, so at the 19/5 ceremony
    html = client.get(url, {"ngay": "2026-05-19"}).content.decode()
    assert "Hoàng Thị Chuyển" in html and "19/02/2026" in html and "Phạm Văn Ba Mươi" not in html


def test_probation_list_shows_who_ends_within_ninety_days(world):
    from django.utils import timezone

    from dangbo.rules.membership import add_months

    today = timezone.localdate()
    soon = _member(world, "Vũ Thị Sắp", add_months(today, -12) + dt.timedelta(days=20))
    _member(world, "Đặng Văn Còn Lâu", add_months(today, -12) + dt.timedelta(days=120))
    html = client_for("secretary").get(reverse("members:probation", args=[world.cell_a.pk])).content.decode()
    assert "Vũ Thị Sắp" in html and "Đặng Văn Còn Lâu" not in html
    assert ">20<" in html.replace(" ", "")
    assert soon.status == "probationary"


def test_statistics_of_a_subtree_by_every_dimension_in_one_query(world, django_assert_max_num_queries):
    from django.utils import timezone

    from dangbo.members.selectors import statistics
    from dangbo.rules.membership import add_months

    today = timezone.localdate()
    rows = [
        (
            "Nguyễn Văn Một",
            "male",
            add_months(today, -12 * 25),
            add_months(today, -12 * 3),
            "Kinh",
            world.cell_a,
        ),
        (
            "Trần Thị Hai",
            "female",
            add_months(today, -12 * 45),
            add_months(today, -12 * 22),
            "Tày",
            world.cell_a,
        ),
        ("Lê Văn Ba", "male", add_months(today, -12 * 62), add_months(today, -12 * 41), "Kinh", world.cell_b),
    ]
    for name, gender, born, admitted, ethnicity, cell in rows:
        person = org_services.person_create(
            actor=None, full_name=name, gender=gender, birth_date=born, organisation=cell
        )
        member_admit(actor=None, person=person, organisation=cell, admitted_on=admitted, ethnicity=ethnicity)
    removed = member_admit(
        actor=None,
        organisation=world.cell_a,
        admitted_on=D(2010, 1, 1),
        person=org_services.person_create(actor=None, full_name="Đỗ Văn Bốn", organisation=world.cell_a),
    )
    member_record_event(actor=None, member=removed, kind="removed", on=D(2012, 1, 1))
    office = world.users["office"]
    with django_assert_max_num_queries(4):  # the counts' day (1), the grant (2) and the kept counts (1)
        stats = statistics(office, world.grassroots, today)
    assert stats.total == 3
    assert dict(stats.by["gender"]) == {"male": 2, "female": 1}
    assert dict(stats.by["ethnicity"]) == {"Kinh": 2, "Tày": 1}
    assert dict(stats.by["age_band"]) == {0: 1, 40: 1, 60: 1}
    assert dict(stats.by["party_age_band"]) == {0: 1, 20: 1, 40: 1}
    assert dict(stats.by["status"]) == {"probationary": 3}
    assert statistics(world.users["secretary"], world.cell_a, today).total == 2
    html = (
        client_for("office").get(reverse("members:statistics", args=[world.grassroots.pk])).content.decode()
    )
    assert "Dưới 30" in html and "60 trở lên" in html and "66,7%" in html
    # nobody's schooling is recorded: "not recorded", not the attendance word "not yet marked"
    assert "Chưa ghi nhận" in html and "Chưa điểm danh" not in html


def test_export_csv_is_streamed_masked_and_formula_safe(world, members):
    member = members[0]
    member.notes = '=HYPERLINK("http://x")'
    member.save(update_fields=["notes"])
    response = client_for("office").get(reverse("members:export_csv", args=[world.grassroots.pk]))
    assert response.streaming and response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffSTT,Họ và tên")
    assert "Nguyễn Văn Đức" in text and "19/05/2005" in text
    assert "001080000001" not in text and "•••••••••001" in text
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert AuditEvent.objects.filter(action="member.export").exists()


def test_export_xlsx_opens_with_the_register(world, members, tmp_path):
    import openpyxl

    response = client_for("office").get(reverse("members:export_xlsx", args=[world.grassroots.pk]))
    path = tmp_path / "dv.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheet = openpyxl.load_workbook(path).active
    head = header_row(sheet, "STT")
    assert sheet.cell(head, 2).value == "Họ và tên"
    names = [sheet.cell(r, 2).value for r in range(head + 1, head + 4)]
    assert names == ["Trần Thị Ánh", "Lê Văn Dũng", "Nguyễn Văn Đức"]


def test_export_xlsx_is_fitted_and_ready_to_print_under_the_7_hsdv_heading(world, members, tmp_path):
    """Walkthrough M4: widths (dates never "########"), print setup, frozen header, the heading."""
    import openpyxl

    from dangbo.members.export import COLUMNS

    office = client_for("office")
    response = office.get(reverse("members:export_xlsx", args=[world.grassroots.pk]))
    path = tmp_path / "dv.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheet = openpyxl.load_workbook(path).active
    head = assert_print_ready(sheet, "STT", landscape=True)
    heading = texts(sheet, range(1, head))
    assert world.grassroots.name.upper() in heading and "ĐẢNG CỘNG SẢN VIỆT NAM" in heading
    assert "DANH SÁCH ĐẢNG VIÊN" in heading
    exporter = user_name(type(world.users["office"]).objects.select_related("person").get(username="office"))
    assert f"Ngày xuất: {suite_today():%d/%m/%Y} · Người xuất: {exporter}" in heading
    labels = [label for _, label in COLUMNS]
    birth = get_column_letter(labels.index("Ngày sinh") + 1)
    first = sheet[f"{birth}{head + 1}"]
    assert first.number_format == "dd/mm/yyyy" and first.font.name == "Times New Roman"
    assert sheet.column_dimensions[birth].width >= width_in_zeros("05/01/1986", first.font.name) + 1
    name = get_column_letter(labels.index("Họ và tên") + 1)
    longest = max(str(sheet[f"{name}{r}"].value) for r in range(head + 1, sheet.max_row + 1))
    assert sheet.column_dimensions[name].width >= width_in_zeros(longest, "Times New Roman")


def test_export_command_writes_the_file(world, members, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    target = tmp_path / "so.csv"
    out = StringIO()
    call_command("export", "members", str(target), "--org", str(world.cell_a.pk), stdout=out)
    assert "Đã xuất 2 đảng viên" in out.getvalue()
    assert "Lê Văn Dũng" not in target.read_text(encoding="utf-8")  # cell_b is outside cell_a


def test_export_queries_do_not_grow_with_the_number_of_members(world, members):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("office")
    url = reverse("members:export_csv", args=[world.grassroots.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(url).streaming_content)
        return len(captured.captured_queries)

    before = queries()
    for i in range(10):
        _member(world, f"Phan Văn Thêm {i}", D(2015, 1, 1))
    assert queries() == before


def test_secretary_records_an_admission_and_full_membership_from_the_pages(world):
    from dangbo.members.models import PartyMember

    person = org_services.person_create(
        actor=None, full_name="Mai Văn Mới", birth_date=D(1995, 4, 30), organisation=world.cell_a
    )
    client = client_for("secretary")
    response = client.post(
        reverse("members:admit", args=[world.cell_a.pk]),
        {"person": person.pk, "admitted_on": "2024-09-02", "decision_no": "15-QĐ/ĐU", "national_id": ""},
    )
    member = PartyMember.objects.get(person=person)
    assert response.status_code == 302 and member.status == "probationary"
    url = reverse("members:add_event", args=[member.pk])
    early = client.post(url, {"kind": "full_member", "on": "2025-06-01", "official": "on"}).content.decode()
    assert "Dữ liệu chưa được lưu" in early and "12 tháng" in early
    assert client.post(url, {"kind": "full_member", "on": "2025-09-10", "official": "on"}).status_code == 302
    member.refresh_from_db()
    assert member.status == "full" and member.full_on == D(2025, 9, 2)


def test_office_corrects_a_record_and_an_event_from_the_card(world, members):
    from dangbo.members.models import PartyMember

    member = members[0]
    client = client_for("office")
    card = client.get(reverse("members:card", args=[member.pk])).content.decode()
    assert "Sửa hồ sơ" in card and reverse("members:event_correct", args=[member.events.get().pk]) in card
    assert "Hủy (ghi nhầm)" not in card  # the admission cannot be taken back
    url = reverse("members:edit", args=[member.pk])
    form = client.get(url).content.decode()
    assert "Nguyễn Văn Đức" in form and "Dân tộc" in form and "Tôn giáo" in form
    bad = client.post(url, {"full_name": "Nguyễn Văn Đức", "national_id": "12ab", "ethnicity": "Kinh"})
    assert "Dữ liệu chưa được lưu" in bad.content.decode() and "12 chữ số" in bad.content.decode()
    member.refresh_from_db()
    assert member.ethnicity == "" and member.national_id == "001080000001"
    done = client.post(
        url,
        {
            "full_name": "Nguyễn Văn Đực",
            "gender": "male",
            "birth_date": "1980-01-02",
            "national_id": "001080000001",
            "ethnicity": "Kinh",
            "political_theory": "Trung cấp",
        },
    )
    assert done.status_code == 302
    member = PartyMember.objects.select_related("person").get(pk=member.pk)
    assert (member.person.full_name, member.person.birth_date, member.ethnicity) == (
        "Nguyễn Văn Đực",
        D(1980, 1, 2),
        "Kinh",
    )
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))[-2:]
    assert actions == ["person.update", "member.update"]
    # An event: corrected with a reason; the latest one taken back.
    admitted = member.events.get()
    url = reverse("members:event_correct", args=[admitted.pk])
    assert "Lý do sửa" in client.get(url).content.decode()
    missing = client.post(url, {"on": "2005-05-18"}).content.decode()
    assert "Dữ liệu chưa được lưu" in missing
    assert client.post(url, {"on": "2005-05-18", "official": "on", "reason": "Sai ngày"}).status_code == 302
    member.refresh_from_db()
    assert member.admitted_on == D(2005, 5, 18)
    event = member_record_event(actor=None, member=member, kind="removed", on=D(2020, 1, 1))
    card = client.get(reverse("members:card", args=[member.pk])).content.decode()
    assert reverse("members:event_remove", args=[event.pk]) in card
    response = client.post(reverse("members:event_remove", args=[event.pk]), {"reason": "Ghi nhầm người"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "probationary"  # as before the removal was recorded
    assert AuditEvent.objects.order_by("-pk").first().action == "member.event_remove"


def test_a_member_without_the_right_cannot_correct(world, members):
    member = members[0]
    client = client_for("member")
    assert client.get(reverse("members:edit", args=[member.pk])).status_code in (403, 404)
    response = client.post(reverse("members:edit", args=[member.pk]), {"full_name": "X", "ethnicity": "Tày"})
    assert response.status_code in (403, 404)
    member.refresh_from_db()
    assert member.ethnicity == ""


def test_the_next_page_of_a_search_keeps_the_search(db):
    import re
    from html import unescape

    from django.utils import timezone

    from dangbo.members.generate import generate_into_db
    from tests.conftest import make_user

    tree = generate_into_db(300, 3, timezone.localdate())
    make_user("root-pager", is_superuser=True)
    client = client_for("root-pager")
    url = reverse("members:register", args=[tree.pk])
    html = client.get(url, {"q": "thi"}).content.decode()
    next_link = unescape(re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1))
    assert "q=thi" in next_link
    second = client.get(url + next_link).content.decode()
    assert "Trang 2" in second and "thi" in second.lower()


def test_the_edit_form_masks_the_identity_number_for_a_secretary_and_logs_nothing(world, members):
    """Security test 2026-12, H2: the form pre-filled the full CCCD for a cell secretary."""
    member = members[0]
    client = client_for("secretary")
    url = reverse("members:edit", args=[member.pk])
    html = client.get(url).content.decode()
    assert "001080000001" not in html and "•••••••••001" in html
    assert not AuditEvent.objects.filter(action="member.view_identity").exists()
    # Left as shown (masked): the stored number stays; the other corrections are saved.
    response = client.post(
        url, {"full_name": "Nguyễn Văn Đức", "national_id": "•••••••••001", "ethnicity": "Kinh"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.national_id, member.ethnicity) == ("001080000001", "Kinh")
    # A new full number replaces it; a made-up masked value is refused.
    bad = client.post(
        url, {"full_name": "Nguyễn Văn Đức", "national_id": "•••••••••999", "ethnicity": "Kinh"}
    )
    assert "12 chữ số" in bad.content.decode()
    assert "001080000001" not in bad.content.decode()
    assert client.post(url, {"full_name": "Nguyễn Văn Đức", "national_id": "001080000099"}).status_code == 302
    member.refresh_from_db()
    assert member.national_id == "001080000099"
    assert not AuditEvent.objects.filter(action="member.view_identity").exists()


def test_the_edit_form_shows_the_full_number_to_the_office_and_logs_the_view(world, members):
    member = members[0]
    html = client_for("office").get(reverse("members:edit", args=[member.pk])).content.decode()
    assert 'value="001080000001"' in html
    viewed = AuditEvent.objects.filter(action="member.view_identity", actor_label="office")
    assert list(viewed.values_list("object_id", flat=True)) == [str(member.pk)]
    assert "Số được che" not in html


def test_the_edit_form_tells_a_secretary_the_number_is_masked(world, members):
    html = client_for("secretary").get(reverse("members:edit", args=[members[0].pk])).content.decode()
    assert "Số được che. Để nguyên thì giữ số đã lưu" in html


def _pdf_text(response) -> tuple[str, list]:
    import io

    from pypdf import PdfReader

    body = response.content if hasattr(response, "content") else b"".join(response.streaming_content)
    pages = PdfReader(io.BytesIO(body)).pages
    return "\n".join(page.extract_text() for page in pages), list(pages)


def test_register_prints_as_pdf_in_the_7_hsdv_layout_landscape_with_masked_ids(world, members):
    from dangbo.reports.render import pdf_available

    if not pdf_available():
        pytest.skip("PDF rendering needs Pango")
    office = client_for("office")
    page = office.get(reverse("members:register", args=[world.grassroots.pk]))
    url = reverse("members:register_pdf", args=[world.grassroots.pk])
    assert url in page.content.decode()  # the button on the register
    response = office.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, pages = _pdf_text(response)
    assert float(pages[0].mediabox.width) > float(pages[0].mediabox.height)  # A4 landscape
    flat = " ".join(text.split())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in flat and "DANH SÁCH ĐẢNG VIÊN" in flat
    assert world.grassroots.name.upper().split()[-1] in flat
    for label in ("STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Số CCCD", "Chi bộ"):
        assert label in flat
    names = [m.person.full_name for m in members]
    assert all(name in flat for name in ["Trần Thị Ánh", "Lê Văn Dũng", "Nguyễn Văn Đức"])
    assert flat.index("Trần Thị Ánh") < flat.index("Lê Văn Dũng") < flat.index("Nguyễn Văn Đức")
    for member in members:
        person = member.person
        assert format_date(person.birth_date) in flat
        if member.national_id:
            assert member.national_id not in flat and member.masked_national_id in flat
    assert f"đến ngày {suite_today():%d/%m/%Y}" in flat and "Tổng số: 3 đảng viên" in flat
    assert names
    assert AuditEvent.objects.filter(action="member.export", after__format="pdf").exists()


def test_badge_proposal_prints_with_the_list_of_members_due(world):
    from dangbo.reports.render import pdf_available

    if not pdf_available():
        pytest.skip("PDF rendering needs Pango")
    due = _member(world, "Phạm Văn Ba Mươi", D(1996, 2, 1))
    member_record_event(actor=None, member=due, kind="full_member", on=D(1997, 2, 1))
    later = _member(world, "Hoàng Thị Chuyển", D(1996, 1, 20))
    member_record_event(actor=None, member=later, kind="full_member", on=D(1997, 1, 20))
    member_record_event(actor=None, member=later, kind="transfer_out", on=D(2000, 3, 1))
    member_record_event(
        actor=None, member=later, kind="transfer_in", on=D(2000, 3, 31), to_organisation=world.cell_a
    )
    office = client_for("office")
    page = office.get(reverse("members:badges", args=[world.tct.pk]), {"ngay": "2026-02-03"}).content.decode()
    url = reverse("members:badges_pdf", args=[world.tct.pk])
    assert f"{url}?ngay=2026-02-03" in page  # the button on the badge page, for the ceremony shown
    response = office.get(url, {"ngay": "2026-02-03"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, _pages = _pdf_text(response)
    flat = " ".join(text.split())
    assert "TỜ TRÌNH" in flat and "Đề nghị tặng Huy hiệu Đảng đợt 03/02/2026" in flat
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in flat and "Kính gửi:" in flat
    assert "Huy hiệu 30 năm tuổi Đảng: 1 đồng chí." in flat and "cho 1 đồng chí đảng viên" in flat
    assert "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG ĐỢT 03/02/2026" in flat
    assert "Phạm Văn Ba Mươi" in flat and "01/02/1996" in flat and "30 năm" in flat
    assert "Hoàng Thị Chuyển" not in flat  # due at the 19/5 ceremony
    assert f"Tờ trình ngày {suite_today():%d/%m/%Y}" in flat
    text, _pages = _pdf_text(office.get(url, {"ngay": "2026-05-19"}))
    assert "Hoàng Thị Chuyển" in text and "Phạm Văn Ba Mươi" not in text
