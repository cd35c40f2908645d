"""The main menu by role (walk-through of December 2026, M9): a few groups instead of 11 links, the
handbook first only for a plain member, "Đảng viên" straight to one's own register, "API" only for
the roles that use it, the current page marked for screen readers, and a bell with the unread count
on every page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangbo.core.menu import menu_for
from dangbo.handbook import services as handbook_services
from dangbo.handbook.models import Notification
from dangbo.handbook.selectors import header_unread_count

pytestmark = pytest.mark.django_db

ORGS_FULL = ["orgs", "orgs.tree", "orgs.units", "orgs.register"]
DOCUMENTS_FULL = ["documents", "documents.register", "documents.tasks", "documents.study"]
EMULATION = ["emulation", "emulation.movements", "emulation.evaluation", "emulation.awards"]
MINE = ["mine", "mine.handbook", "mine.studies"]

# What each role of the test world (tests/conftest.py) is offered, in order.
EXPECTED = {
    # A plain member: the handbook and their studies first, no business units, no audit log, no API.
    "member": [
        "mine.handbook",
        "mine.studies",
        "orgs",
        "orgs.tree",
        "orgs.register",
        "documents",
        "documents.register",
        "documents.tasks",
        "meetings",
        *EMULATION,
    ],
    "secretary": [*ORGS_FULL, *DOCUMENTS_FULL, "meetings", *EMULATION, "audit", *MINE],
    "office": [*ORGS_FULL, *DOCUMENTS_FULL, "meetings", *EMULATION, "audit", *MINE, "account.api"],
    "inspection": [*ORGS_FULL, *DOCUMENTS_FULL, "meetings", *EMULATION, "audit", *MINE],
    "emulation": [*ORGS_FULL, *DOCUMENTS_FULL, "meetings", *EMULATION, *MINE],
    "leader": [*ORGS_FULL, *DOCUMENTS_FULL, "meetings", *EMULATION, "audit", *MINE],
    "sysadmin": [*ORGS_FULL, *DOCUMENTS_FULL, "meetings", *EMULATION, "audit", *MINE, "account.api"],
    "outsider": [*ORGS_FULL, *DOCUMENTS_FULL, "meetings", *EMULATION, "audit", *MINE, "account.api"],
    # No role at all: only what is theirs.
    "norole": ["mine.handbook", "mine.studies"],
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_is_offered_its_own_entries(world, role):
    user = world.users[role]
    assert menu_for(user, None).keys() == EXPECTED[role]


def test_no_group_has_more_than_four_entries_and_no_role_more_than_six_at_the_top(world):
    for user in world.users.values():
        menu = menu_for(user, None)
        assert len(menu.entries) <= 6
        assert all(len(entry.items) <= 4 for entry in menu.entries)


@pytest.mark.parametrize(
    ("role", "organisation"),
    [("member", "cell_a"), ("secretary", "cell_a"), ("office", "tct"), ("sysadmin", "bloc")],
)
def test_party_members_opens_the_register_of_ones_own_organisation(world, role, organisation):
    menu = menu_for(world.users[role], None)
    (register,) = [i for e in menu.entries for i in e.items if i.key == "orgs.register"]
    pk = getattr(world, organisation).pk
    assert register.url == reverse("members:register", kwargs={"pk": pk})
    assert Client().get(register.url).status_code == 302  # the link, not a guess: it needs a login
    client = Client()
    client.force_login(world.users[role])
    assert client.get(register.url).status_code == 200


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def test_the_api_is_in_the_menu_of_the_office_not_of_a_plain_member(world):
    api = reverse("api-docs")
    member_page = _header(_client(world.users["member"]).get(reverse("handbook:home")).content.decode())
    office_page = _header(_client(world.users["office"]).get(reverse("orgs:org_tree")).content.decode())
    assert "Sổ tay" in member_page and api not in member_page
    assert f'href="{api}"' in office_page and "Tài liệu API" in office_page


def test_the_header_uses_bootstraps_local_script_and_no_other_site(world):
    page = _client(world.users["office"]).get(reverse("orgs:org_tree")).content.decode()
    assert '/static/bootstrap/js/bootstrap.bundle.min.js"' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert page.count('data-bs-toggle="dropdown"') == 5  # Tổ chức, Văn bản, Thi đua, Của tôi, the user


def test_the_current_page_is_marked_in_its_group_and_for_screen_readers(world):
    client = _client(world.users["office"])
    page = _header(client.get(reverse("members:register", kwargs={"pk": world.tct.pk})).content.decode())
    # the group's button is underlined (active), the page's own link carries aria-current
    assert re.search(r'id="menu-orgs" class="nav-link dropdown-toggle active"', page)
    current = re.findall(r'<a class="[^"]*active" aria-current="page" href="([^"]+)">([^<]+)</a>', page)
    assert current == [(reverse("members:register", kwargs={"pk": world.tct.pk}), "Đảng viên")]

    page = _header(client.get(reverse("meetings:list")).content.decode())
    current = re.findall(r'<a class="[^"]*active" aria-current="page" href="([^"]+)">([^<]+)</a>', page)
    assert current == [(reverse("meetings:list"), "Hội họp")]
    assert 'class="nav-link dropdown-toggle active"' not in page


def test_the_bell_shows_the_unread_count_on_every_page(world):
    member = world.users["member"]
    handbook_services.notify([member], kind="opinion", title="Một", email=False)
    handbook_services.notify([member], kind="opinion", title="Hai", email=False)
    handbook_services.notify([member], kind="opinion", title="Ba", email=False)
    read = handbook_services.notify([member], kind="opinion", title="Đã đọc", email=False)[0]
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    handbook_services.notify([world.users["office"]], kind="opinion", title="Của người khác", email=False)

    for url in (reverse("documents:list"), reverse("meetings:list"), reverse("documents:study_mine")):
        page = _header(_client(member).get(url).content.decode())
        bells = re.findall(r'<a class="nav-link bell[^"]*" href="([^"]+)" aria-label="([^"]+)"', page)
        # one bell beside the phone's menu button, one in the desktop's row: one shows at a time
        assert bells == [(reverse("handbook:notifications"), "Thông báo: 3 chưa đọc")] * 2
        assert '<span class="bell-count" aria-hidden="true">3</span>' in page

    Notification.objects.filter(user=member).update(read_at=timezone.now())
    page = _header(_client(member).get(reverse("documents:list")).content.decode())
    assert 'aria-label="Thông báo: 0 chưa đọc"' in page
    assert "bell-count" not in page


def test_the_bell_costs_no_query_of_its_own(world):
    """Every page keeps its budget of ten queries (tests/test_permission_matrix.py): the unread count is a
    COUNT subquery of the request's user row (core.auth.Backend), whatever the number of notifications."""
    member = world.users["member"]
    client = _client(member)
    with CaptureQueriesContext(connection) as none_yet:
        client.get(reverse("documents:study_mine"))
    for n in range(20):
        handbook_services.notify([member], kind="opinion", title=f"Thêm {n}", email=False)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("documents:study_mine")).content.decode()
    assert 'aria-label="Thông báo: 20 chưa đọc"' in page
    assert len(many.captured_queries) == len(none_yet.captured_queries)
    reading = [q["sql"] for q in many.captured_queries if "handbook_notification" in q["sql"]]
    assert len(reading) == 1 and 'FROM "auth_user"' in reading[0] and "COUNT(" in reading[0].upper()


def test_a_user_loaded_otherwise_is_counted_on_the_spot(world):
    member = world.users["member"]  # loaded by the test, not by the backend
    handbook_services.notify([member], kind="opinion", title="Một", email=False)
    assert not hasattr(member, "unread_notifications")
    assert header_unread_count(member) == 1


def test_an_anonymous_visitor_sees_no_menu_and_no_bell(world):
    page = Client().get(reverse("login")).content.decode()
    assert "bell" not in _header(page) and "dropdown" not in _header(page)
