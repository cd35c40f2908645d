"""The audit log reads as a record for people, not a database dump (walk-through 2026-12, M5): Vietnamese
field labels, names instead of ids, local dd/mm/yyyy HH:MM times, action labels, people's names for the
actor, the object as its type and name, only what changed, a signature as a sentence; and filters by
object type, person, action and date range that keep through pagination."""

# ruff: noqa: F811  (the fixtures `cell` and `study_world` are imported from other suites)
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from dangbo.core.models import AuditEvent
from dangbo.documents import study
from dangbo.meetings import services as meeting_services
from dangbo.orgs import services as org_services
from tests.documents.conftest import study_world  # noqa: F401  (fixture)
from tests.helpers import client_for
from tests.meetings.conftest import cell  # noqa: F401  (fixture)
from tests.meetings.test_services import held_meeting, minutes_input

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "dangbo"


def _html(username: str = "office", **params: Any) -> str:
    response = client_for(username).get(reverse("audit_log"), params)
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, event: AuditEvent) -> str:
    start = html.index(f'data-seq="{event.seq}"')
    return html[start : html.index("</tr>\n", start)]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def signed(world, cell):
    """A held meeting of cell A whose minutes the secretary, then the chair signed: sealed."""
    meeting = held_meeting(world, cell)
    meeting_services.minutes_save(actor=cell.secretary_user, meeting=meeting, data=minutes_input())
    meeting_services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    meeting_services.minutes_sign(actor=cell.chair_user, meeting=meeting)
    return meeting


def _event(action: str, **filters: Any) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, **filters).latest("seq")


# --- Labels ------------------------------------------------------------------------------------


def test_every_field_of_every_model_has_a_vietnamese_label():
    from dangbo.core.audit_display import field_label

    untranslated = []
    with translation.override("vi"):
        for model in apps.get_models():
            if not model.__module__.startswith("dangbo") or model._meta.app_label == "core":
                continue
            for field in model._meta.concrete_fields:
                label = field_label(model, field.attname)
                if label.lower() in {field.name.replace("_", " "), field.attname.replace("_", " ")}:
                    untranslated.append(f"{model._meta.label_lower}.{field.name}")
    assert untranslated == []


def test_field_names_and_snapshot_keys_read_in_vietnamese(world, signed):
    html = _html()
    save = _row(html, _event("minutes.save"))
    assert "Khai mạc lúc" in _text(save)
    for english in (
        "Chair signed at",
        "Chair signed by",
        "Content hash",
        "Updated at",
        "capacity",
        "Meeting:",
    ):
        assert english not in html, english


def test_foreign_key_ids_show_the_objects_name(world, cell, signed):
    html = _html()
    plan = _text(_row(html, _event("meeting.plan")))
    # the chair and the minutes secretary are people, the organisation is the cell
    assert "Chủ trì Trần Văn Bình" in plan and "Thư ký Nguyễn Thị Lan" in plan
    assert "Chi bộ Văn phòng" in plan
    # a list of people convened reads as their names; the places in the trees are not shown
    assert "Người được triệu tập" in plan and "Lê Thị Cúc" in plan
    assert "Vị trí trong cây" not in plan and world.cell_a.path not in plan
    # attendance reads as each attendee's name and mark, not as attendee ids
    attendance = _text(_row(html, _event("meeting.attendance")))
    assert "Lê Thị Cúc: Có mặt" in attendance
    chair_id = str(cell.members["chair"].person.pk)
    assert f"Chủ trì {chair_id} " not in plan


# --- Times -------------------------------------------------------------------------------------


def test_times_are_local_dd_mm_yyyy_hh_mm_in_the_row_and_in_the_values(world, signed):
    seal = _event("minutes.seal")
    html = _html()
    row = _row(html, seal)
    assert _local(seal.occurred_at) in row
    sealed_at = dt.datetime.fromisoformat(seal.after["sealed_at"])
    assert _local(sealed_at) in _text(row)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", html)


# --- Actions -----------------------------------------------------------------------------------

