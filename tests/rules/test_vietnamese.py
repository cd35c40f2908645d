"""Tests for dangbo.rules.vietnamese."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.rules.vietnamese import (
    ascii_text,
    fold,
    format_date,
    format_date_long,
    format_number,
    name_sort_key,
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def sort_names(names: list[str]) -> list[str]:
    return sorted(names, key=name_sort_key)


# Vietnamese alphabet with f, j, w, z placed in Latin order.
ALPHABET = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
VOWELS = list("aăâeêioôơuưy")
TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
VIETNAMESE_LETTERS = sorted(
    {nfc(letter + tone) for letter in ALPHABET for tone in TONE_MARKS if tone == "" or letter in VOWELS}
)
ALL_CASES = VIETNAMESE_LETTERS + [letter.upper() for letter in VIETNAMESE_LETTERS]

vietnamese_words = st.text(alphabet=ALL_CASES, min_size=1, max_size=7)
vietnamese_names = st.lists(vietnamese_words, min_size=0, max_size=4).map(" ".join)
spacing = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0"])


def is_mark(ch: str) -> bool:
    return unicodedata.combining(ch) != 0 or unicodedata.category(ch) in {"Mn", "Me"}


# --- fold -----------------------------------------------------------------


def test_fold_lowercases_strips_marks_and_collapses_whitespace() -> None:
    assert fold("  Bưu điện  Hà Nội ") == "buu dien ha noi"


def test_fold_turns_d_with_stroke_into_d() -> None:
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẢNG ĐOÀN") == "dang doan"


def test_fold_handles_tabs_and_newlines_as_single_spaces() -> None:
    assert fold("Chi bộ\t\nsố  1\u00a0") == "chi bo so 1"


def test_fold_gives_same_result_for_nfd_and_nfc_input() -> None:
    text = "Nguyễn Thị Hồng Nhung, Bưu điện Hà Nội, Đặng Thị Ngọc Thịnh"
    assert nfd(text) != nfc(text)
    assert fold(nfd(text)) == fold(nfc(text)) == "nguyen thi hong nhung, buu dien ha noi, dang thi ngoc thinh"


def test_fold_of_empty_or_blank_text_is_empty() -> None:
    assert fold("") == ""
    assert fold(" \t\n ") == ""


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_ignores_unicode_normal_form(text: str) -> None:
    assert fold(nfd(text)) == fold(nfc(text))


@given(st.text())
def test_fold_output_has_no_marks_no_d_stroke_and_single_spaces(text: str) -> None:
    folded = fold(text)
    assert not any(is_mark(ch) for ch in folded)
    assert "đ" not in folded
    assert "Đ" not in folded
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(ch == " " or not ch.isspace() for ch in folded)


@given(vietnamese_names)
def test_fold_of_vietnamese_text_is_plain_lowercase_ascii(name: str) -> None:
    folded = fold(name)
    assert folded.isascii()
    assert folded == folded.lower()


# --- name_sort_key --------------------------------------------------------


def test_names_sort_by_given_name_first() -> None:
    names = ["Nguyễn Văn Bình", "Lê Thị Ân", "Trần Văn An"]
    assert sort_names(names) == ["Trần Văn An", "Lê Thị Ân", "Nguyễn Văn Bình"]


def test_d_sorts_before_d_with_stroke() -> None:
    assert sort_names(["Phạm Đức Đạt", "Nguyễn Văn Dũng"]) == ["Nguyễn Văn Dũng", "Phạm Đức Đạt"]


def test_huyen_tone_sorts_before_nang_tone() -> None:
    assert sort_names(["Lê Văn Hạ", "Lê Văn Hà"]) == ["Lê Văn Hà", "Lê Văn Hạ"]


def test_equal_given_names_fall_back_to_family_name() -> None:
    assert sort_names(["Nguyễn Văn Nam", "Lê Văn Nam"]) == ["Lê Văn Nam", "Nguyễn Văn Nam"]


def test_equal_given_and_family_names_fall_back_to_middle_name() -> None:
    assert sort_names(["Lê Văn Nam", "Lê Thị Nam", "Lê Nam"]) == ["Lê Nam", "Lê Thị Nam", "Lê Văn Nam"]


def test_ngang_tone_sorts_before_sac_tone() -> None:
    assert sort_names(["Trần Thị Ánh", "Trần Thị Anh"]) == ["Trần Thị Anh", "Trần Thị Ánh"]


def test_vowel_shapes_sort_after_plain_vowel() -> None:
    assert sort_names(["Hơ", "Hồ", "Ho"]) == ["Ho", "Hồ", "Hơ"]
    assert sort_names(["Ư", "U"]) == ["U", "Ư"]
    assert sort_names(["Â", "Ă", "A"]) == ["A", "Ă", "Â"]
    assert sort_names(["Ê", "E"]) == ["E", "Ê"]


def test_letters_take_precedence_over_tones() -> None:
    # ô < ơ decides even though nặng is the last tone.
    assert sort_names(["Hơ", "Hộ"]) == ["Hộ", "Hơ"]
    # "ha" < "hai" decides even though huyền comes after ngang.
    assert sort_names(["Hai", "Hà"]) == ["Hà", "Hai"]
    assert sort_names(["Anh", "Ạn"]) == ["Ạn", "Anh"]


def test_tones_sort_in_dictionary_order() -> None:
    tones = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert sort_names(list(reversed(tones))) == tones


def test_single_letters_follow_vietnamese_alphabet_with_fjwz_in_latin_place() -> None:
    expected = [letter.upper() for letter in ALPHABET]
    assert sort_names(list(reversed(expected))) == expected
    assert sort_names(["Z", "Y", "W", "V", "J", "I", "F", "Ê", "E"]) == [
        "E",
        "Ê",
        "F",
        "I",
        "J",
        "V",
        "W",
        "Y",
        "Z",
    ]


def test_name_sort_key_is_case_insensitive() -> None:
    assert name_sort_key("ĐẶNG THỊ ỆP") == name_sort_key("đặng thị ệp") == name_sort_key("Đặng Thị Ệp")


def test_name_sort_key_accepts_combining_marks_in_any_order() -> None:
    precomposed = name_sort_key("Lê Thị Ệ")
    assert name_sort_key("Lê Thị E\u0302\u0323") == precomposed
    assert name_sort_key("Lê Thị E\u0323\u0302") == precomposed
    assert name_sort_key(nfd("Lê Thị Ệ")) == precomposed


def test_name_sort_key_ignores_extra_whitespace() -> None:
    assert name_sort_key("  Nguyễn \t Văn   An \n") == name_sort_key("Nguyễn Văn An")


def test_empty_name_sorts_first() -> None:
    assert name_sort_key("") == ()
    assert name_sort_key("   ") == ()
    assert sort_names(["Bình", "", "An"]) == ["", "An", "Bình"]


def test_tone_position_does_not_change_the_key() -> None:
    # Old ("hoà") and new ("hòa") tone placement sort as the same word.
    assert name_sort_key("Nguyễn Thị Hoà") == name_sort_key("Nguyễn Thị Hòa")


@given(st.text())
def test_name_sort_key_ignores_unicode_normal_form(text: str) -> None:
    assert name_sort_key(nfd(text)) == name_sort_key(nfc(text))


@given(vietnamese_names)
def test_name_sort_key_ignores_normal_form_of_vietnamese_names(name: str) -> None:
    assert name_sort_key(nfd(name)) == name_sort_key(nfc(name)) == name_sort_key(name)


@given(vietnamese_names)
def test_name_sort_key_ignores_case(name: str) -> None:
    assert name_sort_key(name.upper()) == name_sort_key(name.lower()) == name_sort_key(name)


@given(st.lists(vietnamese_words, min_size=1, max_size=4), st.lists(spacing, min_size=5, max_size=5))
def test_name_sort_key_ignores_spacing(words: list[str], gaps: list[str]) -> None:
    spaced = gaps[0] + "".join(word + gap for word, gap in zip(words, gaps[1 : len(words) + 1], strict=True))
    assert name_sort_key(spaced) == name_sort_key(" ".join(words))


@given(vietnamese_names, vietnamese_names, vietnamese_names)
def test_name_order_is_total_and_transitive(a: str, b: str, c: str) -> None:
    ka, kb, kc = name_sort_key(a), name_sort_key(b), name_sort_key(c)
    assert (ka < kb) + (ka == kb) + (ka > kb) == 1
    if ka == kb:
        assert fold(a) == fold(b)
    if ka <= kb <= kc:
        assert ka <= kc


@given(st.lists(vietnamese_names, max_size=10))
def test_sorting_is_consistent_across_case(names: list[str]) -> None:
    by_mixed = [name.upper() for name in sort_names(names)]
    by_upper = sort_names([name.upper() for name in names])
    by_lower = [name.upper() for name in sort_names([name.lower() for name in names])]
    assert by_mixed == by_upper == by_lower


@given(vietnamese_words, vietnamese_words, vietnamese_words, vietnamese_words)
def test_given_name_decides_before_family_name(
    family_a: str, given_a: str, family_b: str, given_b: str
) -> None:
    ka, kb = name_sort_key(f"{family_a} {given_a}"), name_sort_key(f"{family_b} {given_b}")
    if name_sort_key(given_a) != name_sort_key(given_b):
        assert (ka < kb) == (name_sort_key(given_a) < name_sort_key(given_b))


# --- format_number --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1126, 0, "1.126"),
        (7124, 0, "7.124"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (-1126, 0, "-1.126"),
        (1234567.891, 2, "1.234.567,89"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("-0.5"), 1, "-0,5"),
        (12.5, 1, "12,5"),
        (5, 2, "5,00"),
        (10**20 + 1, 0, "100.000.000.000.000.000.001"),
    ],
)
def test_format_number_uses_dot_thousands_and_comma_decimals(
    value: int | float | Decimal, decimals: int, expected: str
) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_never_shows_negative_zero() -> None:
    assert format_number(-0.001, 2) == "0,00"
    assert format_number(Decimal("-0.4")) == "0"


def test_format_number_rejects_negative_decimals() -> None:
    with pytest.raises(ValueError, match="decimals"):
        format_number(1, -1)


@given(st.integers())
def test_format_number_of_integer_round_trips(n: int) -> None:
    text = format_number(n)
    assert "," not in text
    assert int(text.replace(".", "")) == n
    for group in text.lstrip("-").split(".")[1:]:
        assert len(group) == 3


# --- dates ----------------------------------------------------------------


def test_format_date_is_two_digit_day_and_month() -> None:
    assert format_date(date(2021, 3, 27)) == "27/03/2021"
    assert format_date(date(2023, 10, 11)) == "11/10/2023"
    assert format_date(date(2020, 1, 5)) == "05/01/2020"


def test_format_date_accepts_datetime() -> None:
    assert format_date(datetime(2021, 3, 7, 15, 30)) == "07/03/2021"


def test_format_date_long_uses_document_style() -> None:
    assert format_date_long(date(2023, 10, 11)) == "ngày 11 tháng 10 năm 2023"
    assert format_date_long(date(2021, 3, 5)) == "ngày 05 tháng 03 năm 2021"


def test_format_date_long_puts_place_first() -> None:
    assert format_date_long(date(2023, 10, 11), "Hà Nội") == "Hà Nội, ngày 11 tháng 10 năm 2023"


def test_format_date_long_ignores_blank_place() -> None:
    assert format_date_long(date(2023, 10, 11), "  ") == "ngày 11 tháng 10 năm 2023"
    assert format_date_long(date(2023, 10, 11), None) == "ngày 11 tháng 10 năm 2023"


@given(st.dates())
def test_format_date_and_long_form_agree(d: date) -> None:
    day, month, year = format_date(d).split("/")
    assert format_date_long(d) == f"ngày {day} tháng {month} năm {int(year)}"


def test_collation_key_orders_organisation_names_the_vietnamese_way() -> None:
    from dangbo.rules.vietnamese import collation_key

    names = ["Đảng bộ Cơ quan", "Chi bộ Văn phòng", "Đảng bộ Công ty Tem", "Dịch vụ", "Chi bộ Ban Đầu tư"]
    assert sorted(names, key=collation_key) == [
        "Chi bộ Ban Đầu tư",
        "Chi bộ Văn phòng",
        "Dịch vụ",
        "Đảng bộ Công ty Tem",  # o < ơ: "Công" before "Cơ"
        "Đảng bộ Cơ quan",
    ]


def test_fold_drops_control_characters_such_as_nul() -> None:
    assert fold("\x00Chi\x07 bộ\tVăn\x00 phòng") == "chi bo van phong"


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=5))
def test_name_keys_built_from_syllables_equal_the_whole_name_keys(words):
    # Imports and generated registers cache per syllable; they must give the very keys the services compute.
    from dangbo.rules.vietnamese import NameKeys, name_collation_key

    keys = NameKeys()
    name = " ".join(words)
    assert keys(name) == (fold(name), name_collation_key(name))
    assert keys(name) == (fold(name), name_collation_key(name))  # the second time from the cache


def test_ascii_text_keeps_case_and_reads_d_stroke_as_d() -> None:
    assert ascii_text("70-NQ/ĐU") == "70-NQ/DU"
    assert ascii_text(unicodedata.normalize("NFD", "Nghị quyết đổi mới")) == "Nghi quyet doi moi"
    assert ascii_text("Ðảng\x00 ủy") == "Dang uy"
