"""One function prints a login's name: the linked person's name when it was loaded, else the names on the
login in Vietnamese order, else the login."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangbo.core.names import user_name
from dangbo.orgs.models import Person

pytestmark = pytest.mark.django_db


def test_a_login_with_a_person_shows_the_persons_name_when_loaded_with_it():
    user = get_user_model().objects.create_user(username="hoa", first_name="X", last_name="Y")
    Person.objects.create(full_name="Nguyễn Thị Hòa", user=user)
    loaded = get_user_model().objects.select_related("person").get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert user_name(loaded) == "Nguyễn Thị Hòa"
    assert len(queries) == 0
    plain = get_user_model().objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert user_name(plain) == "X Y"  # no query for the header's own name: the stored names
    assert len(queries) == 0


def test_names_stored_on_the_login_read_family_name_first_and_in_nfc():
    User = get_user_model()
    user = User.objects.create_user(username="ha", first_name="Le\u0302 Thi\u0323 Thu ", last_name=" Hà")
    assert user_name(User.objects.select_related("person").get(pk=user.pk)) == "Lê Thị Thu Hà"
    assert user_name(User.objects.create_user(username="nobody")) == "nobody"
    assert user_name(None) == ""