F_STRING_ACTIONS = {
    'f"evaluation.round_{target.value}"': lambda: [
        f"evaluation.round_{s}" for s in ("proposing", "deciding", "closed")
    ],
    'f"evaluation.{verb}"': lambda: ["evaluation.propose", "evaluation.decide"],
    'f"{model._meta.model_name}.create"': lambda: ["organisation.create", "unit.create"],
    'f"{node._meta.model_name}.update"': lambda: ["organisation.update", "unit.update"],
    'f"{model._meta.model_name}.move"': lambda: ["organisation.move", "unit.move"],
    'f"member.{event_kind.value}"': lambda: [f"member.{k.value}" for k in _event_kinds()],
    'f"emulation.movement_{target.value}"': lambda: [
        f"emulation.movement_{s}" for s in ("registration", "scoring", "closed", "published")
    ],
    'f"emulation.score_{kind}"': lambda: ["emulation.score_self", "emulation.score_council"],
}


def _event_kinds() -> Any:
    from dangbo.rules.membership import EventKind

    return list(EventKind)


def _recorded_actions() -> set[str]:
    """Every action code the sources record: `action="…"`, `action = "…" if … else "…"`, the
    member history's `_log_history_change(…, "…")`, and the f-strings above, expanded."""
    codes: set[str] = set()
    unknown: list[str] = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "audit" not in text:
            continue
        codes |= set(re.findall(r'\baction="([a-z_]+\.[a-z_.]+)"', text))
        for line in re.findall(r"\baction = (.+)", text):
            codes |= set(re.findall(r'"([a-z_]+\.[a-z_.]+)"', line))
        codes |= set(re.findall(r'_log_history_change\([^)]*?"([a-z_]+\.[a-z_.]+)"', text, re.S))
        for pattern in re.findall(r'\baction=(f"[^"]+")', text):
            if pattern in F_STRING_ACTIONS:
                codes |= set(F_STRING_ACTIONS[pattern]())
            else:
                unknown.append(f"{path.name}: {pattern}")
    assert unknown == [], "an action built by an f-string the test does not know how to expand"
    return codes


def test_every_recorded_action_has_a_label():
    from dangbo.core.labels import ACTION_LABELS

    codes = _recorded_actions()
    assert {"minutes.sign", "study.confirm", "member.event_correct", "organisation.create"} <= codes
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_the_row_shows_the_action_label_not_its_code(world, signed):
    html = _html()
    row = _row(html, _event("minutes.sign"))
    assert "Ký biên bản" in _text(row)
    assert "minutes.sign" not in _text(row)


# --- Actor and object --------------------------------------------------------------------------


def test_the_actor_is_the_persons_name_not_the_login(world, cell, signed):
    html = _html()
    row = _text(_row(html, _event("minutes.sign", actor=cell.secretary_user)))
    assert "Nguyễn Thị Lan" in row
    assert " minutes " not in f" {row} "


def test_the_object_is_its_type_and_name(world, study_world):
    assignment = study.study_assign(
        actor=None,
        document=study_world.document,
        organisation=world.cell_a,
        start_on=study_world.today - dt.timedelta(days=1),
        due_on=study_world.today + dt.timedelta(days=9),
    )
    study.study_confirm(actor=world.users["member"], assignment=assignment)
    html = _html()
    row = _text(_row(html, _event("study.confirm")))
    assert "Xác nhận học tập" in row and "Nguyễn Thị Lan" in row
    assert not re.search(rf"\b{assignment.pk} {study_world.members['member'].pk}\b", row)
    org = _text(
        _row(_html(loai="orgs.organisation"), _event("organisation.create", object_id=world.cell_a.pk))
    )
    assert "Tổ chức đảng Chi bộ Văn phòng" in org


# --- Changes -----------------------------------------------------------------------------------


def test_a_signature_is_a_sentence_not_a_deletion(world, signed):
    html = _html()
    secretary = _row(html, AuditEvent.objects.filter(action="minutes.sign").earliest("seq"))
    chair = _row(html, _event("minutes.sign"))
    assert "<del>" not in secretary and "<del>" not in chair
    assert "Ký với tư cách thư ký" in _text(secretary)
    assert "Ký với tư cách chủ trì" in _text(chair)
    content_hash = _event("minutes.seal").after["content_hash"]
    assert f"mã kiểm tra nội dung {content_hash[:12]}" in _text(chair).lower()
    seal = _text(_row(html, _event("minutes.seal")))
    assert "niêm phong" in seal.lower() and content_hash[:12] in seal


