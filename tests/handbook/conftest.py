"""The meetings' cell (six full members, one probationary, a chair and a minutes secretary with
logins) serves the handbook's tests too."""

from tests.meetings.conftest import cell  # noqa: F401  (a fixture)
