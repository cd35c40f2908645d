"""Importing members: every row checked first, Vietnamese report of row/column/reason, all or nothing,
idempotent re-import, CSV and XLSX."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangbo.core.models import AuditEvent
from dangbo.members.importer import ImportRefused, import_members, parse_date, template_headers
from dangbo.members.models import MemberEvent, PartyMember
from dangbo.orgs.models import Person

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số thẻ đảng viên,Ngày vào Đảng,Ngày chính thức,Chi bộ (mã số),Dân tộc"


def write(tmp_path: Path, lines: list[str], name: str = "dv.csv", encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


@pytest.fixture
def good_file(world, tmp_path):
    a, b = world.cell_a.pk, world.cell_b.pk
    return write(
        tmp_path,
        [
            HEADER,
            f"Nguyễn Văn Đức,15/03/1980,Nam,001080000111,68000111,19/05/2005,19/05/2006,{a},Kinh",
            f"Trần Thị Ánh,02/09/1990,Nữ,001090000222,,03/02/2020,,{a},Tày",
            f"Lê Văn Dũng,07/11/1975,nam,,68000333,2001-01-20,2002-01-20,{b},Kinh",
        ],
    )


def test_a_good_file_is_imported_with_events_and_one_audit_event(world, good_file):
    report = import_members(good_file, actor=world.users["office"])
    assert report.ok and report.written and (report.rows, report.created) == (3, 3)
    duc = PartyMember.objects.get(national_id="001080000111")
    assert (
        duc.person.full_name == "Nguyễn Văn Đức"
        and duc.status == "full"
        and duc.full_on == dt.date(2006, 5, 19)
    )
    assert duc.person.search_text == "nguyen van duc" and duc.org_path == world.cell_a.path
    assert list(MemberEvent.objects.filter(member=duc).values_list("kind", flat=True)) == [
        "admitted",
        "full_member",
    ]
    assert PartyMember.objects.get(national_id="001090000222").status == "probationary"
    event = AuditEvent.objects.get(action="member.import")
    assert event.after["created"] == 3 and len(event.after["sha256"]) == 64


def test_importing_the_same_file_again_changes_nothing(world, good_file):
    import_members(good_file, actor=None)
    counts = (Person.objects.count(), PartyMember.objects.count(), MemberEvent.objects.count())
    report = import_members(good_file, actor=None)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert (Person.objects.count(), PartyMember.objects.count(), MemberEvent.objects.count()) == counts


def test_a_changed_value_updates_only_that_record(world, good_file, tmp_path):
    import_members(good_file, actor=None)
    text = good_file.read_text(encoding="utf-8-sig").replace(",Tày", ",Nùng")
    report = import_members(write(tmp_path, text.splitlines(), "v2.csv"), actor=None)
    assert (report.updated, report.unchanged) == (1, 2)
    assert PartyMember.objects.get(national_id="001090000222").ethnicity == "Nùng"


def test_dry_run_writes_nothing(world, good_file):
    report = import_members(good_file, actor=None, dry_run=True)
    assert report.ok and report.created == 3 and not report.written
    assert not PartyMember.objects.exists() and not AuditEvent.objects.filter(action="member.import").exists()


def test_bad_rows_are_reported_in_vietnamese_and_nothing_is_written(world, tmp_path):
    a = world.cell_a.pk
    path = write(
        tmp_path,
        [
            HEADER,
            f"Nguyễn Văn Một,15/03/1980,Nam,001080000111,,19/05/2005,,{a},Kinh",
            f",15/03/1980,Nam,,,19/05/2005,,{a},Kinh",  # no name
            f"Trần Văn Hai,15/13/1980,Nam,,,19/05/2005,,{a},Kinh",  # month 13
            f"Lê Văn Ba,05/25/1980,Nam,,,19/05/2005,,{a},Kinh",  # mm/dd
            f"Phạm Văn Bốn,15/03/1980,Nam,12345,,19/05/2099,,{a},Kinh",  # bad CCCD, future date
            "Hồ Văn Năm,15/03/1980,Khác,001080000111,,19/05/2005,,99999,Kinh",  # duplicate CCCD, unknown cell, gender
            f"Vũ Văn Sáu,15/03/2000,Nam,,,19/05/2010,,{a},Kinh",  # under 18 at admission
            f"Đỗ Văn Bảy,15/03/1980,Nam,,,19/05/2005,01/01/2006,{a},=1+1",  # full before 12 months, formula
        ],
    )
    report = import_members(path, actor=world.users["office"])
    assert not report.ok and not report.written
    messages = [str(p) for p in report.problems]
    expected = [
        "Dòng 3, cột “Họ và tên”: không được để trống",
        "Dòng 4, cột “Ngày sinh”: ngày không tồn tại",
        "Dòng 5, cột “Ngày sinh”: ngày và tháng có vẻ bị đảo (định dạng đúng là ngày/tháng/năm)",
        "Dòng 6, cột “Số CCCD”: số CCCD phải gồm 12 chữ số",
        "Dòng 6, cột “Ngày vào Đảng”: ngày ở tương lai",
        "Dòng 7, cột “Giới tính”: chỉ nhận “Nam” hoặc “Nữ”",
        "Dòng 7, cột “Chi bộ (mã số)”: không có chi bộ “99999” trong phạm vi của đồng chí",
        "Dòng 7, cột “Số CCCD”: trùng với dòng 2 trong tệp",
        "Dòng 8, cột “Ngày vào Đảng”: chưa đủ 18 tuổi vào ngày vào Đảng",
        "Dòng 9, cột “Dân tộc”: ô chứa công thức; hãy nhập giá trị",
        "Dòng 9, cột “Ngày chính thức”: ngày chính thức phải sau đủ 12 tháng dự bị",
    ]
    for line in expected:
        assert line in messages, (line, messages)
    assert not PartyMember.objects.exists() and not Person.objects.filter(full_name="Nguyễn Văn Một").exists()


def test_skip_bad_rows_imports_the_good_ones(world, tmp_path):
    a = world.cell_a.pk
    path = write(tmp_path, [HEADER, f"Nguyễn Văn Một,15/03/1980,Nam,,,19/05/2005,,{a},Kinh", f",,,,,,,{a},"])
    report = import_members(path, actor=None, skip_bad_rows=True)
    assert report.written and (report.created, report.skipped) == (1, 1) and len(report.problems) == 2


def test_cells_outside_the_actors_scope_are_refused(world, tmp_path):
    path = write(tmp_path, [HEADER, f"Nguyễn Văn Một,15/03/1980,Nam,,,19/05/2005,,{world.cell_b.pk},Kinh"])
    report = import_members(path, actor=world.users["secretary"])
    assert "không có chi bộ" in str(report.problems[0])


def test_a_missing_required_column_is_named(world, tmp_path):
    report = import_members(write(tmp_path, ["Họ và tên,Ngày sinh", "A,01/01/1980"]), actor=None)
    assert [str(p) for p in report.problems] == [
        "Dòng 1, cột “Ngày vào Đảng”: thiếu cột bắt buộc",
        "Dòng 1, cột “Chi bộ (mã số)”: thiếu cột bắt buộc",
    ]


def test_headers_are_matched_without_accents_and_with_variants(world, tmp_path):
    path = write(tmp_path, ["ho ten,NGAY KET NAP,Chi bo", f"Nguyễn Văn Một,19/05/2005,{world.cell_a.pk}"])
    assert import_members(path, actor=None).created == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.csv", "Tệp rỗng"),
        (b"PK\x03\x04not really a zip", "a.xlsx", "không phải bảng tính"),
        (b"%PDF-1.4", "a.pdf", "Chỉ nhận tệp .xlsx hoặc .csv"),
        (b"\n\n", "a.csv", "dòng tiêu đề"),
    ],
)
def test_files_that_cannot_be_read_are_refused_whole(world, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=message):
        import_members(path, actor=None)


def as_windows_1258(text: str) -> bytes:
    """As Windows-1258 stores Vietnamese: letters with a tone are the toneless letter (â, ơ … are
    single bytes) followed by the tone as a combining mark."""
    import unicodedata

    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            tone = next(m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", marks.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return out


def test_legacy_windows_1258_text_is_read_and_stored_in_nfc(world, tmp_path):
    # Windows-1258 writes tones as combining marks: "Lê Thị Hồng" arrives decomposed.
    import unicodedata

    name = unicodedata.normalize("NFD", "Lê Thị Hồng").replace("e\u0302", "ê").replace("o\u0302", "ô")
    path = tmp_path / "cu.csv"
    path.write_bytes(
        f"Ho va ten,Ngay vao Dang,Chi bo\n{name},19/05/2005,{world.cell_a.pk}\n".encode("cp1258")
    )
    assert import_members(path, actor=None).created == 1
    assert PartyMember.objects.get().person.full_name == "Lê Thị Hồng"


def test_legacy_tcvn3_text_is_recognised_and_converted(world, tmp_path):
    # The ABC fonts (.VnTime): "Bảo Thắng" is b"B\xb6o Th\xbeng"; read as Windows-1258 it would be
    # stored as "B¶o Th¾ng". Headers and values both in TCVN3, as an old register would be.
    names = ["Nguyễn Văn Đức", "Trần Thị Hường", "Lê Thị Bảo Thắng"]
    lines = ["Họ và tên,Ngày vào Đảng,Chi bộ (mã số),Dân tộc"] + [
        f"{name},19/05/2005,{world.cell_a.pk},Mường" for name in names
    ]
    path = tmp_path / "abc.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("tcvn3"))
    assert path.read_bytes().startswith(b"H\xe4 v\xb5 t\xaan")
    report = import_members(path, actor=None)
    assert report.ok and report.created == 3, report.problems[:3]
    stored = sorted(PartyMember.objects.values_list("person__full_name", "ethnicity"))
    assert stored == sorted((name, "Mường") for name in names)


def test_the_legacy_guess_prefers_the_decoding_that_reads_as_vietnamese():
    from dangbo.core.legacy_text import guess_legacy

    text = "Hoàng Thị Hường, Bảo Thắng, Kinh, Tày, Cao cấp lý luận chính trị"
    assert guess_legacy(text.encode("tcvn3")) == "tcvn3"
    assert b"B\xb6o".decode("tcvn3") == "Bảo" and "Bảo".encode("tcvn3") == b"B\xb6o"
    assert guess_legacy(as_windows_1258(text)) == "cp1258"
    assert guess_legacy(b"plain ascii only") == "cp1258"


def test_xlsx_is_imported_like_csv(world, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(template_headers())
    sheet.append(
        [
            "Nguyễn Văn Đức",
            dt.datetime(1980, 3, 15),
            "Nam",
            "001080000111",
            "",
            "19/05/2005",
            "",
            world.cell_a.pk,
        ]
    )
    path = tmp_path / "dv.xlsx"
    book.save(path)
    report = import_members(path, actor=None)
    assert report.created == 1 and PartyMember.objects.get().person.birth_date == dt.date(1980, 3, 15)


def test_a_bad_xlsx_cell_is_refused_naming_it_and_nothing_is_written(world, tmp_path):
    """Found while reading the rows (after the header): a clear refusal, not "Lỗi hệ thống"."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(template_headers())
    sheet.append(
        ["Nguyễn Văn Đức", "15/03/1980", "Nam", "001080000111", "", "19/05/2005", "", world.cell_a.pk]
    )
    made = tmp_path / "made.xlsx"
    book.save(made)
    path = tmp_path / "dv.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>", b'<row r="3"><c r="C3" t="s"><v>999</v></c></row></sheetData>'
                )
            target.writestr(info, data)
    with pytest.raises(ImportRefused, match=r"^Ô C3: chuỗi dùng chung số 999 không có trong tệp"):
        import_members(path, actor=None)
    assert not PartyMember.objects.exists()


