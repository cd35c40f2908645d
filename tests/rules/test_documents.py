"""Document symbols, references and committee terms (rules.md §4; 36-HD/VPTW, NĐ 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.rules.documents import (
    COLLECTIVE_BODIES,
    DOC_TYPES,
    DocRef,
    DocSymbol,
    extract_references,
    format_symbol,
    issuer_title,
    parse_symbol,
    place_date_line,
    signature_lines,
    term_of,
    type_name,
)
from dangbo.rules.orgs import OrgKind

D = dt.date
SEEDS = Path("/work/shared/seeds")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def party(number: int, type_code: str, issuer_code: str) -> DocSymbol:
    return DocSymbol(number=number, type_code=type_code, issuer_code=issuer_code, system="party")


def state(number: int, type_code: str, issuer_code: str, year: int | None = None) -> DocSymbol:
    return DocSymbol(number=number, type_code=type_code, issuer_code=issuer_code, year=year, system="state")


def found(text: str) -> list[tuple[str, dt.date | None]]:
    return [(format_symbol(ref), ref.issued_on) for ref in extract_references(text)]


# --- parse_symbol --------------------------------------------------------------------------------

EXAMPLES = [
    ("69-NQ/ĐU", party(69, "NQ", "ĐU")),
    ("03-CT/TW", party(3, "CT", "TW")),
    ("81-KH/ĐUK", party(81, "KH", "ĐUK")),
    ("23-HD/ĐUK", party(23, "HD", "ĐUK")),
    ("09-CTr/ĐUK", party(9, "CTr", "ĐUK")),
    ("07-QĐi/TW", party(7, "QĐi", "TW")),
    ("12-HD/BTCTW", party(12, "HD", "BTCTW")),
    ("36-HD/VPTW", party(36, "HD", "VPTW")),
    ("101-KH/ĐU", party(101, "KH", "ĐU")),
    ("05-TTr/ĐUKDN", party(5, "TTr", "ĐUKDN")),
    ("15-ĐA/TU", party(15, "ĐA", "TU")),
    ("120-BC/HU", party(120, "BC", "HU")),
    ("02-HD/ĐU-BĐVN", party(2, "HD", "ĐU-BĐVN")),
    ("294-QĐ/TW", party(294, "QĐ", "TW")),
    ("28/CT-TTg", state(28, "CT", "TTg")),
    ("30/2020/NĐ-CP", state(30, "NĐ", "CP", 2020)),
    ("98/2023/NĐ-CP", state(98, "NĐ", "CP", 2023)),
    ("06/2022/QH15", state(6, "", "QH15", 2022)),
    ("01/2024/TT-BNV", state(1, "TT", "BNV", 2024)),
    ("123/QĐ-BTTTT", state(123, "QĐ", "BTTTT")),
    ("666/2015/QĐ-UBND", state(666, "QĐ", "UBND", 2015)),
    ("01/2016/TTLT-BNV-BTC", state(1, "TTLT", "BNV-BTC", 2016)),
    ("1893/QĐ-ĐDN", state(1893, "QĐ", "ĐDN")),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_parse_examples(text: str, expected: DocSymbol) -> None:
    assert parse_symbol(text) == expected


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_canonical_text_round_trips(text: str, expected: DocSymbol) -> None:
    assert format_symbol(parse_symbol(text)) == text
    assert str(expected) == text


def test_systems_and_years() -> None:
    assert parse_symbol("69-NQ/ĐU").system == "party"
    assert parse_symbol("69-NQ/ĐU").year is None
    assert parse_symbol("28/CT-TTg").system == "state"
    assert parse_symbol("28/CT-TTg").year is None
    assert parse_symbol("30/2020/NĐ-CP").year == 2020


def test_a_law_number_has_an_empty_type_code() -> None:
    law = parse_symbol("Số: 06/2022/QH15")
    assert (law.number, law.type_code, law.issuer_code, law.year, law.system) == (
        6,
        "",
        "QH15",
        2022,
        "state",
    )
    assert law.type_name is None


@pytest.mark.parametrize(
    "text",
    [
        "Số 69-NQ/ĐU",
        "Số: 69-NQ/ĐU",
        "số:69-NQ/ĐU",
        "Số:69-NQ/ĐU",
        "SỐ 69-NQ/ĐU",
        "  69-NQ/ĐU\n",
        "\tSố :  69-NQ/ĐU ",
        "Số\u00a069-NQ/ĐU",
    ],
)
def test_prefixes_and_surrounding_spaces_are_accepted(text: str) -> None:
    assert parse_symbol(text) == party(69, "NQ", "ĐU")
    assert parse_symbol(nfd(text)) == party(69, "NQ", "ĐU")


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_nfd_input_gives_nfc_codes(text: str, expected: DocSymbol) -> None:
    symbol = parse_symbol(nfd(f"Số: {text}"))
    assert symbol == expected
    assert unicodedata.is_normalized("NFC", symbol.type_code)
    assert unicodedata.is_normalized("NFC", symbol.issuer_code)


def test_look_alike_characters_are_read_canonically() -> None:
    # En dash, non-breaking hyphen and the eth (Ð U+00D0) typed for Đ by old encodings.
    assert parse_symbol("69–NQ/ÐU") == party(69, "NQ", "ĐU")
    assert parse_symbol("02\u2011HD/ĐU\u2013BĐVN") == party(2, "HD", "ĐU-BĐVN")
    assert parse_symbol("28/CT\u2212TTg") == state(28, "CT", "TTg")
    assert format_symbol(parse_symbol("07–QÐi/TW")) == "07-QĐi/TW"


def test_leading_zeros_are_added_below_ten_in_both_systems() -> None:
    assert format_symbol(parse_symbol("9-CTr/ĐUK")) == "09-CTr/ĐUK"
    assert format_symbol(parse_symbol("0009-CTr/ĐUK")) == "09-CTr/ĐUK"
    assert format_symbol(parse_symbol("5/CT-TTg")) == "05/CT-TTg"
    assert format_symbol(parse_symbol("1/2024/TT-BNV")) == "01/2024/TT-BNV"
    assert format_symbol(parse_symbol("6/2022/QH15")) == "06/2022/QH15"
    assert format_symbol(parse_symbol("010-NQ/TW")) == "10-NQ/TW"
    assert format_symbol(party(9999, "NQ", "TW")) == "9999-NQ/TW"


def test_unknown_type_codes_of_the_right_shape_are_accepted() -> None:
    symbol = parse_symbol("12-XYZ/TW")
    assert symbol == party(12, "XYZ", "TW")
    assert symbol.type_name is None


SHAPE = "không đúng dạng số-LOẠI/CƠ QUAN (Đảng) hoặc số/LOẠI-CƠ QUAN (Nhà nước)"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Số:",
        "69-nq/đu",
        "69-nq/ĐU",
        "69-NQ/đu",
        "69-NQ/Đu-bđvn",
        "28/ct-TTg",
        "NQ/ĐU",
        "69-NQ",
        "69NQ/ĐU",
        "69-/ĐU",
        "69-NQ/",
        "69-NQ/ĐU-",
        "69-NQ/ĐU/2021",
        "69-NQ/ĐU ngày 27/3/2021",
        "Nghị quyết 69-NQ/ĐU",
        "-69-NQ/ĐU",
        "69.5-NQ/ĐU",
        "A69-NQ/ĐU",
        "69-Ngày/ĐU",
        "69-NQ/Đảng",
        "28/TTg",
        "28/CT-",
        "30/2020/NĐ-",
        "30/2020/",
        "5/0999/QH15",
        "30/20/NĐ-CP",
        "19/5/2021",
        "11/10/2023",
        "1/2",
        "28/38",
        "2020-2025",
        "5-10%",
        "Điều 5",
        "50%",
        "2,5 năm",
        "0243.8257.123",
        "091-234-5678",
        "COVID-19",
        "Đ/c",
        "\u0669\u0669-NQ/ĐU",  # Arabic-Indic digits
        "６９-NQ/ĐU",  # full-width digits
    ],
)
def test_anything_else_is_refused_in_vietnamese(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(SHAPE)):
        parse_symbol(text)


def test_the_message_quotes_the_text() -> None:
    with pytest.raises(ValueError, match=r"^Số hiệu “69-nq/đu” không đúng dạng"):
        parse_symbol("  69-nq/đu ")


@pytest.mark.parametrize(
    "text", ["69 - NQ/ĐU", "69-NQ / ĐU", "69 -NQ/ĐU", "28 /CT-TTg", "28/CT - TTg", "Số: 1206 /QĐ-HVTC"]
)
def test_spaces_inside_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="không được có dấu cách bên trong"):
        parse_symbol(text)


@pytest.mark.parametrize(
    "text", ["0-NQ/TW", "00-NQ/TW", "0000/CT-TTg", "10000-NQ/TW", "12345/QĐ-UBND", "00069-NQ/TW"]
)
def test_numbers_outside_1_to_9999_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="phải từ 1 đến 9999"):
        parse_symbol(text)


# --- DocSymbol -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"number": 0, "type_code": "NQ", "issuer_code": "TW", "system": "party"},
        {"number": 10000, "type_code": "NQ", "issuer_code": "TW", "system": "party"},
        {"number": True, "type_code": "NQ", "issuer_code": "TW", "system": "party"},
        {"number": 1, "type_code": "", "issuer_code": "TW", "system": "party"},
        {"number": 1, "type_code": "nq", "issuer_code": "TW", "system": "party"},
        {"number": 1, "type_code": "NQ", "issuer_code": "tw", "system": "party"},
        {"number": 1, "type_code": "NQ", "issuer_code": "", "system": "party"},
        {"number": 1, "type_code": "NQ", "issuer_code": "ĐU-", "system": "party"},
        {"number": 1, "type_code": "NQ", "issuer_code": "ÐU", "system": "party"},  # eth, not Đ
        {"number": 1, "type_code": "NQ", "issuer_code": "TW", "year": 2021, "system": "party"},
        {"number": 1, "type_code": "", "issuer_code": "TTg", "system": "state"},
        {"number": 1, "type_code": "", "issuer_code": "QH-15", "year": 2022, "system": "state"},
        {"number": 1, "type_code": "NĐ", "issuer_code": "CP", "year": 20, "system": "state"},
        {"number": 1, "type_code": "NQ", "issuer_code": "TW", "system": "other"},
    ],
)
def test_a_symbol_checks_its_fields(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        DocSymbol(**fields)  # type: ignore[arg-type]


# --- Type codes ----------------------------------------------------------------------------------


def test_type_codes_of_rules_md_are_named() -> None:
    codes = [
        "NQ",
        "QĐ",
        "CT",
        "KL",
        "QC",
        "TT",
        "HD",
        "TB",
        "BC",
        "KH",
        "CTr",
        "ĐA",
        "TTr",
        "CV",
        "BB",
        "QĐi",
    ]
    assert set(codes) <= set(DOC_TYPES["party"])
    assert {"NĐ", "TT", "QĐ", "CT", "CV", "KH", "TB", "BC"} <= set(DOC_TYPES["state"])
    for table in DOC_TYPES.values():
        for code, name in table.items():
            assert parse_symbol(f"01-{code}/TW").type_code == code
            assert unicodedata.is_normalized("NFC", code + name)


def test_type_names() -> None:
    assert type_name("NQ") == "Nghị quyết"
    assert type_name("CTr") == "Chương trình"
    assert type_name("QĐi") == "Quy định"
    assert type_name("TT") == "Thông tri"
    assert type_name("TT", "state") == "Thông tư"
    assert type_name("NĐ", "state") == "Nghị định"
    assert type_name(nfd("ĐA")) == "Đề án"
    assert type_name("XYZ") is None
    assert type_name("NĐ") is None
    assert parse_symbol("01/2024/TT-BNV").type_name == "Thông tư"
    assert parse_symbol("01-TT/TW").type_name == "Thông tri"


# --- Round trip ----------------------------------------------------------------------------------

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZĐ"
LOWER = "abcdefghijklmnopqrstuvwxyzđ"
type_codes = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(UPPER),
    st.text(alphabet=UPPER + LOWER, max_size=5),
)
issuer_parts = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(UPPER),
    st.text(alphabet=UPPER + LOWER + "0123456789", max_size=6),
)
issuers = st.lists(issuer_parts, min_size=1, max_size=3).map("-".join)
numbers = st.integers(min_value=1, max_value=9999)
party_symbols = st.builds(
    DocSymbol, number=numbers, type_code=type_codes, issuer_code=issuers, system=st.just("party")
)
state_symbols = st.builds(
    DocSymbol,
    number=numbers,
    type_code=type_codes,
    issuer_code=issuers,
    year=st.none() | st.integers(min_value=1000, max_value=9999),
    system=st.just("state"),
)
law_symbols = st.builds(
    DocSymbol,
    number=numbers,
    type_code=st.just(""),
    issuer_code=issuer_parts,
    year=st.integers(min_value=1000, max_value=9999),
    system=st.just("state"),
)
symbols = party_symbols | state_symbols | law_symbols


@given(symbols)
def test_parse_undoes_format(symbol: DocSymbol) -> None:
    text = format_symbol(symbol)
    assert parse_symbol(text) == symbol
    assert parse_symbol(nfd(f"Số: {text}")) == symbol
    assert format_symbol(parse_symbol(text)) == text


@given(symbols)
def test_a_symbol_alone_in_text_is_found_whole(symbol: DocSymbol) -> None:
    text = f"Văn bản số {format_symbol(symbol)} ngày 05/3/2024 của cấp ủy."
    (ref,) = extract_references(text)
    assert ref.symbol == symbol
    assert ref.issued_on == D(2024, 3, 5)


# --- extract_references --------------------------------------------------------------------------

RULES_MD = (
    "Chỉ thị số 03-CT/TW, ngày 19/5/2021 của Ban Bí thư; "
    "Chỉ thị số 28/CT-TTg, ngày 26/10/2021 của Thủ tướng Chính phủ; "
    "Nghị quyết 69-NQ/ĐU ngày 27/3/2021; "
    "Kế hoạch số 81-KH/ĐUK ngày 15/8/2019; "
    "Hướng dẫn số 23-HD/ĐUK, ngày 28/11/2019."
)


def test_the_examples_of_rules_md() -> None:
    assert found(RULES_MD) == [
        ("03-CT/TW", D(2021, 5, 19)),
        ("28/CT-TTg", D(2021, 10, 26)),
        ("69-NQ/ĐU", D(2021, 3, 27)),
        ("81-KH/ĐUK", D(2019, 8, 15)),
        ("23-HD/ĐUK", D(2019, 11, 28)),
    ]


def test_references_carry_the_symbol_fields_and_their_span() -> None:
    refs = extract_references(RULES_MD)
    first = refs[0]
    assert isinstance(first, DocRef)
    assert isinstance(first, DocSymbol)
    assert (first.number, first.type_code, first.issuer_code, first.year, first.system) == (
        3,
        "CT",
        "TW",
        None,
        "party",
    )
    assert first.symbol == party(3, "CT", "TW")
    assert type(first.symbol) is DocSymbol
    assert first.type_name == "Chỉ thị"
    assert [RULES_MD[slice(*ref.span)] for ref in refs] == [
        "03-CT/TW",
        "28/CT-TTg",
        "69-NQ/ĐU",
        "81-KH/ĐUK",
        "23-HD/ĐUK",
    ]
    assert refs[1].system == "state"


def test_state_references_with_years_and_laws() -> None:
    text = (
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022; "
        "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ; "
        "Nghị định 30/2020/NĐ-CP ngày 05/3/2020; Thông tư số 01/2024/TT-BNV; "
        "Quyết định số 123/QĐ-BTTTT, ngày 03-4-2018."
    )
    refs = extract_references(text)
    assert [(ref.symbol, ref.issued_on) for ref in refs] == [
        (state(6, "", "QH15", 2022), D(2022, 6, 15)),
        (state(98, "NĐ", "CP", 2023), D(2023, 12, 31)),
        (state(30, "NĐ", "CP", 2020), D(2020, 3, 5)),
        (state(1, "TT", "BNV", 2024), None),
        (state(123, "QĐ", "BTTTT"), D(2018, 4, 3)),
    ]


@pytest.mark.parametrize(
    ("after", "date"),
    [
        (" ngày 19/5/2021", D(2021, 5, 19)),
        (", ngày 30-5-2019", D(2019, 5, 30)),
        (" ngày 31 tháng 12 năm 2023", D(2023, 12, 31)),
        (" ngày 03/4/2018", D(2018, 4, 3)),
        (", ngày 01-10-1997", D(1997, 10, 1)),
        (" ngày 01.10.1997", D(1997, 10, 1)),
        (" ngày 03 tháng 4 năm 2018", D(2018, 4, 3)),
        (" Ngày 19/5/2021", D(2021, 5, 19)),
        (" ,ngày 19/5/2021", D(2021, 5, 19)),
        ("\nngày 19/5/2021", D(2021, 5, 19)),
        (" ngày 29/02/2024", D(2024, 2, 29)),
        (" ngày 29/02/2023", None),
        (" ngày 31/2/2021", None),
        (" ngày 0/5/2021", None),
        (" ngày 12/13/2021", None),
        (" ngày 32 tháng 1 năm 2021", None),
        (" ngày 19/5-2021", None),
        (" ngày 19/5/21", None),
        (" ngày 19/5/20211", None),
        (" ngày 123/4/2021", None),
        (" của Đảng ủy ngày 27/3/2021", None),
        (" (ngày 27/3/2021)", None),
        (" ban hành ngày 27/3/2021", None),
        (" của 11/11/2021", None),
        (" 19/5/2021", None),
        ("", None),
        (".", None),
    ],
)
def test_the_date_written_right_after(after: str, date: dt.date | None) -> None:
    for text in (f"Nghị quyết 69-NQ/ĐU{after} về đổi mới", f"Chỉ thị 28/CT-TTg{after}"):
        (ref,) = extract_references(text)
        assert ref.issued_on == date
        (ref_nfd,) = extract_references(nfd(text))
        assert ref_nfd.issued_on == date


@pytest.mark.parametrize(
    "text",
    [
        "Nghị quyết số 05 ngày 17/01/2022 của Ban Thường vụ",
        "Ngày 19/5/2021, ngày 26-10-2021, 11/10/2023|18:14, lúc 18/14",
        "Điện thoại: 0243.8257.123, 091-234-5678, (024) 3825 7123",
        "Điều 5, khoản 2; Điều 5-6",
        "tăng 50%, chiếm từ 5-10%, 2,5 năm, 1/2 số đảng viên, 28/38 Tập đoàn",
        "nhiệm kỳ 2020-2025, nhiệm kỳ 2020 – 2025, COVID-19, F0/F1",
        "Đ/c Nguyễn Văn A; 50.000 đồng/người/năm; 20.000 đồng/người/tháng",
        "ngày 19/5/2021/NĐ-CP",  # a date glued to codes is not a symbol
        "Số 0-NQ/TW, 10000-NQ/TW, 00069-NQ/TW",
        "69 - NQ/ĐU, 69-NQ / ĐU, Số: 1206 /QĐ-HVTC",
        "69-nq/đu, 28/ct-ttg",
        "A69-NQ/ĐU, số69-NQ/ĐU, 1.234/QĐ-UBND, 2,28/CT-TTg, x/28/CT-TTg, 2020-69-NQ/TW",
        "69-NQ/ĐU-đảng, 69-NQ/ĐU/2021, 69-NQ/Đảng, 69-NQ/ĐUẢ, 28/TTg, 28/CT-ttg",
        "5/2020/AB-cd, 5/0999/QH15",
    ],
)
def test_no_false_references(text: str) -> None:
    assert extract_references(text) == []
    assert extract_references(nfd(text)) == []


def test_neighbours_that_do_not_glue() -> None:
    text = "(69-NQ/ĐU); số:03-CT/TW. [28/CT-TTg], “09-CTr/ĐUK”: 81-KH/ĐUK/ 23-HD/ĐUK-"
    assert [s for s, _ in found(text)] == [
        "69-NQ/ĐU",
        "03-CT/TW",
        "28/CT-TTg",
        "09-CTr/ĐUK",
        "81-KH/ĐUK",
        "23-HD/ĐUK",
    ]


def test_look_alikes_in_running_text() -> None:
    assert found("Nghị quyết 69–NQ/ÐU ngày 27/3/2021") == [("69-NQ/ĐU", D(2021, 3, 27))]


def test_nfd_text_gives_nfc_codes_and_spans_into_the_callers_string() -> None:
    text = nfd(RULES_MD)
    refs = extract_references(text)
    assert [(ref.symbol, ref.issued_on) for ref in refs] == [
        (ref.symbol, ref.issued_on) for ref in extract_references(RULES_MD)
    ]
    for ref in refs:
        assert unicodedata.is_normalized("NFC", ref.type_code + ref.issuer_code)
        assert parse_symbol(text[slice(*ref.span)]) == ref.symbol
    # The NFD text is longer, so its offsets differ from the NFC text's.
    assert [text[slice(*r.span)] for r in refs] == [
        RULES_MD[slice(*r.span)] for r in extract_references(RULES_MD)
    ]
    assert refs[-1].span[0] > extract_references(RULES_MD)[-1].span[0]
    assert refs[0].span == (text.index("03-CT/TW"), text.index("03-CT/TW") + len("03-CT/TW"))


def test_mixed_nfc_and_nfd_in_one_text() -> None:
    text = nfd("Chỉ thị số 03-CT/TW, ngày 19/5/2021") + "; Nghị quyết 69-NQ/ĐU ngày 27/3/2021"
    assert found(text) == [("03-CT/TW", D(2021, 5, 19)), ("69-NQ/ĐU", D(2021, 3, 27))]
    assert text[slice(*extract_references(text)[1].span)] == "69-NQ/ĐU"


# The seeds (../shared/seeds/), verbatim: every symbol they contain, with its distractors around.
SEED_PASSAGES = [
    (
        "Đảng ủy Tổng công ty Bưu điện Việt Nam: Sơ kết công tác 9 tháng đầu năm 2023\n\n"
        "Thứ Tư, 11/10/2023|18:14\n\nNgày 11/10, Đảng ủy Tổng công ty Bưu điện Việt Nam tổ chức Hội nghị",
        [],
    ),
    (
        "dựng và ban hành 11 nghị quyết, 07 chương trình, 35 kết luận cùng nhiều kế hoạch, "
        "t 2,5 năm thực hiện Nghị quyết 69-NQ/ĐU ngày 27/3/2021 của Đảng ủy Tổng công ty về tăng cường "
        "hoạt động đổi mới, sáng tạo. Nhiệm kỳ 2020-2025",
        [("69-NQ/ĐU", D(2021, 3, 27))],
    ),
    (
        "o” trong triển khai Chỉ thị 05-CT/TW về học tập và làm theo tư tưởng, đạo đức, "
        "phong cách Hồ Chí Minh",
        [("05-CT/TW", None)],
    ),
    (
        "Sáng ngày 22/12, tại Hội trường Bưu điện tỉnh; 50.000 đồng/người/năm; Đ/c Hà Thị Minh Hạnh; "
        "chính trị-xã hội",
        [],
    ),
    (
        "nhằm thực hiện có hiệu quả Chỉ thị số 03-CT/TW, ngày 19/5/2021 của Ban Bí thư; Chỉ thị số "
        "28/CT-TTg, ngày 26/10/2021 của Thủ tướng Chính phủ; Chương trình hành động số 09-CTr/ĐUK, "
        "ngày 11/11/2021 của Ban Thường vụ Đảng uỷ Khối về tăng cường sự lãnh đạo của Đảng",
        [
            ("03-CT/TW", D(2021, 5, 19)),
            ("28/CT-TTg", D(2021, 10, 26)),
            ("09-CTr/ĐUK", D(2021, 11, 11)),
        ],
    ),
    (
        "chỉ đạo bằng việc ban hành Chỉ thị số 01-CT/ĐUK, ngày 21/12/2015 về chủ trương các tập đoàn; "
        "ký thỏa thuận hợp tác với 28/38 Tập đoàn; (chiếm từ 5-10%); theo tinh thần Chỉ thị 01-CT/ĐUK "
        "của Đảng uỷ Khối sẽ tạo ra sức mạnh nội sinh",
        [("01-CT/ĐUK", D(2015, 12, 21)), ("01-CT/ĐUK", None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SEED_PASSAGES)
def test_seed_passages(text: str, expected: list[tuple[str, dt.date | None]]) -> None:
    assert found(text) == expected
    assert found(nfd(text)) == expected


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not on this machine")
def test_all_seed_files() -> None:
    refs = {path.name: found(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))}
    assert [ref for name in sorted(refs) for ref in refs[name]] == [
        ("69-NQ/ĐU", D(2021, 3, 27)),
        ("05-CT/TW", None),
        ("03-CT/TW", D(2021, 5, 19)),
        ("28/CT-TTg", D(2021, 10, 26)),
        ("09-CTr/ĐUK", D(2021, 11, 11)),
        ("01-CT/ĐUK", D(2015, 12, 21)),
        ("01-CT/ĐUK", None),
    ]


# Property tests on arbitrary and on Vietnamese-like text.

FRAGMENTS = [
    "Nghị quyết",
    "Chỉ thị số",
    "Số:",
    "số",
    "ngày",
    "tháng",
    "năm",
    "của",
    "Đảng ủy Khối",
    "Thủ tướng",
    "Điều 5",
    "2,5 năm",
    "50%",
    "1/2",
    "19/5/2021",
    "31/2/2021",
    "ngày 19/5/2021",
    "ngày 31 tháng 12 năm 2023",
    ", ngày 30-5-2019",
    "69-NQ/ĐU",
    "09-CTr/ĐUK",
    "28/CT-TTg",
    "30/2020/NĐ-CP",
    "06/2022/QH15",
    "02-HD/ĐU-BĐVN",
    "07-QĐi/TW",
    "69 - NQ/ĐU",
    "0-NQ/TW",
    "-",
    "/",
    "–",
    "ả",
    "Ủ",
    "ĐU",
    "12",
    "2021",
]
vietnamese_texts = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(["", " ", ", ", "; ", "\n", "(", ")"])),
    max_size=30,
).map(lambda parts: "".join(a + b for a, b in parts))


@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    for ref in extract_references(text):
        assert parse_symbol(text[slice(*ref.span)]) == ref.symbol


@given(vietnamese_texts)
def test_nfc_and_nfd_give_the_same_references(text: str) -> None:
    composed, decomposed = extract_references(nfc(text)), extract_references(nfd(text))
    assert [(r.symbol, r.issued_on) for r in composed] == [(r.symbol, r.issued_on) for r in decomposed]
    for source, refs in ((nfc(text), composed), (nfd(text), decomposed)):
        starts = [ref.span[0] for ref in refs]
        assert starts == sorted(starts)
        for ref in refs:
            assert parse_symbol(source[slice(*ref.span)]) == ref.symbol


def test_a_megabyte_of_text_is_searched_in_linear_time() -> None:
    # No catastrophic backtracking: long digit runs, long issuers that fail at their end, many
    # slashes and hyphens, and a megabyte of real-looking NFD text.
    mega = 1_000_000
    assert extract_references("1" * mega) == []
    assert extract_references("1-A/A" + "-A" * (mega // 2) + "ả") == []
    assert extract_references(nfd("1-A/A" + "-A" * (mega // 2) + "ả")) == []
    assert extract_references("1/2/" * (mega // 4)) == []
    assert extract_references("1-" * (mega // 2)) == []
    assert extract_references("69-NQ/ĐU " + " " * mega + "x") != []
    assert extract_references("69-NQ/ĐU, " + "," * mega) != []
    page = nfd(RULES_MD + " Điều 5, 2,5 năm, 1/2, 19/5/2021. ")
    text = page * (mega // len(page) + 1)
    refs = extract_references(text)
    assert len(refs) == 5 * (mega // len(page) + 1)
    assert refs[-1].issued_on == D(2019, 11, 28)


# --- term_of -------------------------------------------------------------------------------------

# Closing days of the XI, XII and XIII national congresses.
CLOSES = [D(2011, 1, 19), D(2016, 1, 28), D(2021, 2, 1)]


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (D(2011, 1, 20), (D(2011, 1, 20), D(2016, 1, 28))),
        (D(2016, 1, 28), (D(2011, 1, 20), D(2016, 1, 28))),
        (D(2016, 1, 29), (D(2016, 1, 29), D(2021, 2, 1))),
        (D(2018, 4, 3), (D(2016, 1, 29), D(2021, 2, 1))),
        (D(2021, 2, 1), (D(2016, 1, 29), D(2021, 2, 1))),
        (D(2021, 2, 2), (D(2021, 2, 2), None)),
        (D(2026, 1, 9), (D(2021, 2, 2), None)),
    ],
)
def test_a_term_runs_from_the_day_after_a_congress_closes_to_the_day_the_next_closes(
    day: dt.date, term: tuple[dt.date, dt.date | None]
) -> None:
    assert term_of(day, CLOSES) == term
    assert term_of(day, reversed(CLOSES + CLOSES)) == term  # any order, duplicates, an iterator


def test_no_term_before_the_first_congress_given() -> None:
    with pytest.raises(LookupError):
        term_of(D(2011, 1, 19), CLOSES)
    with pytest.raises(LookupError):
        term_of(D(2021, 2, 2), [])


def test_a_first_committee_meeting_during_the_congress_starts_the_term() -> None:
    # 36-HD/VPTW 1.3.1: the term then counts from the opening of that first meeting.
    meetings = {D(2021, 2, 1): D(2021, 1, 31)}
    assert term_of(D(2021, 1, 31), CLOSES, meetings) == (D(2021, 1, 31), None)
    assert term_of(D(2021, 2, 1), CLOSES, meetings) == (D(2021, 1, 31), None)
    assert term_of(D(2021, 1, 30), CLOSES, meetings) == (D(2016, 1, 29), D(2021, 1, 30))
    assert term_of(D(2016, 1, 29), CLOSES, meetings) == (D(2016, 1, 29), D(2021, 1, 30))


@pytest.mark.parametrize(
    "meetings",
    [
        {D(2021, 2, 1): D(2021, 2, 2)},  # after the congress closed
        {D(2021, 2, 1): D(2016, 1, 29)},  # not after the previous term began
        {D(2021, 2, 3): D(2021, 2, 2)},  # no such congress
    ],
)
def test_first_meetings_must_fall_within_their_congress(meetings: dict[dt.date, dt.date]) -> None:
    with pytest.raises(ValueError):
        term_of(D(2022, 1, 1), CLOSES, meetings)


@given(
    st.lists(st.dates(min_value=D(1930, 1, 1), max_value=D(2100, 1, 1)), min_size=1, max_size=8),
    st.dates(min_value=D(1930, 1, 1), max_value=D(2100, 1, 1)),
)
def test_terms_tile_the_calendar(closes: list[dt.date], day: dt.date) -> None:
    if day <= min(closes):
        with pytest.raises(LookupError):
            term_of(day, closes)
        return
    start, end = term_of(day, closes)
    assert start <= day
    assert start - dt.timedelta(days=1) in closes
    assert end is None or (day <= end and end in closes)
    assert term_of(start, closes) == (start, end)
    if end is not None:
        assert term_of(end + dt.timedelta(days=1), closes)[0] == end + dt.timedelta(days=1)


# --- Layout ---------------------------------------------------------------------------------------


def test_place_date_line_is_the_example_of_rules_md() -> None:
    assert place_date_line("Hà Nội", D(2023, 10, 11)) == "Hà Nội, ngày 11 tháng 10 năm 2023"


def test_place_date_line_writes_day_and_month_in_two_digits() -> None:
    assert place_date_line("Hà Nội", D(2021, 3, 5)) == "Hà Nội, ngày 05 tháng 03 năm 2021"
    assert place_date_line("Đà Nẵng", D(2026, 1, 9)) == "Đà Nẵng, ngày 09 tháng 01 năm 2026"


def test_place_date_line_is_nfc_whatever_the_place_was_typed_in() -> None:
    line = place_date_line(nfd("  Thừa Thiên Huế "), D(2023, 10, 11))
    assert line == nfc("Thừa Thiên Huế, ngày 11 tháng 10 năm 2023")
    assert unicodedata.is_normalized("NFC", line)


def test_place_date_line_of_an_unsigned_draft_leaves_day_and_month_blank() -> None:
    blank = "\u00a0" * 5
    assert place_date_line("Hà Nội", None, year=2026) == f"Hà Nội, ngày {blank} tháng {blank} năm 2026"
    assert place_date_line("", None) == f"ngày {blank} tháng {blank} năm {blank}"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Đảng bộ Tổng công ty Bưu điện Việt Nam", "Đảng ủy Tổng công ty Bưu điện Việt Nam"),
        ("Đảng bộ Khối Doanh nghiệp Trung ương", "Đảng ủy Khối Doanh nghiệp Trung ương"),
        (nfd("đảng  bộ Cơ quan"), "Đảng ủy Cơ quan"),
        ("Chi bộ Văn phòng", "Chi bộ Văn phòng"),
        ("Đảng bộ", "Đảng ủy"),
        ("Ban Bí thư", "Ban Bí thư"),
    ],
)
def test_a_party_committee_issues_the_documents_of_its_dang_bo(name: str, title: str) -> None:
    assert issuer_title(name) == title


@pytest.mark.parametrize(
    ("post", "kind", "lines"),
    [
        ("T/M BAN THƯỜNG VỤ, BÍ THƯ", None, ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")),
        ("T/M BAN THƯỜNG VỤ, PHÓ BÍ THƯ", "upper", ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ")),
        ("K/T BÍ THƯ\nPhó Bí thư", None, ("K/T BÍ THƯ", "PHÓ BÍ THƯ")),
        ("t/m  chi bộ", None, ("T/M CHI BỘ", "")),
        ("Bí thư", "upper", ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")),
        (nfd("Phó Bí thư thường trực"), "bloc", ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC")),
        ("Bí thư", "grassroots", ("T/M ĐẢNG ỦY", "BÍ THƯ")),
        ("Bí thư", "cell", ("T/M CHI BỘ", "BÍ THƯ")),
        ("Chánh Văn phòng", "upper", ("T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG")),
        ("Bí thư", None, ("", "BÍ THƯ")),
        ("Ủy viên Ban Thường vụ", "upper", ("", "ỦY VIÊN BAN THƯỜNG VỤ")),
        ("", "upper", ("", "")),
    ],
)
def test_signature_lines_split_or_derive_the_capacity(
    post: str, kind: str | None, lines: tuple[str, str]
) -> None:
    assert signature_lines(post, kind) == tuple(nfc(line) for line in lines)


def test_every_kind_of_party_organisation_signs_for_a_body() -> None:
    assert set(COLLECTIVE_BODIES) == {kind.value for kind in OrgKind}
