"""Shared fixtures: a small but complete world built through the services (so it is audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from dangbo.orgs import services
from dangbo.orgs.models import Organisation, PositionType, Unit
from dangbo.rules.roles import Role
from tests.helpers import PASSWORD, suite_clock


@pytest.fixture(scope="module", autouse=True)
def _clock_for_the_module() -> Iterator[None]:
    # Module-scoped fixtures (the permission matrix's world) are built on the suite's clock too.
    with suite_clock():
        yield


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with suite_clock():
        yield


@dataclass
class World:
    bloc: Organisation
    tct: Organisation
    grassroots: Organisation
    cell_a: Organisation
    cell_b: Organisation
    other_upper: Organisation
    other_cell: Organisation
    corp: Unit
    head_office: Unit
    dept_a: Unit
    province: Unit
    users: dict[str, Any]


def make_user(
    username: str, *, role: str | None = None, organisation: Organisation | None = None, **extra: Any
) -> Any:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role and organisation:
        services.role_assign(actor=None, user=user, organisation=organisation, role=role)
    return user


def build_world() -> World:
    create = services.organisation_create
    bloc = create(actor=None, parent=None, name="Đảng bộ Khối Thử nghiệm", kind="bloc", code="ĐUK")
    tct = create(actor=None, parent=bloc, name="Đảng bộ Tổng công ty Thử nghiệm", kind="upper", code="ĐU")
    grassroots = create(actor=None, parent=tct, name="Đảng bộ Cơ quan", kind="grassroots")
    cell_a = create(actor=None, parent=grassroots, name="Chi bộ Văn phòng", kind="cell")
    cell_b = create(actor=None, parent=grassroots, name="Chi bộ Ban Đầu tư", kind="cell")
    other_upper = create(actor=None, parent=bloc, name="Đảng bộ Tập đoàn Khác", kind="upper")
    other_cell = create(actor=None, parent=other_upper, name="Chi bộ Khác", kind="grassroots_cell")
    corp = services.unit_create(actor=None, parent=None, name="Tổng công ty Thử nghiệm", kind="corporation")
    head_office = services.unit_create(actor=None, parent=corp, name="Khối cơ quan", kind="head_office")
    dept_a = services.unit_create(
        actor=None, parent=head_office, name="Văn phòng Tổng công ty", kind="department"
    )
    province = services.unit_create(
        actor=None, parent=corp, name="Bưu điện thành phố Hà Nội", kind="provincial"
    )
    services.organisation_set_units(actor=None, organisation=tct, units=[corp])
    services.organisation_set_units(actor=None, organisation=cell_a, units=[dept_a])
    users = {
        "office": make_user("office", role=Role.COMMITTEE_OFFICE, organisation=tct),
        "secretary": make_user("secretary", role=Role.CELL_SECRETARY, organisation=cell_a),
        "member": make_user("member", role=Role.MEMBER, organisation=cell_a),
        "inspection": make_user("inspection", role=Role.INSPECTION, organisation=tct),
        "emulation": make_user("emulation", role=Role.EMULATION, organisation=tct),
        "leader": make_user("leader", role=Role.LEADER, organisation=tct),
        "sysadmin": make_user("sysadmin", role=Role.SYSADMIN, organisation=bloc),
        "outsider": make_user("outsider", role=Role.COMMITTEE_OFFICE, organisation=other_upper),
        "norole": make_user("norole"),
    }
    return World(
        bloc,
        tct,
        grassroots,
        cell_a,
        cell_b,
        other_upper,
        other_cell,
        corp,
        head_office,
        dept_a,
        province,
        users,
    )


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def position(db: Any):
    def get(code: str) -> PositionType:
        return PositionType.objects.get(code=code)

    return get


@pytest.fixture
def person(world: World) -> Any:
    return services.person_create(
        actor=None,
        full_name="Trần Thị Thử",
        gender="female",
        birth_date=dt.date(1980, 5, 2),
        organisation=world.cell_a,
        unit=world.dept_a,
        is_party_member=True,
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # Real hashers are deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_looked_up_on_request(settings: Any) -> None:
    # Every test Client builds the middleware anew, and WhiteNoise would then stat and hash every
    # static file the finders know (Bootstrap, Swagger UI …) each time: a third of the suite's time.
    # Autorefresh looks a file up when it is asked for, which no test but the browser tests does.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _imports_inline(settings: Any, tmp_path: Any) -> None:
    # Import jobs run in the request (a thread would outlive the test's transaction); the thread
    # runner has its own test (tests/members/test_jobs.py).
    settings.IMPORT_RUNNER = "inline"
    settings.IMPORT_DIR = tmp_path / "imports"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    # Files attached to documents go to the test's own directory.
    settings.MEDIA_ROOT = tmp_path / "media"


# The CI's PostgreSQL runs with autovacuum off (its conf.d/90-ci.conf). Every test's rows are rolled
# back, and a rolled-back row stays a dead tuple until a VACUUM: without one the tables swell and the
# suite slows down as it goes (four times slower by its end). So the suite vacuums what it dirtied
# after each module, outside any test's transaction. Nothing to do on SQLite.
DEAD_TUPLES_WORTH_A_VACUUM = 500


@pytest.fixture(scope="module", autouse=True)
def _vacuum_postgresql(request: pytest.FixtureRequest) -> Any:
    yield
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    if not str(connection.settings_dict["NAME"]).startswith("test_"):
        return  # the test database is not set up yet: this module did not use it
    with request.getfixturevalue("django_db_blocker").unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(relname) FROM pg_stat_user_tables WHERE n_dead_tup > %s",
            [DEAD_TUPLES_WORTH_A_VACUUM],
        )
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