def test_date_parsing():
    assert parse_date("19/5/2005") == dt.date(2005, 5, 19)
    assert parse_date("19-05-2005") == dt.date(2005, 5, 19)
    assert parse_date("2005-05-19") == dt.date(2005, 5, 19)
    with pytest.raises(ValueError, match="bị đảo"):
        parse_date("05/19/2005")
    with pytest.raises(ValueError):
        parse_date("hôm qua")


def test_the_command_reports_and_refuses(world, tmp_path, good_file):
    out = StringIO()
    call_command("import", "members", str(good_file), "--dry-run", stdout=out)
    assert "Kiểm tra xong" in out.getvalue() and not PartyMember.objects.exists()
    call_command("import", "members", str(good_file), stdout=out)
    assert PartyMember.objects.count() == 3
    bad = write(tmp_path, [HEADER, f",,,,,,,{world.cell_a.pk},"], "bad.csv")
    err = StringIO()
    with pytest.raises(CommandError, match="không ghi gì"):
        call_command("import", "members", str(bad), stdout=out, stderr=err)
    assert "Dòng 2, cột “Họ và tên”" in err.getvalue()


def test_generated_registers_are_deterministic_and_import_cleanly(world, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    call_command("generate", "--members", "200", "--seed", "7", "--out", str(first), stdout=StringIO())
    call_command("generate", "--members", "200", "--seed", "7", "--out", str(second), stdout=StringIO())
    assert first.read_bytes() == second.read_bytes()
    report = import_members(first, actor=None)
    assert report.ok, report.problems[:3]
    assert report.created == 200 and PartyMember.objects.count() == 200


def test_the_template_lists_the_headers_and_the_cells(world, tmp_path):
    import openpyxl
    from django.urls import reverse

    from tests.helpers import client_for

    response = client_for("office").get(reverse("members:import_template", args=[world.grassroots.pk]))
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["Đảng viên"][1]][:3] == ["Họ và tên", "Ngày sinh", "Giới tính"]
    cells = {row[1].value for row in book["Mã chi bộ"].iter_rows(min_row=2)}
    assert cells == {"Chi bộ Văn phòng", "Chi bộ Ban Đầu tư"}


