"""How a login's name is shown: one function for every page, export and API.

A login linked to a person shows the person's full name as the register holds it ("Lê Thị Thu Hà"). Without
one (a delegate, a system account), it shows the names stored on the login, which hold the family and middle
names in ``first_name`` and the given name in ``last_name`` — Vietnamese order, so they read in order — and
failing those, the login itself.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist


def user_name(user: Any) -> str:
    """The name to print for ``user`` ("" for none). Uses the linked person only when it was loaded with the
    user (``select_related("…__person")``): a page listing many logins loads them in one query, and the
    header's own name costs none."""
    if user is None:
        return ""
    person = None
    if get_user_model().person.related.is_cached(user):  # type: ignore[attr-defined]
        try:
            person = user.person
        except ObjectDoesNotExist:  # loaded, and there is none
            person = None
    if person is not None and person.full_name:
        return str(person.full_name)
    stored = " ".join(part.strip() for part in (user.first_name, user.last_name) if part and part.strip())
    return unicodedata.normalize("NFC", stored) or str(user.get_username())
