"""Pages as users meet them: tree, search, detail, forms with Vietnamese errors, language switch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from dangbo.core.models import AuditEvent
from dangbo.orgs import services
from dangbo.orgs.models import CommitteeTerm, Organisation
from tests.conftest import PASSWORD
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese(client):
    response = client.get("/", follow=True)
    html = response.content.decode()
    assert '<html lang="vi"' in html
    assert "Đăng nhập" in html and "Mật khẩu" in html


def test_tree_shows_the_subtree_of_the_committee_office(world):
    html = client_for("office").get(reverse("orgs:org_tree")).content.decode()
    assert "Đảng bộ Tổng công ty Thử nghiệm" in html and "Đảng bộ Cơ quan" in html
    assert "Đảng bộ Tập đoàn Khác" not in html


def test_cell_secretary_sees_only_that_cell(world):
    client = client_for("secretary")
    html = client.get(reverse("orgs:org_tree")).content.decode()
    assert "Chi bộ Văn phòng" in html and "Chi bộ Ban Đầu tư" not in html
    assert "Chi bộ Ban Đầu tư" not in client.get(reverse("orgs:org_tree"), {"q": "chi bo"}).content.decode()
    assert client.get(reverse("orgs:org_detail", args=[world.cell_b.pk])).status_code == 404


@pytest.mark.parametrize("query", ["buu dien ha noi", "BƯU ĐIỆN Hà Nội", "Bưu điện Hà Nội", "ha noi"])
def test_unit_search_is_accent_insensitive(world, query):
    html = client_for("office").get(reverse("orgs:unit_tree"), {"q": query}).content.decode()
    assert "Bưu điện thành phố Hà Nội" in html
    assert 'breadcrumb-path">Tổng công ty Thử nghiệm</div>' in html  # where it sits (no dangling ›)


def test_search_folds_d_with_stroke(world):
    html = client_for("office").get(reverse("orgs:org_tree"), {"q": "dang bo co quan"}).content.decode()
    assert "Đảng bộ Cơ quan" in html
    html = client_for("office").get(reverse("orgs:org_tree"), {"q": "Ban Dau tu"}).content.decode()
    assert "Chi bộ Ban Đầu tư" in html


@pytest.fixture
def cell_secretary_post(world, person, position):
    """Trần Thị Thử, Bí thư of Chi bộ Văn phòng from 01/08/2025."""
    return services.appointment_create(
        actor=None,
        person=person,
        position=position("bi-thu"),
        organisation=world.cell_a,
        starts_on=dt.date(2025, 8, 1),
    )


def test_detail_shows_who_holds_which_post_with_breadcrumbs(world, cell_secretary_post):
    html = client_for("member").get(reverse("orgs:org_detail", args=[world.cell_a.pk])).content.decode()
    assert "Bí thư" in html and "Trần Thị Thử" in html and "01/08/2025" in html
    assert 'aria-current="page"' in html


def test_detail_page_query_count_is_bounded(world, cell_secretary_post, django_assert_max_num_queries):
    client = client_for("office")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("orgs:org_detail", args=[world.cell_a.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("orgs:org_tree")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("orgs:unit_tree"), {"q": "ha noi"}).status_code == 200


def test_add_child_of_wrong_kind_shows_vietnamese_error_and_saves_nothing(world):
    client = client_for("office")
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("orgs:org_add_child", args=[world.cell_a.pk]), {"name": "Tổ đảng", "kind": "cell"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dữ liệu chưa được lưu" in html
    assert "Chi bộ trực thuộc" in html
    assert AuditEvent.objects.count() == events
    assert not Organisation.objects.filter(name="Tổ đảng").exists()


def test_missing_name_is_named_in_the_error(world):
    response = client_for("office").post(
        reverse("orgs:org_add_child", args=[world.grassroots.pk]), {"kind": "cell"}
    )
    html = response.content.decode()
    assert 'href="#id_name"' in html
    assert "Trường này là bắt buộc" in html


def test_add_child_creates_and_redirects_and_is_in_history(world):
    client = client_for("office")
    response = client.post(
        reverse("orgs:org_add_child", args=[world.grassroots.pk]),
        {"name": "Chi bộ Ban Pháp chế", "kind": "cell"},
    )
    new = Organisation.objects.get(name="Chi bộ Ban Pháp chế")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:org_detail", args=[new.pk])
    html = client.get(reverse("orgs:org_history", args=[new.pk])).content.decode()
    assert "organisation.create" in html and "office" in html


def test_moving_under_own_child_is_refused_in_the_form(world):
    response = client_for("office").post(
        reverse("orgs:org_move", args=[world.grassroots.pk]), {"new_parent": world.cell_a.pk}
    )
    assert response.status_code == 200
    world.grassroots.refresh_from_db()
    assert world.grassroots.parent == world.tct


def test_overlapping_term_is_refused_in_the_form(world):
    client = client_for("office")
    url = reverse("orgs:term_add", args=[world.tct.pk])
    ok = client.post(url, {"name": "2025–2030", "starts_on": "2025-07-21"})
    assert ok.status_code == 302
    bad = client.post(url, {"name": "Trùng", "starts_on": "2026-01-01", "ends_on": "2027-01-01"})
    assert "2025–2030" in bad.content.decode()
    assert CommitteeTerm.objects.count() == 1


def test_interface_switches_to_english_and_back(world):
    client = client_for("office")
    client.post(reverse("set_language"), {"language": "en", "next": "/to-chuc/"})
    html = client.get(reverse("orgs:org_tree")).content.decode()
    assert '<html lang="en"' in html and "Party organisations" in html
    client.post(reverse("set_language"), {"language": "vi", "next": "/to-chuc/"})
    html = client.get(reverse("orgs:org_tree")).content.decode()
    assert '<html lang="vi"' in html and "Tổ chức đảng" in html


def test_person_page_lists_concurrent_posts(world, person, position):
    services.appointment_create(
        actor=None,
        person=person,
        position=position("bi-thu"),
        organisation=world.tct,
        starts_on=dt.date(2025, 7, 21),
    )
    services.appointment_create(
        actor=None,
        person=person,
        position=position("thanh-vien-hdtv"),
        unit=world.corp,
        starts_on=dt.date(2025, 7, 21),
    )
    html = client_for("office").get(reverse("orgs:person_detail", args=[person.pk])).content.decode()
    assert "Bí thư" in html and "Thành viên Hội đồng thành viên" in html


def test_wrong_login_gives_a_generic_message_and_is_throttled(world, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    client = Client()
    for _ in range(3):
        html = client.post(reverse("login"), {"username": "office", "password": "sai"}).content.decode()
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in html
    html = client.post(reverse("login"), {"username": "office", "password": PASSWORD}).content.decode()
    assert "Quá nhiều lần" in html or "quá nhiều lần" in html
    unknown = client.post(reverse("login"), {"username": "khongco", "password": "sai"}).content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in unknown


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(world):
    html = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi"' in html and "Đăng nhập" in html


def test_secretary_adds_a_person_to_their_cell_and_it_is_sorted_and_audited(world):
    from dangbo.orgs.models import Person

    client = client_for("secretary")
    response = client.post(
        reverse("orgs:person_add", args=[world.cell_a.pk]),
        {
            "full_name": "Nguyễn  Văn Đức",
            "gender": "male",
            "birth_date": "1985-03-27",
            "is_party_member": "on",
        },
    )
    person = Person.objects.get(full_name="Nguyễn Văn Đức")
    assert response.status_code == 302 and person.organisation == world.cell_a and person.is_party_member
    html = client.get(reverse("orgs:org_detail", args=[world.cell_a.pk])).content.decode()
    assert "Nguyễn Văn Đức" in html
    assert audit_actions(person) == ["person.create"]


def test_person_with_a_bad_email_is_refused_with_the_field_named(world, person):
    response = client_for("office").post(
        reverse("orgs:person_edit", args=[person.pk]),
        {"full_name": "Trần Thị Thử", "email": "không-phải-email"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'href="#id_email"' in html and 'aria-invalid="true"' in html
    person.refresh_from_db()
    assert person.email == ""


def test_sysadmin_grants_and_revokes_a_role_and_the_grant_takes_effect(world):
    admin = client_for("sysadmin")
    url = reverse("orgs:roles", args=[world.cell_b.pk])
    assert admin.post(url, {"username": "norole", "role": "cell_secretary"}).status_code == 302
    newcomer = client_for("norole")
    assert newcomer.get(reverse("orgs:org_detail", args=[world.cell_b.pk])).status_code == 200
    assignment = world.users["norole"].role_assignments.get()
    assert admin.post(reverse("orgs:role_revoke", args=[assignment.pk])).status_code == 302
    assert client_for("norole").get(reverse("orgs:org_detail", args=[world.cell_b.pk])).status_code in (
        403,
        404,
    )
    assert audit_actions(assignment) == ["role.assign", "role.revoke"]


def test_granting_a_role_to_an_unknown_login_is_refused(world):
    html = (
        client_for("sysadmin")
        .post(reverse("orgs:roles", args=[world.cell_b.pk]), {"username": "khong-ton-tai", "role": "member"})
        .content.decode()
    )
    assert "Dữ liệu chưa được lưu" in html and 'href="#id_username"' in html


def audit_actions(instance) -> list[str]:
    from dangbo.core import audit

    return [e.action for e in audit.history(instance)]


def test_sign_in_and_out_are_audited(world):
    from dangbo.core.models import AuditEvent

    client = Client()
    client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(actor_label="leader").values_list("action", flat=True))
    assert actions == ["auth.login", "auth.logout"]


def test_history_shows_what_changed_with_field_labels(world):
    client = client_for("office")
    services.organisation_update(
        actor=world.users["office"], organisation=world.cell_b, name="Chi bộ Ban Kế hoạch"
    )
    html = client.get(reverse("orgs:org_history", args=[world.cell_b.pk])).content.decode()
    assert "<del>Chi bộ Ban Đầu tư</del>" in html and "<ins>Chi bộ Ban Kế hoạch</ins>" in html
    assert ">Tên<" in html  # the field's Vietnamese label, not "name"


@pytest.mark.parametrize("path", ["/to-chuc/99999999999999999999/", "/nguoi/99999999999999999999/lich-su/"])
def test_huge_ids_in_page_urls_are_404(world, path):
    assert client_for("office").get(path).status_code == 404


def test_odd_search_text_on_pages_is_harmless(world):
    response = client_for("office").get(reverse("orgs:org_tree"), {"q": "\x00chi bo\u0323", "page": "abc"})
    assert response.status_code == 200