def test_a_register_with_a_title_above_the_header_is_read(world, tmp_path):
    # The 7-HSĐV register as offices keep it: a merged title, then the header a few rows down.
    import xlsxwriter

    path = tmp_path / "so-7.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.merge_range("A1:D1", "SỔ ĐẢNG VIÊN — Chi bộ Văn phòng")
    sheet.write_row(2, 0, ["Họ và tên", "Ngày kết nạp vào Đảng", "Chi bộ", "Trình độ lý luận chính trị"])
    sheet.write_row(3, 0, ["Nguyễn\u00a0Văn  Một", "19/05/2005", str(world.cell_a.pk), "Trung cấp"])
    book.close()
    report = import_members(path, actor=None)
    assert report.ok and report.created == 1, report.problems
    member = PartyMember.objects.get()
    assert member.person.full_name == "Nguyễn Văn Một" and member.political_theory == "Trung cấp"


def test_merged_cells_in_the_data_are_named(world, tmp_path):
    import xlsxwriter

    path = tmp_path / "gop.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, template_headers())
    cell = str(world.cell_a.pk)
    sheet.write_row(1, 0, ["Nguyễn Văn Một", "", "", "", "", "19/05/2005", "", cell])
    sheet.write_row(2, 0, ["Nguyễn Văn Hai", "", "", "", "", "19/05/2005", ""])
    sheet.merge_range("H2:H3", cell)
    book.close()
    report = import_members(path, actor=None)
    assert "Dòng 2, cột “Chi bộ (mã số)”: ô gộp đến dòng 3; hãy bỏ gộp ô và điền đủ từng ô" in [
        str(p) for p in report.problems
    ]
    assert not PartyMember.objects.exists()


