"""Django's own authentication backend, loading with the user of each request the number of their unread
notifications: the header's bell (core/templates/core/_bell.html) is on every page, and a page must stay
within its query budget (tests/test_permission_matrix.py), so the count is a subquery of the user's row,
not a query of its own. Everything else (passwords, permissions, inactive users) is Django's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class Backend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from dangbo.handbook.selectors import unread_count_column

        users = get_user_model()._default_manager.annotate(unread_notifications=unread_count_column())
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