def test_an_update_shows_only_what_changed(world):
    org_services.organisation_update(
        actor=world.users["office"], organisation=world.cell_a, name="Chi bộ Hành chính"
    )
    html = _html()
    row = _row(html, _event("organisation.update"))
    changed = re.findall(r'<th scope="row"[^>]*>([^<]+)</th>', row)
    assert changed == ["Tên"]
    assert "<del>Chi bộ Văn phòng</del>" in row and "<ins>Chi bộ Hành chính</ins>" in row


# --- Filters -----------------------------------------------------------------------------------


def _seqs(html: str) -> set[int]:
    return {int(s) for s in re.findall(r'data-seq="(\d+)"', html)}


def test_filter_by_object_type_action_person_and_dates(world, cell, signed):
    events = AuditEvent.objects.all()
    by_type = _seqs(_html(loai="meetings.minutes"))
    assert by_type == set(events.filter(object_type="meetings.minutes").values_list("seq", flat=True))
    by_action = _seqs(_html(thao_tac="minutes.sign"))
    assert by_action == set(events.filter(action="minutes.sign").values_list("seq", flat=True))
    by_person = _seqs(_html(nguoi=str(cell.chair_user.pk)))
    assert by_person and by_person == set(events.filter(actor=cell.chair_user).values_list("seq", flat=True))
    today = timezone.localdate()
    within = _seqs(_html(tu=today.strftime("%d/%m/%Y"), den=today.strftime("%d/%m/%Y")))
    assert within and _seqs(_html(tu=(today + dt.timedelta(days=1)).strftime("%d/%m/%Y"))) == set()
    assert _seqs(_html(den=(today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))) == set()


def test_the_filter_lists_offer_people_by_name_and_actions_by_label(world, cell, signed):
    html = _html()
    form = html[html.index('id="audit-filters"') :]
    form = form[: form.index("</form>")]
    assert f'<option value="{cell.chair_user.pk}">Trần Văn Bình</option>' in form
    assert '<option value="minutes.sign">Ký biên bản</option>' in form
    assert '<option value="meetings.minutes">Biên bản</option>' in form


def test_filters_keep_through_pagination(world):
    for n in range(55):
        org_services.person_create(actor=None, full_name=f"Người thứ {n}", organisation=world.cell_a)
    html = _html(thao_tac="person.create")
    assert len(_seqs(html)) == 50
    assert "thao_tac=person.create" in html and "page=2" in html
    second = _html(thao_tac="person.create", page="2")
    assert len(_seqs(second)) == 5


def test_bad_filter_values_filter_nothing_and_say_so(world, signed):
    everything = _seqs(_html())
    for params, message in (
        ({"tu": "31/02/2026"}, "Ngày 31/02/2026 không tồn tại: tháng 2 năm 2026 có 28 ngày."),
        ({"den": "hôm qua"}, "ngày/tháng/năm"),
        ({"thao_tac": "minutes.burn"}, "Thao tác"),
        ({"loai": "auth.secret"}, "Loại đối tượng"),
        ({"nguoi": "abc"}, "Người thực hiện"),
    ):
        html = _html(**params)
        assert _seqs(html) == everything, params
        assert "không áp dụng" in html and message in html, params


def test_the_page_stays_within_ten_queries_with_filters_and_names(
    world,
    cell,
    signed,
    django_assert_max_num_queries,
):
    client = client_for("office")
    client.get(reverse("audit_log"))  # the session's first load
    with django_assert_max_num_queries(10):
        assert client.get(reverse("audit_log")).status_code == 200
    with django_assert_max_num_queries(10):
        params = {"thao_tac": "minutes.sign", "tu": timezone.localdate().strftime("%d/%m/%Y")}
        assert client.get(reverse("audit_log"), params).status_code == 200


def test_a_history_page_reads_the_same_way(world):
    org_services.organisation_update(
        actor=world.users["office"], organisation=world.cell_a, name="Chi bộ Hành chính"
    )
    response = client_for("office").get(reverse("orgs:org_history", args=[world.cell_a.pk]))
    assert response.status_code == 200
    row = _row(response.content.decode(), _event("organisation.update"))
    assert re.findall(r'<th scope="row"[^>]*>([^<]+)</th>', row) == ["Tên"]
