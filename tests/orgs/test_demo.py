"""The demo data set: idempotent, fully audited, shaped like the seeds, logins that work."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import Q

from dangbo.core.models import AuditEvent
from dangbo.orgs import demo, services
from dangbo.orgs.demo import DEMO_PASSWORD, demo_logins, load_demo
from dangbo.orgs.models import Appointment, CommitteeTerm, Organisation, Person, RoleAssignment, Unit

pytestmark = pytest.mark.django_db

REAL_PEOPLE = (
    "Nguyễn Hải Thanh",
    "Nguyễn Hùng Sơn",
    "Chu Đình Động",
    "Nguyễn Long Hải",
    "Hà Thị Minh Hạnh",
    "Nguyễn Trường Giang",
)
EXPECTED_ROLES = {
    "vanphong": ("committee_office", "Đảng bộ Tổng công ty Bưu điện Việt Nam"),
    "bithuchibo": ("cell_secretary", "Chi bộ Ban Tài chính – Kế toán"),
    "dangvien": ("member", "Chi bộ Ban Tài chính – Kế toán"),
    "kiemtra": ("inspection", "Đảng bộ Tổng công ty Bưu điện Việt Nam"),
    "thidua": ("emulation", "Đảng bộ Tổng công ty Bưu điện Việt Nam"),
    "lanhdao": ("leader", "Đảng bộ Tổng công ty Bưu điện Việt Nam"),
    "quantri": ("sysadmin", "Đảng bộ Khối Doanh nghiệp Trung ương"),
}
COUNTED = (Organisation, Unit, CommitteeTerm, Person, Appointment, RoleAssignment, AuditEvent)


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    counts["User"] = get_user_model().objects.count()
    return counts


def test_demo_tables_refer_only_to_known_keys():
    for nodes in (demo.ORGANISATIONS, demo.UNITS):
        keys = [node.key for node in nodes]
        assert len(keys) == len(set(keys))
    people = {row.key for row, _ in demo.PEOPLE_WITH_POSTS}
    assert {post.person for post in demo.LEADER_POSTS + demo.OUTSIDE_TREE_POSTS} <= people
    assert {login.person for login in demo.LOGINS} <= people
    assert len(demo.IDENTITIES) == len(people)


def test_loading_twice_creates_nothing_the_second_time():
    first = load_demo(meetings=False)
    after_first = _counts()
    second = load_demo(meetings=False)

    assert _counts() == after_first
    assert first.created_anything and not second.created_anything
    assert (first.organisations, first.units, first.people, first.appointments) == (
        after_first["Organisation"],
        after_first["Unit"],
        after_first["Person"],
        after_first["Appointment"],
    )
    assert 20 <= first.organisations <= 35
    assert 40 <= first.people <= 80


def test_every_created_row_has_its_audit_event_by_the_system():
    load_demo(meetings=False)
    for model in (Organisation, Unit, CommitteeTerm, Person, Appointment, RoleAssignment):
        object_type = f"{model._meta.app_label}.{model._meta.model_name}"
        created = Q(action__endswith=".create") | Q(action="role.assign")
        audited = set(
            AuditEvent.objects.filter(created, object_type=object_type).values_list("object_id", flat=True)
        )
        assert audited == {str(pk) for pk in model.objects.values_list("pk", flat=True)}, model.__name__
    # Everything is entered by the system (the signatures on the demo's minutes, given by the chairs
    # and secretaries themselves, are tested with the meetings: tests/meetings/test_demo.py).
    assert not AuditEvent.objects.filter(actor__isnull=False).exists()


def test_party_tree_follows_the_seeds():
    load_demo(meetings=False)
    bloc = Organisation.objects.get(parent=None, name="Đảng bộ Khối Doanh nghiệp Trung ương")
    assert (bloc.kind, bloc.code) == ("bloc", "ĐUK")
    tct = Organisation.objects.get(parent=bloc, name="Đảng bộ Tổng công ty Bưu điện Việt Nam")
    assert (tct.kind, tct.code) == ("upper", "ĐU")
    assert bloc.children.filter(kind="upper").count() >= 2
    assert [u.name for u in tct.units.all()] == ["Tổng công ty Bưu điện Việt Nam"]

    head_office = tct.children.get(name="Đảng bộ Cơ quan Tổng công ty")
    assert head_office.kind == "grassroots"
    for cell in head_office.children.all():
        assert cell.kind == "cell"
        assert [(u.kind, f"Chi bộ {u.name}") for u in cell.units.all()] == [("department", cell.name)]
    for org in tct.children.exclude(pk=head_office.pk):
        assert org.kind in {"grassroots", "grassroots_cell"}
        assert [u.kind for u in org.units.all()] == ["subsidiary"]


def test_sixty_three_provincial_post_offices_led_by_no_organisation_of_the_tree():
    load_demo(meetings=False)
    provincial = Unit.objects.filter(kind="provincial")
    names = list(provincial.values_list("name", flat=True))
    assert len(names) == len(set(names)) == 63
    assert all(n.startswith(("Bưu điện tỉnh ", "Bưu điện thành phố ")) for n in names)
    assert {"Bưu điện thành phố Hà Nội", "Bưu điện tỉnh Hà Giang", "Bưu điện thành phố Hồ Chí Minh"} <= set(
        names
    )
    assert set(Unit.objects.filter(children__kind="provincial").values_list("kind", flat=True)) == {
        "corporation"
    }
    assert not provincial.filter(led_by__isnull=False).exists()
    assert Unit.objects.get(name="Bưu điện thành phố Hà Nội").children.filter(kind="post_office").count() >= 2


def test_terms_and_concurrent_posts_with_history():
    load_demo(meetings=False)
    for name in ("Đảng bộ Tổng công ty Bưu điện Việt Nam", "Đảng bộ Cơ quan Tổng công ty"):
        terms = list(CommitteeTerm.objects.filter(organisation__name=name).order_by("starts_on"))
        assert [t.name for t in terms] == ["2020–2025", "2025–2030"]
        assert terms[0].ends_on is not None and terms[0].ends_on < terms[1].starts_on
        assert terms[1].ends_on is None

    secretary = Appointment.objects.current().get(
        position__code="bi-thu", organisation__name="Đảng bộ Tổng công ty Bưu điện Việt Nam"
    )
    assert secretary.term is not None and secretary.term.name == "2025–2030"
    concurrent = set(
        Appointment.objects.current()
        .filter(person=secretary.person)
        .values_list("position__code", "unit__kind")
    )
    assert ("chu-tich-hdtv", "corporation") in concurrent
    assert Appointment.objects.current().filter(position__code="tong-giam-doc").exists()
    assert Appointment.objects.filter(ends_on__isnull=False, term__name="2020–2025").count() >= 3
    for cell in Organisation.objects.filter(kind__in=["cell", "grassroots_cell"]):
        assert cell.appointments.filter(position__code="bi-thu").count() == 1, cell.name


def test_people_are_fictional_and_mixed():
    load_demo(meetings=False)
    names = set(Person.objects.values_list("full_name", flat=True))
    assert names.isdisjoint(REAL_PEOPLE)
    assert Person.objects.count() == len(names)
    assert set(Person.objects.values_list("gender", flat=True)) == {"male", "female"}
    assert Person.objects.filter(is_party_member=False).exists()
    assert Person.objects.filter(organisation__kind="cell").count() > Person.objects.count() // 2


def test_each_login_authenticates_and_has_exactly_its_role():
    load_demo(meetings=False)
    logins = demo_logins()
    assert {username for username, *_ in logins} == set(EXPECTED_ROLES)
    for username, password, role_label, organisation in logins:
        assert password == DEMO_PASSWORD and role_label
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert not user.is_staff and not user.is_superuser
        roles = list(
            RoleAssignment.objects.active().filter(user=user).values_list("role", "organisation__name")
        )
        assert roles == [EXPECTED_ROLES[username]] and organisation == EXPECTED_ROLES[username][1]
        person = Person.objects.get(user=user)
        assert f"{user.first_name} {user.last_name}" == person.full_name


def test_cell_secretary_role_is_on_a_cell_of_which_the_member_is_a_member_too():
    load_demo(meetings=False)
    secretary = RoleAssignment.objects.get(user__username="bithuchibo")
    member = RoleAssignment.objects.get(user__username="dangvien")
    assert secretary.organisation.kind == "cell"
    assert member.organisation == secretary.organisation
    assert Person.objects.get(user__username="dangvien").organisation == secretary.organisation
    assert Appointment.objects.filter(
        person__user__username="bithuchibo", position__code="bi-thu", organisation=secretary.organisation
    ).exists()


def test_command_loads_once_and_prints_the_logins():
    out = io.StringIO()
    call_command("demo", stdout=out)
    counts = _counts()
    call_command("demo", "--if-empty", stdout=out)
    call_command("demo", stdout=out)

    assert _counts() == counts
    text = out.getvalue()
    assert text.count(f"Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD})") == 3
    assert "Đã có tổ chức đảng" in text and "không tạo thêm gì" in text
    assert all(username in text for username in EXPECTED_ROLES)


def test_command_if_empty_leaves_an_existing_tree_alone():
    services.organisation_create(actor=None, parent=None, name="Đảng bộ Khác", kind="grassroots")
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)

    assert Organisation.objects.count() == 1
    assert not get_user_model().objects.exists()
    assert "Tài khoản demo" not in out.getvalue()