def test_conflicts_with_the_register_are_refused_by_row(world, tmp_path):
    a = world.cell_a.pk
    import_members(
        write(
            tmp_path,
            [
                HEADER,
                f"Nguyễn Văn Một,15/03/1980,Nam,001080000001,68000001,19/05/2005,,{a},Kinh",
                f"Trần Văn Hai,15/03/1980,Nam,001080000002,68000002,19/05/2005,,{a},Kinh",
            ],
            "first.csv",
        ),
        actor=None,
    )
    path = write(
        tmp_path,
        [
            HEADER,
            # CCCD of Một, card of Hai
            f"Nguyễn Văn Một,15/03/1980,Nam,001080000001,68000002,19/05/2005,,{a},Kinh",
            # card of Một with another CCCD
            f"Lê Văn Ba,15/03/1980,Nam,001080000009,68000001,19/05/2005,,{a},Kinh",
        ],
        "second.csv",
    )
    report = import_members(path, actor=None)
    messages = [str(p) for p in report.problems]
    assert "Dòng 2, cột “Số thẻ đảng viên”: số thẻ 68000002 đã cấp cho một đảng viên khác" in messages
    assert "Dòng 3, cột “Số CCCD”: số thẻ đảng viên trong tệp thuộc một hồ sơ có số CCCD khác" in messages
    assert not report.written and PartyMember.objects.get(national_id="001080000001").card_no == "68000001"


