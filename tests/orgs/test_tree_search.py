"""The landing search: everyone but a member starts in the party tree, and "buu dien ha noi" is a
business unit. An empty result says so and links to the same search in the other tree, with how many
it finds there (one COUNT); a result's path reads "A › B", with no dangling ›."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_an_empty_party_search_points_to_the_units_with_the_query(world):
    client = client_for("office")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("orgs:org_tree"), {"q": "buu dien ha noi"}).content.decode()
    assert "0 kết quả" in page
    assert "Không có tổ chức đảng nào khớp “buu dien ha noi”." in page
    link = re.search(r'<a class="search-elsewhere" href="([^"]+)">([^<]+)</a>', page)
    assert link is not None
    assert link.group(1) == reverse("orgs:unit_tree") + "?q=buu%20dien%20ha%20noi"
    assert link.group(2) == "Tìm “buu dien ha noi” trong Đơn vị"
    assert "(tìm thấy 1)" in page  # Bưu điện thành phố Hà Nội
    unit_counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and '"orgs_unit"' in q["sql"]
    ]
    assert len(unit_counts) == 1  # one COUNT of the units found
    # following it finds the unit
    found = client.get(link.group(1).replace("%20", " ")).content.decode()
    assert "Bưu điện thành phố Hà Nội" in found and "1 kết quả" in found


def test_a_search_found_nowhere_only_asks_for_fewer_words(world):
    page = client_for("office").get(reverse("orgs:org_tree"), {"q": "khong co dau"}).content.decode()
    assert "Tìm “khong co dau” trong Đơn vị" in page and "(tìm thấy" not in page
    assert "Hãy thử bớt từ khóa" in page


def test_without_access_to_the_units_there_is_no_link_to_them(world):
    page = client_for("member").get(reverse("orgs:org_tree"), {"q": "buu dien ha noi"}).content.decode()
    assert "search-elsewhere" not in page and "Hãy thử bớt từ khóa" in page


def test_a_results_path_has_no_dangling_separator(world):
    page = client_for("office").get(reverse("orgs:unit_tree"), {"q": "buu dien ha noi"}).content.decode()
    [path] = re.findall(r'<div class="small text-secondary breadcrumb-path">([^<]*)</div>', page)
    assert path == "Tổng công ty Thử nghiệm"
    deep = client_for("office").get(reverse("orgs:org_tree"), {"q": "chi bo van phong"}).content.decode()
    [path] = re.findall(r'<div class="small text-secondary breadcrumb-path">([^<]*)</div>', deep)
    assert not path.rstrip().endswith("›") and path.count(" › ") >= 2
