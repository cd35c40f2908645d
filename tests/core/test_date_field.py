"""Dates typed on the pages: day first whatever the browser, ISO for saved links, and a message that
says what is wrong (H6: 31/02/2026 gave "Trường này là bắt buộc")."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
import unicodedata

import pytest
from django import forms
from django.urls import reverse

import dangbo
from dangbo.core.dates import DateProblem, parse_date
from dangbo.core.forms import VNDateField, VNDateInput
from dangbo.documents import tasks
from dangbo.documents.models import ProgressReport
from dangbo.members import importer
from tests.documents import conftest as documents_fixtures
from tests.documents.conftest import D, own
from tests.helpers import client_for

D5_12 = dt.date(2026, 12, 5)
terms = documents_fixtures.terms  # the committee terms a registered document needs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/12/2026", D5_12),
        ("5/12/2026", D5_12),
        ("5/1/2026", dt.date(2026, 1, 5)),
        ("05-12-2026", D5_12),
        ("05.12.2026", D5_12),
        (" 05 / 12 / 2026 ", D5_12),
        ("05122026", D5_12),  # a phone's numeric keypad has no "/"
        ("2026-12-05", D5_12),  # ISO: saved links, old clients
        ("2026-1-5", dt.date(2026, 1, 5)),
        ("29/02/2028", dt.date(2028, 2, 29)),
        ("31/12/2026", dt.date(2026, 12, 31)),
        ("０５／１２／２０２６", D5_12),  # full-width digits and slashes (Vietnamese IME)
        ("０５/１２/２０２６", D5_12),
        ("05\u00a012\u00a02026", D5_12),  # no-break spaces from a pasted document
        ("ngày 5 tháng 12 năm 2026", D5_12),
        (unicodedata.normalize("NFD", "Ngày 05 tháng 12 năm 2026"), D5_12),  # a Mac keyboard's NFD
    ],
)
def test_day_first_and_iso_dates_are_read(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message", "reason"),
    [
        (
            "31/02/2026",
            "Ngày 31/02/2026 không tồn tại: tháng 2 năm 2026 có 28 ngày.",
            "ngày không tồn tại",
        ),
        (
            "29/02/2027",
            "Ngày 29/02/2027 không tồn tại: tháng 2 năm 2027 có 28 ngày.",
            "ngày không tồn tại",
        ),
        ("2026-02-31", "Ngày 31/02/2026 không tồn tại: tháng 2 năm 2026 có 28 ngày.", "ngày không tồn tại"),
        ("31/04/2026", "Ngày 31/04/2026 không tồn tại: tháng 4 năm 2026 có 30 ngày.", "ngày không tồn tại"),
        ("00/12/2026", "Ngày 00/12/2026 không tồn tại: tháng 12 năm 2026 có 31 ngày.", "ngày không tồn tại"),
        ("１５／１３／２０２６", "Ngày 15/13/2026 không tồn tại: không có tháng 13.", "ngày không tồn tại"),
        (
            "05/19/2026",
            "Ngày 05/19/2026 không tồn tại: không có tháng 19. Có vẻ ngày và tháng bị đảo: hãy nhập "
            "ngày/tháng/năm, ví dụ 19/05/2026.",
            "ngày và tháng có vẻ bị đảo (định dạng đúng là ngày/tháng/năm)",
        ),
        (
            "hôm qua",
            "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/12/2026.",
            "không phải ngày dạng ngày/tháng/năm",
        ),
        (
            unicodedata.normalize("NFD", "tháng mười"),
            "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/12/2026.",
            "không phải ngày dạng ngày/tháng/năm",
        ),
        (
            "12/2026",
            "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/12/2026.",
            "không phải ngày dạng ngày/tháng/năm",
        ),
        (
            "05/12/26",
            "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/12/2026.",
            "không phải ngày dạng ngày/tháng/năm",
        ),
    ],
)
def test_a_wrong_date_says_what_is_wrong(text, message, reason):
    with pytest.raises(DateProblem) as problem:
        parse_date(text)
    assert problem.value.message == message
    assert str(problem.value) == reason  # the importer's short reason, same reader
    with pytest.raises(forms.ValidationError) as error:
        VNDateField().clean(text)
    assert error.value.messages == [message]


def test_the_importer_reads_dates_with_the_same_reader():
    assert importer.parse_date is parse_date


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_required_is_said_only_of_an_empty_box(empty):
    with pytest.raises(forms.ValidationError) as error:
        VNDateField().clean(empty)
    assert error.value.code == "required"
    assert VNDateField(required=False).clean(empty) is None


class _Form(forms.Form):
    day = VNDateField(label="Ngày", help_text="Ngày họp")


def test_the_box_is_a_day_first_text_box_with_its_format_described():
    html = str(_Form(initial={"day": D5_12})["day"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="05/12/2026"' in html
    assert (
        'inputmode="numeric"' in html and 'placeholder="dd/mm/yyyy"' in html and 'autocomplete="off"' in html
    )
    assert 'pattern="' in html
    assert 'aria-describedby="id_day_helptext id_day_format"' in html
    assert '<div class="form-text" id="id_day_format">Ngày/tháng/năm, ví dụ 05/12/2026</div>' in html


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("2026-12-05", "05/12/2026"), ("5/12/2026", "05/12/2026"), ("31/02/2026", "31/02/2026"), ("abc", "abc")],
)
def test_what_was_typed_comes_back_day_first_or_as_typed(typed, shown):
    form = _Form({"day": typed})
    form.is_valid()
    assert f'value="{shown}"' in str(form["day"])


def test_the_pattern_lets_every_readable_form_through():
    pattern = re.compile(VNDateInput().attrs["pattern"])
    for text in ("05/12/2026", "5/1/2026", "2026-12-05", "05.12.2026", "05122026", "０５／１２／２０２６"):
        assert pattern.fullmatch(text), text
    assert not pattern.fullmatch("hôm qua")


def test_every_date_field_of_every_page_form_is_day_first():
    for module in pkgutil.walk_packages(dangbo.__path__, "dangbo."):
        if re.search(r"\.(forms\w*|views\w*)$", module.name):
            importlib.import_module(module.name)
    seen, todo, plain = 0, [forms.Form], []
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        for name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field, forms.DateField):
                seen += 1
                if not isinstance(field, VNDateField) or field.widget.input_type != "text":
                    plain.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert seen >= 20 and plain == []


# --- On a real page -------------------------------------------------------------------------------


@pytest.fixture
def task(world, request):
    request.getfixturevalue("terms")
    resolution = own(world.tct, "NQ", D(2025, 9, 1), summary="Nghị quyết về chuyển đổi số")
    [task] = tasks.task_create(
        actor=None,
        document=resolution,
        title="Số hóa hồ sơ",
        assignees=[world.cell_a],
        start_on=D(2025, 10, 1),
        due_on=D(2025, 12, 31),
    )
    return task


@pytest.mark.django_db
def test_an_impossible_report_date_is_named_and_kept_in_the_box(task):
    client = client_for("secretary")
    url = reverse("documents:task_report", args=[task.pk])
    page = client.get(url).content.decode()
    assert re.search(r'name="reported_on" value="\d\d/\d\d/\d{4}"', page)  # today, day first
    response = client.post(url, {"reported_on": "31/02/2026", "percent": "50", "text": "Đang làm"})
    html = response.content.decode()
    assert response.status_code == 200 and ProgressReport.objects.count() == 0
    assert "Ngày 31/02/2026 không tồn tại: tháng 2 năm 2026 có 28 ngày." in html
    assert "bắt buộc" not in html
    assert 'value="31/02/2026"' in html
    response = client.post(url, {"reported_on": "10/11/2025", "percent": "50", "text": "Đang làm"})
    assert response.status_code == 302
    assert ProgressReport.objects.get().reported_on == D(2025, 11, 10)


@pytest.mark.django_db
def test_a_report_refused_for_another_field_shows_its_date_day_first(task):
    response = client_for("secretary").post(
        reverse("documents:task_report", args=[task.pk]), {"reported_on": "2025-11-10", "percent": "150"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and ProgressReport.objects.count() == 0
    assert 'value="10/11/2025"' in html


@pytest.mark.django_db
@pytest.mark.usefixtures("terms")
def test_the_register_filters_keep_working_with_links_that_carry_iso_dates(world):
    own(world.tct, "NQ", D(2025, 9, 1), summary="Nghị quyết tháng chín")
    own(world.tct, "NQ", D(2025, 3, 1), summary="Nghị quyết tháng ba")
    client = client_for("office")
    for tu in ("2025-06-01", "01/06/2025", "1.6.2025"):
        html = client.get(reverse("documents:list"), {"tu": tu}).content.decode()
        assert "Nghị quyết tháng chín" in html and "Nghị quyết tháng ba" not in html, tu
        assert 'value="01/06/2025"' in html
    html = client.get(reverse("documents:list"), {"tu": "31/02/2025"}).content.decode()
    assert "Ngày 31/02/2025 không tồn tại: tháng 2 năm 2025 có 28 ngày." in html
    assert "Nghị quyết tháng ba" in html  # a wrong filter filters nothing