def test_a_record_outside_the_scope_is_not_updated(world, tmp_path):
    b = world.cell_b.pk
    import_members(
        write(tmp_path, [HEADER, f"Trần Văn Hai,15/03/1980,Nam,001080000002,,19/05/2005,,{b},Kinh"], "b.csv"),
        actor=None,
    )
    a = world.cell_a.pk
    path = write(tmp_path, [HEADER, f"Trần Văn Hai,15/03/1980,Nam,001080000002,,19/05/2005,,{a},Mường"])
    report = import_members(path, actor=world.users["secretary"])
    assert [str(p) for p in report.problems] == [
        "Dòng 2, cột “Số CCCD”: đã có hồ sơ đảng viên này ở một tổ chức ngoài phạm vi của đồng chí"
    ]
    assert PartyMember.objects.get().ethnicity == "Kinh"


def test_a_file_full_of_errors_keeps_the_first_thousand_and_counts_all(world, tmp_path):
    from dangbo.members.importer import MAX_PROBLEMS

    lines = [HEADER] + [f",,,,,,,{world.cell_a.pk}," for _ in range(MAX_PROBLEMS + 200)]
    report = import_members(write(tmp_path, lines), actor=None)
    assert len(report.problems) == MAX_PROBLEMS and report.problem_count == 2 * (MAX_PROBLEMS + 200)
    assert report.problems[0].row == 2


def test_backslashes_and_control_characters_are_stored_as_written_or_dropped(world, tmp_path):
    # PostgreSQL's COPY gives "\" and "\N" a meaning: values must arrive exactly as typed.
    a = world.cell_a.pk
    path = write(
        tmp_path,
        [
            HEADER + ",Quê quán",
            f"Nguyễn Văn Một,15/03/1980,Nam,,68\\N01,19/05/2005,,{a},Kinh,Thôn 3\\4 \\N",
            f"Trần Văn Hai,15/03/1980,Nam,,6800\x0002,19/05/2005,,{a},Kinh\x07,",
        ],
    )
    report = import_members(path, actor=None)
    assert report.ok and report.created == 2, report.problems
    one = PartyMember.objects.get(card_no="68\\N01")
    assert one.hometown == "Thôn 3\\4 \\N"
    assert PartyMember.objects.get(card_no="680002").ethnicity == "Kinh"


# --- Re-import: a known record's name or birth date, and what an update changed ------------------


def edited(tmp_path: Path, good_file: Path, *pairs: tuple[str, str], name: str = "v2.csv") -> Path:
    """good_file with each (old, new) text replaced once, written as another file."""
    text = good_file.read_text(encoding="utf-8-sig")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return write(tmp_path, text.splitlines(), name)


def test_a_changed_name_under_a_known_cccd_is_refused_naming_row_field_and_both_values(
    world, good_file, tmp_path
):
    import_members(good_file, actor=None)
    path = edited(tmp_path, good_file, ("Trần Thị Ánh", "Lý Đã Có"), (",Kinh", ",Mường"))
    report = import_members(path, actor=world.users["office"])
    assert not report.ok and not report.written
    assert [str(p) for p in report.problems] == [
        "Dòng 3, cột “Họ và tên”: số CCCD •••••••••222 là của đồng chí Trần Thị Ánh; tệp ghi Lý Đã Có"
    ]
    # all or nothing: the good row's change waits too
    assert PartyMember.objects.get(national_id="001090000222").person.full_name == "Trần Thị Ánh"
    assert PartyMember.objects.get(national_id="001080000111").ethnicity == "Kinh"
    # the good rows only: the conflicting row is skipped, never resolved by the file
    report = import_members(path, actor=None, skip_bad_rows=True)
    assert report.written and (report.updated, report.unchanged, report.skipped) == (1, 1, 1)
    assert PartyMember.objects.get(national_id="001090000222").person.full_name == "Trần Thị Ánh"
    assert PartyMember.objects.get(national_id="001080000111").ethnicity == "Mường"


