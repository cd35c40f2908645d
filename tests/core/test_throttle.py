"""Security test of December 2026, M3: the per-user login lockout was bypassed by spelling.

Django signs in with the user name stripped and NFKC-normalised, while the lockout counted failures
on the raw input lowered: "kiemtra ", " kiemtra", "kiemtra<TAB>" and the full-width "ｋｉｅｍｔｒａ"
each logged in with the correct password while "kiemtra" was locked, and each got 5 fresh guesses.
The lockout now counts on the name Django authenticates (strip + NFKC), case-folded, on the login
page and on the API's token endpoint alike.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dangbo.core import throttle
from tests.conftest import make_user
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

NAME = "kiemtra"
VARIANTS = ["kiemtra ", " kiemtra", "kiemtra\t", "ｋｉｅｍｔｒａ", "KIEMTRA", " ｋｉｅｍｔｒａ\u3000"]
LOCKED = "quá nhiều lần"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def user(db):
    return make_user(NAME)


def page_login(username: str, password: str) -> tuple[int, str]:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code, response.content.decode()


def api_login(username: str, password: str):
    return APIClient().post(TOKEN, {"username": username, "password": password}, format="json")


def lock_out(username: str = NAME) -> None:
    for n in range(5):
        status, html = page_login(username, f"wrong{n}")
        assert status == 200 and LOCKED not in html.lower()


def test_the_variants_are_the_same_name_for_the_lockout():
    assert {throttle.login_key(v) for v in [NAME, *VARIANTS]} == {NAME}


def test_the_variants_really_sign_in_when_nothing_is_locked(user):
    """The bypass was real: Django signs each variant in as the same user (the upper case does not)."""
    for variant in VARIANTS:
        if variant.strip().isupper():
            continue
        status, _html = page_login(variant, PASSWORD)
        assert status == 302, repr(variant)


@pytest.mark.parametrize("variant", VARIANTS)
def test_after_five_wrong_guesses_every_spelling_is_locked_on_the_page(user, variant):
    lock_out()
    status, html = page_login(variant, PASSWORD)
    assert status == 200 and LOCKED in html.lower(), repr(variant)


@pytest.mark.parametrize("variant", VARIANTS)
def test_after_five_wrong_guesses_every_spelling_is_locked_on_the_api(user, variant):
    lock_out()
    response = api_login(variant, PASSWORD)
    assert response.status_code == 400, repr(variant)
    assert LOCKED in str(response.json()).lower() and "token" not in response.json()


def test_guesses_spread_over_spellings_count_together(user):
    for n, variant in enumerate(VARIANTS[:5]):
        assert api_login(variant, f"wrong{n}").status_code == 400
    status, html = page_login(NAME, PASSWORD)
    assert status == 200 and LOCKED in html.lower()
    assert LOCKED in str(api_login(NAME, PASSWORD).json()).lower()


def test_a_correct_login_with_a_variant_clears_the_count(user):
    for n in range(4):
        page_login(NAME, f"wrong{n}")
    assert page_login("ｋｉｅｍｔｒａ", PASSWORD)[0] == 302  # not locked yet: in, and the count is cleared
    for n in range(4):
        page_login(NAME, f"wrong{n}")
    assert api_login(NAME, PASSWORD).status_code == 200