def test_a_changed_birth_date_under_a_known_cccd_is_refused(world, good_file, tmp_path):
    import_members(good_file, actor=None)
    report = import_members(edited(tmp_path, good_file, ("02/09/1990", "03/09/1990")), actor=None)
    assert [str(p) for p in report.problems] == [
        "Dòng 3, cột “Ngày sinh”: số CCCD •••••••••222 là của đồng chí Trần Thị Ánh, sinh ngày "
        "02/09/1990; tệp ghi 03/09/1990"
    ]
    assert not report.written
    assert PartyMember.objects.get(national_id="001090000222").person.birth_date == dt.date(1990, 9, 2)
    # an empty birth date in the file is no claim: the stored one stays, nothing to refuse
    report = import_members(edited(tmp_path, good_file, ("02/09/1990", ""), name="v3.csv"), actor=None)
    assert report.ok and report.unchanged == 3


def test_a_changed_name_under_a_known_card_number_is_refused(world, good_file, tmp_path):
    import_members(good_file, actor=None)
    report = import_members(edited(tmp_path, good_file, ("Lê Văn Dũng", "Lê Văn Dung")), actor=None)
    assert [str(p) for p in report.problems] == [
        "Dòng 4, cột “Họ và tên”: số thẻ đảng viên 68000333 là của đồng chí Lê Văn Dũng; tệp ghi Lê Văn Dung"
    ]


def test_spelling_of_the_same_name_is_no_conflict_nor_a_change(world, good_file, tmp_path):
    import unicodedata

    a = world.cell_a.pk
    import_members(
        write(tmp_path, [HEADER, f"Lê Thị Thuỷ,01/01/1985,Nữ,001085000444,,19/05/2010,,{a},Kinh"], "t.csv"),
        actor=None,
    )
    import_members(good_file, actor=None)
    nfd = unicodedata.normalize("NFD", "  nguyễn  VĂN   đức ")
    path = edited(tmp_path, good_file, ("Nguyễn Văn Đức", f'"{nfd}"'), ("Trần Thị Ánh", "TRẦN THỊ ÁNH"))
    with path.open("a", encoding="utf-8") as handle:  # old and new tone placement: Thuỷ / Thủy
        handle.write(f"Lê Thị Thủy,01/01/1985,Nữ,001085000444,,19/05/2010,,{a},Kinh\n")
    report = import_members(path, actor=None)
    assert report.ok and report.written, report.problems
    assert (report.updated, report.unchanged, report.changes) == (0, 4, [])
    assert PartyMember.objects.get(national_id="001080000111").person.full_name == "Nguyễn Văn Đức"
    assert PartyMember.objects.get(national_id="001085000444").person.full_name == "Lê Thị Thuỷ"


def test_every_updated_row_lists_its_changed_fields_old_and_new(world, good_file, tmp_path):
    from dangbo.members.importer import Change, Report

    import_members(good_file, actor=None)
    path = edited(
        tmp_path,
        good_file,
        ("001090000222,,", "001090000222,68000222,"),  # a card number given
        (",Tày", ",Nùng"),
        ("nam,,68000333", "nam,001075000333,68000333"),  # a CCCD given: shown masked
    )
    report = import_members(path, actor=None)
    assert report.written and (report.updated, report.unchanged) == (2, 1)
    assert report.changes == [
        Change(3, "Số thẻ đảng viên", "", "68000222"),
        Change(3, "Dân tộc", "Tày", "Nùng"),
        Change(4, "Số CCCD", "", "•••••••••333"),
    ]
    assert str(report.changes[1]) == "Dòng 3, cột “Dân tộc”: Tày → Nùng"
    kept = report.as_dict()
    assert kept["changes"][1] == [3, "Dân tộc", "Tày", "Nùng"]
    assert Report.from_dict(kept).changes == report.changes
    assert PartyMember.objects.get(national_id="001075000333").card_no == "68000333"
    # the same file again: nothing changes, nothing is listed
    again = import_members(path, actor=None)
    assert (again.updated, again.unchanged, again.changes) == (0, 3, [])


def test_a_dry_run_shows_the_same_changes_and_conflicts_and_writes_nothing(world, good_file, tmp_path):
    import_members(good_file, actor=None)
    changed = edited(tmp_path, good_file, (",Tày", ",Nùng"))
    checked = import_members(changed, actor=None, dry_run=True)
    assert checked.ok and not checked.written and checked.updated == 1
    assert [str(c) for c in checked.changes] == ["Dòng 3, cột “Dân tộc”: Tày → Nùng"]
    assert PartyMember.objects.get(national_id="001090000222").ethnicity == "Tày"
    assert import_members(changed, actor=None).changes == checked.changes

    conflict = edited(tmp_path, good_file, ("Trần Thị Ánh", "Lý Đã Có"), (",Kinh", ",Mường"), name="v3.csv")
    checked = import_members(conflict, actor=None, dry_run=True)
    assert [str(p) for p in checked.problems] == [
        "Dòng 3, cột “Họ và tên”: số CCCD •••••••••222 là của đồng chí Trần Thị Ánh; tệp ghi Lý Đã Có"
    ]
    # the rows that would change are listed even while a conflict stops the import
    assert [str(c) for c in checked.changes] == ["Dòng 2, cột “Dân tộc”: Kinh → Mường"]
    assert PartyMember.objects.get(national_id="001080000111").ethnicity == "Kinh"
    assert AuditEvent.objects.filter(action="member.import").count() == 2


def test_the_command_lists_changes_and_conflicts_in_a_dry_run(world, good_file, tmp_path):
    import_members(good_file, actor=None)
    out, err = StringIO(), StringIO()
    path = edited(tmp_path, good_file, (",Tày", ",Nùng"))
    call_command("import", "members", str(path), "--dry-run", stdout=out, stderr=err)
    assert "Dòng 3, cột “Dân tộc”: Tày → Nùng" in out.getvalue() and "Kiểm tra xong" in out.getvalue()
    assert PartyMember.objects.get(national_id="001090000222").ethnicity == "Tày"
    path = edited(tmp_path, good_file, ("02/09/1990", "03/09/1990"), name="v3.csv")
    with pytest.raises(CommandError, match="không ghi gì"):
        call_command("import", "members", str(path), "--dry-run", stdout=out, stderr=err)
    assert "tệp ghi 03/09/1990" in err.getvalue()


def test_checking_names_and_listing_changes_costs_no_query_per_row(world, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = world.cell_a.pk

    def register(n: int, ethnicity: str, name: str) -> Path:
        rows = [
            f"Người Thứ {n} {i},15/03/1980,Nam,{1080000000 + 1000 * n + i:012d},,19/05/2005,,{a},{ethnicity}"
            for i in range(n)
        ]
        return write(tmp_path, [HEADER, *rows], name)

    spent = []
    for n in (3, 40):
        import_members(register(n, "Kinh", f"first{n}.csv"), actor=None)
        path = register(n, "Tày", f"second{n}.csv")
        with CaptureQueriesContext(connection) as queries:
            report = import_members(path, actor=None)
        assert report.updated == n and len(report.changes) == n
        spent.append(len(queries))
    assert spent[0] == spent[1], spent


def test_a_large_update_lists_the_first_rows_and_says_so(world, good_file, tmp_path, monkeypatch):
    from django.template.loader import render_to_string

    from dangbo.members import importer

    import_members(good_file, actor=None)
    monkeypatch.setattr(importer, "MAX_CHANGED_ROWS", 1)
    path = edited(tmp_path, good_file, (",Kinh", ",Mường"), (",Tày", ",Nùng"))
    report = import_members(path, actor=None)
    assert report.updated == 2 and report.changes_cut
    assert [str(c) for c in report.changes] == ["Dòng 2, cột “Dân tộc”: Kinh → Mường"]
    page = render_to_string("members/_import_report.html", {"report": report})
    assert "Thay đổi so với hồ sơ đã có" in page and "dưới đây là 1 dòng đầu tiên" in page
