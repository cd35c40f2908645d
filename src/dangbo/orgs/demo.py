"""The demo data set: a fictional party committee of Vietnam Post to try the platform on.

Every write goes through `dangbo.orgs.services` as the system actor (None), so each row has its
audit event. Each row is looked up by a natural key before it is created — tree nodes by parent
and name, terms by organisation and name, people by their demo e-mail address, posts by person,
post, place and start date, users by user name — so loading twice creates nothing the second time.

The structure follows the seed articles: the Party Organisation of Vietnam Post is an upper-level
organisation under the Bloc of Central Enterprises, made of the head office's party organisation
and those of the subsidiaries based in Hanoi; the 63 provincial post offices are business units
whose party organisations belong to the provinces, so no organisation of this tree leads them.

All people are invented: names are drawn from fixed lists with a fixed seed, and the names of the
real people named in the seed articles are never drawn.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from functools import partial
from typing import Any, Protocol, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from dangbo.orgs import services
from dangbo.orgs.models import Appointment, CommitteeTerm, Organisation, Person, PositionType, Unit
from dangbo.rules.orgs import OrgKind, UnitKind
from dangbo.rules.roles import Role
from dangbo.rules.vietnamese import fold

DEMO_PASSWORD = "demo-dangbo-2026"
EMAIL_DOMAIN = "demo.dangbo.example"  # a reserved top-level domain: no mail ever leaves
NAME_SEED = 2026

M = TypeVar("M", bound=models.Model)


class Writer(Protocol):
    """Where progress goes: a text stream or a management command's stdout."""

    def write(self, text: str, /) -> Any: ...


# --- Trees ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """One organisation or unit. Keys are local to this module; an organisation and the unit it
    leads may share a key (posts find the right one by their system, party or business)."""

    key: str
    parent: str | None
    name: str
    kind: str
    short_name: str = ""
    code: str = ""
    leads: tuple[str, ...] = ()  # unit keys, for organisations


@dataclass(frozen=True)
class Branch:
    """A business unit and the party organisation that leads it, with one chi bộ per department.
    Without a unit name, only the organisations are created (another corporation's tree)."""

    key: str
    org_name: str
    org_kind: OrgKind
    unit_name: str = ""
    unit_kind: UnitKind = UnitKind.SUBSIDIARY
    org_parent: str = "tct"
    departments: tuple[tuple[str, str], ...] = ()  # (key, department name)
    deputies: bool = False  # each chi bộ has a Phó Bí thư
    members: int = 2  # rank-and-file members per chi bộ
    director: bool = False  # a Giám đốc who is also Bí thư of the branch's party organisation


TOP_ORGANISATIONS: tuple[Node, ...] = (
    Node("bloc", None, "Đảng bộ Khối Doanh nghiệp Trung ương", OrgKind.BLOC, "Đảng bộ Khối DNTW", "ĐUK"),
    Node(
        "tct",
        "bloc",
        "Đảng bộ Tổng công ty Bưu điện Việt Nam",
        OrgKind.UPPER,
        "Đảng bộ Tổng công ty",
        "ĐU",
        leads=("tct",),
    ),
    Node("saomai", "bloc", "Đảng bộ Tổng công ty Viễn thông Sao Mai", OrgKind.UPPER, "Đảng bộ Sao Mai"),
)

CORPORATION = Node(
    "tct", None, "Tổng công ty Bưu điện Việt Nam", UnitKind.CORPORATION, "Bưu điện Việt Nam", "VNPost"
)

BRANCHES: tuple[Branch, ...] = (
    Branch(
        "coquan",
        "Đảng bộ Cơ quan Tổng công ty",
        OrgKind.GRASSROOTS,
        unit_name="Khối cơ quan Tổng công ty",
        unit_kind=UnitKind.HEAD_OFFICE,
        deputies=True,
        departments=(
            ("vp", "Văn phòng"),
            ("tcns", "Ban Tổ chức – Nhân sự"),
            ("tckt", "Ban Tài chính – Kế toán"),
            ("ktpc", "Ban Kiểm tra – Pháp chế"),
            ("kd", "Ban Kinh doanh"),
            ("cds", "Ban Công nghệ và Chuyển đổi số"),
        ),
    ),
    Branch(
        "phbc",
        "Đảng bộ Công ty Phát hành Báo chí Trung ương",
        OrgKind.GRASSROOTS,
        unit_name="Công ty Phát hành Báo chí Trung ương",
        director=True,
        departments=(
            ("phbc.th", "Phòng Tổng hợp"),
            ("phbc.kd", "Phòng Kinh doanh"),
            ("phbc.ph", "Trung tâm Phát hành"),
        ),
    ),
    Branch(
        "cntt",
        "Đảng bộ Trung tâm Công nghệ thông tin",
        OrgKind.GRASSROOTS,
        unit_name="Trung tâm Công nghệ thông tin",
        director=True,
        departments=(
            ("cntt.pm", "Phòng Phát triển phần mềm"),
            ("cntt.ht", "Phòng Hạ tầng và An toàn thông tin"),
            ("cntt.th", "Phòng Tổng hợp"),
        ),
    ),
    Branch(
        "logistics",
        "Đảng bộ Công ty Logistics Bưu điện",
        OrgKind.GRASSROOTS,
        unit_name="Công ty Logistics Bưu điện",
        director=True,
        departments=(("logistics.kt", "Phòng Khai thác"), ("logistics.kd", "Phòng Kinh doanh")),
    ),
    Branch("tem", "Chi bộ Công ty Tem", OrgKind.GRASSROOTS_CELL, unit_name="Công ty Tem"),
    Branch(
        "saomai.coquan",
        "Đảng bộ Cơ quan Tổng công ty Viễn thông Sao Mai",
        OrgKind.GRASSROOTS,
        org_parent="saomai",
        members=1,
        departments=(("saomai.vp", "Văn phòng"), ("saomai.kt", "Ban Kỹ thuật")),
    ),
)

# The 63 provinces and centrally-run cities as they stood until the merger of 1 July 2025
# (Thừa Thiên Huế had become the city of Huế on 1 January 2025).
CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
PROVINCES = (
    "An Giang",
    "Bà Rịa – Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Tĩnh",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)
POST_OFFICES: dict[str, tuple[str, ...]] = {
    "Hà Nội": (
        "Bưu cục Trung tâm Hà Nội",
        "Bưu cục Giáp Bát",
        "Bưu điện quận Ba Đình",
        "Bưu điện quận Đống Đa",
        "Bưu điện huyện Đông Anh",
        "Bưu điện huyện Gia Lâm",
        "Bưu điện huyện Sóc Sơn",
    ),
    "Hồ Chí Minh": ("Bưu cục Trung tâm Sài Gòn", "Bưu cục Chợ Lớn"),
    "Đà Nẵng": ("Bưu cục Trung tâm Đà Nẵng",),
}


def _organisation_nodes() -> Iterator[Node]:
    yield from TOP_ORGANISATIONS
    for branch in BRANCHES:
        leads = (branch.key,) if branch.unit_name else ()
        yield Node(branch.key, branch.org_parent, branch.org_name, branch.org_kind, leads=leads)
        for key, department in branch.departments:
            yield Node(key, branch.key, f"Chi bộ {department}", OrgKind.CELL, leads=(key,) if leads else ())


def _unit_nodes() -> Iterator[Node]:
    yield CORPORATION
    for branch in BRANCHES:
        if branch.unit_name:
            yield Node(branch.key, CORPORATION.key, branch.unit_name, branch.unit_kind)
            for key, department in branch.departments:
                yield Node(key, branch.key, department, UnitKind.DEPARTMENT)
    for place in CITIES + PROVINCES:
        prefix, short = ("thành phố", "BĐTP") if place in CITIES else ("tỉnh", "BĐT")
        yield Node(
            place, CORPORATION.key, f"Bưu điện {prefix} {place}", UnitKind.PROVINCIAL, f"{short} {place}"
        )
        for office in POST_OFFICES.get(place, ()):
            yield Node(office, place, office, UnitKind.POST_OFFICE)


ORGANISATIONS: tuple[Node, ...] = tuple(_organisation_nodes())
UNITS: tuple[Node, ...] = tuple(_unit_nodes())


# --- Committee terms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TermPeriod:
    name: str
    starts_on: dt.date
    ends_on: dt.date | None


TERM_2020 = TermPeriod("2020–2025", dt.date(2020, 8, 15), dt.date(2025, 7, 20))
TERM_2025 = TermPeriod("2025–2030", dt.date(2025, 7, 21), None)
TERM_PERIODS = (TERM_2020, TERM_2025)
TERM_ORGANISATIONS = ("tct", "coquan")

CELL_CONGRESS = dt.date(2025, 5, 20)  # chi bộ congresses come before the upper ones
GRASSROOTS_CONGRESS = dt.date(2025, 6, 12)


# --- People and posts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    key: str
    gender: str  # Person.Gender value
    born: int  # year; month and day are drawn
    organisation: str | None  # organisation key
    unit: str | None  # unit key
    member: bool = True


@dataclass(frozen=True)
class PostRow:
    """A post held by a person; the place is an organisation key for party posts and a unit key
    for business posts. Party posts of a committee name its term."""

    person: str
    position: str  # PositionType.code
    place: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    term: TermPeriod | None = None


MALE, FEMALE = Person.Gender.MALE.value, Person.Gender.FEMALE.value


def _current(person: str, position: str, place: str = "tct") -> PostRow:
    """A post of the 2025–2030 committee."""
    return PostRow(person, position, place, TERM_2025.starts_on, term=TERM_2025)


def _previous(
    person: str, position: str, place: str = "tct", starts_on: dt.date = TERM_2020.starts_on
) -> PostRow:
    """A post of the 2020–2025 committee, ended with it."""
    return PostRow(person, position, place, starts_on, TERM_2020.ends_on, term=TERM_2020)


LEADERS: tuple[PersonRow, ...] = (
    PersonRow("bithu", MALE, 1970, "vp", "tct"),
    PersonRow("bithu-cu", MALE, 1963, "vp", "tct"),
    PersonRow("pbttt", FEMALE, 1972, "tcns", "tct"),
    PersonRow("tgd", MALE, 1974, "kd", "tct"),
    PersonRow("ubkt", MALE, 1971, "ktpc", "ktpc"),
    PersonRow("ubkt-cu", FEMALE, 1965, "ktpc", "ktpc"),
    PersonRow("tbtc", FEMALE, 1975, "tcns", "tcns"),
    PersonRow("ptgd-1", MALE, 1976, "cds", "tct"),
    PersonRow("ptgd-2", FEMALE, 1978, "tckt", "tct"),
    PersonRow("tvhdtv", MALE, 1969, "vp", "tct"),
    PersonRow("cvp", FEMALE, 1980, "vp", "vp"),
    PersonRow("bithu-coquan", MALE, 1973, "tcns", "tcns"),
    PersonRow("pbt-coquan", FEMALE, 1979, "kd", "kd"),
)

LEADER_POSTS: tuple[PostRow, ...] = (
    _current("bithu", "bi-thu"),
    _previous("bithu", "uy-vien-btv"),
    PostRow("bithu", "chu-tich-hdtv", "tct", dt.date(2025, 7, 1)),
    PostRow("bithu", "thanh-vien-hdtv", "tct", dt.date(2020, 10, 1), dt.date(2025, 6, 30)),
    _previous("bithu-cu", "bi-thu"),
    PostRow("bithu-cu", "chu-tich-hdtv", "tct", dt.date(2019, 6, 1), dt.date(2025, 6, 30)),
    _current("pbttt", "pho-bi-thu-thuong-truc"),
    PostRow("pbttt", "bi-thu", "coquan", TERM_2020.starts_on, TERM_2020.ends_on, TERM_2020),
    _current("tgd", "pho-bi-thu"),
    _previous("tgd", "uy-vien-btv", starts_on=dt.date(2023, 5, 10)),
    PostRow("tgd", "tong-giam-doc", "tct", dt.date(2023, 5, 1)),
    PostRow("tgd", "thanh-vien-hdtv", "tct", dt.date(2023, 5, 1)),
    _current("ubkt", "chu-nhiem-ubkt"),
    _current("ubkt", "uy-vien-btv"),
    _previous("ubkt-cu", "chu-nhiem-ubkt"),
    _current("tbtc", "truong-ban-to-chuc"),
    _current("tbtc", "uy-vien-btv"),
    _current("ptgd-1", "uy-vien-btv"),
    PostRow("ptgd-1", "pho-tong-giam-doc", "tct", dt.date(2021, 9, 1)),
    _current("ptgd-2", "uy-vien-bch"),
    PostRow("ptgd-2", "pho-tong-giam-doc", "tct", dt.date(2024, 1, 15)),
    _current("tvhdtv", "uy-vien-bch"),
    _previous("tvhdtv", "uy-vien-bch"),
    PostRow("tvhdtv", "thanh-vien-hdtv", "tct", dt.date(2020, 10, 1)),
    _current("cvp", "chanh-van-phong"),
    _current("cvp", "uy-vien-bch"),
    _current("bithu-coquan", "bi-thu", "coquan"),
    _current("bithu-coquan", "uy-vien-btv"),
    _current("pbt-coquan", "pho-bi-thu", "coquan"),
    _current("pbt-coquan", "uy-vien-ubkt"),
)

# Provincial directors are party members whose organisations belong to the provinces; the others
# are business staff outside the party.
OUTSIDE_TREE: tuple[PersonRow, ...] = (
    PersonRow("gd-hanoi", MALE, 1972, None, "Hà Nội"),
    PersonRow("gd-hcm", FEMALE, 1974, None, "Hồ Chí Minh"),
    PersonRow("bc-hanoi", FEMALE, 1985, None, "Bưu cục Trung tâm Hà Nội", member=False),
    PersonRow("gdv-hanoi", FEMALE, 1996, None, "Bưu cục Trung tâm Hà Nội", member=False),
    PersonRow("bc-cholon", MALE, 1983, None, "Bưu cục Chợ Lớn", member=False),
    PersonRow("nv-kd", MALE, 1997, None, "kd", member=False),
    PersonRow("nv-tckt", FEMALE, 1999, None, "tckt", member=False),
)

OUTSIDE_TREE_POSTS: tuple[PostRow, ...] = (
    PostRow("gd-hanoi", "giam-doc", "Hà Nội", dt.date(2022, 4, 1)),
    PostRow("gd-hcm", "giam-doc", "Hồ Chí Minh", dt.date(2023, 2, 1)),
    PostRow("bc-hanoi", "truong-buu-cuc", "Bưu cục Trung tâm Hà Nội", dt.date(2021, 3, 1)),
    PostRow("bc-cholon", "truong-buu-cuc", "Bưu cục Chợ Lớn", dt.date(2021, 3, 1)),
)


def _branch_people(rng: random.Random) -> Iterator[tuple[PersonRow, tuple[PostRow, ...]]]:
    """The staff of every chi bộ: a Bí thư, maybe a Phó Bí thư, some members; and the directors
    of the subsidiaries, who lead their party organisations and sit on the Tổng công ty committee."""
    for branch in BRANCHES:
        if branch.director:
            first_cell = branch.departments[0][0]
            key = f"{branch.key}.director"
            yield (
                PersonRow(key, rng.choice((MALE, FEMALE)), rng.randint(1966, 1978), first_cell, branch.key),
                (
                    PostRow(key, "giam-doc", branch.key, dt.date(2022, 1, 1)),
                    PostRow(key, "bi-thu", branch.key, GRASSROOTS_CONGRESS),
                    _current(key, "uy-vien-bch"),
                ),
            )
        # A chi bộ and its department share a key; a chi bộ cơ sở (no departments) is the branch.
        cells = [key for key, _ in branch.departments] or [branch.key]
        staff = [("secretary", "bi-thu"), *([("deputy", "pho-bi-thu")] if branch.deputies else [])]
        staff += [(f"member{n}", "") for n in range(1, branch.members + 1)]
        for cell in cells:
            for suffix, position in staff:
                key = f"{cell}.{suffix}"
                born = rng.randint(1966, 1982) if position else rng.randint(1975, 1998)
                unit = cell if branch.unit_name else None
                posts = (PostRow(key, position, cell, CELL_CONGRESS),) if position else ()
                yield PersonRow(key, rng.choice((MALE, FEMALE)), born, cell, unit), posts


PEOPLE_WITH_POSTS: tuple[tuple[PersonRow, tuple[PostRow, ...]], ...] = (
    *((row, tuple(p for p in LEADER_POSTS if p.person == row.key)) for row in LEADERS),
    *_branch_people(random.Random(NAME_SEED)),
    *((row, tuple(p for p in OUTSIDE_TREE_POSTS if p.person == row.key)) for row in OUTSIDE_TREE),
)


# --- Names ---------------------------------------------------------------------------------------

FAMILY_NAMES = (
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Phan",
    "Trịnh",
    "Đinh",
    "Lương",
    "Tạ",
    "Cao",
    "Đào",
)
MIDDLE_NAMES = {
    MALE: ("Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Xuân", "Tiến", "Công", "Mạnh", "Trọng"),
    FEMALE: ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Phương", "Hồng", "Khánh", "Bích", "Thùy"),
}
GIVEN_NAMES = {
    MALE: (
        "An",
        "Bảo",
        "Bình",
        "Cường",
        "Dũng",
        "Duy",
        "Đạt",
        "Hiếu",
        "Huy",
        "Khang",
        "Khoa",
        "Kiên",
        "Lâm",
        "Nam",
        "Nghĩa",
        "Phong",
        "Phúc",
        "Quân",
        "Quyết",
        "Tâm",
        "Thắng",
        "Toàn",
        "Trung",
        "Tuấn",
        "Vinh",
        "Việt",
    ),
    FEMALE: (
        "Anh",
        "Châm",
        "Diệp",
        "Dung",
        "Giang",
        "Hà",
        "Hằng",
        "Hoa",
        "Huyền",
        "Hương",
        "Lan",
        "Liên",
        "Linh",
        "Loan",
        "Ngân",
        "Nhung",
        "Oanh",
        "Phượng",
        "Quỳnh",
        "Thảo",
        "Trang",
        "Tuyết",
        "Vân",
        "Yến",
    ),
}
# Real people named in the seed articles: never drawn.
REAL_PEOPLE = frozenset(
    {
        "Nguyễn Hải Thanh",
        "Nguyễn Hùng Sơn",
        "Chu Đình Động",
        "Nguyễn Trường Giang",
        "Nguyễn Long Hải",
        "Hà Thị Minh Hạnh",
        "Đàm Minh",
    }
)


@dataclass(frozen=True)
class Identity:
    full_name: str
    birth_date: dt.date
    email: str


def _identities(rows: list[PersonRow]) -> dict[str, Identity]:
    """Distinct fictional names, birth dates and e-mail addresses, the same on every run."""
    rng = random.Random(NAME_SEED)
    names: set[str] = set()
    mailboxes: Counter[str] = Counter()
    identities: dict[str, Identity] = {}
    for row in rows:
        while True:
            words = (
                rng.choice(FAMILY_NAMES),
                rng.choice(MIDDLE_NAMES[row.gender]),
                rng.choice(GIVEN_NAMES[row.gender]),
            )
            full_name = " ".join(words)
            if len(set(words)) == 3 and full_name not in names and full_name not in REAL_PEOPLE:
                break
        names.add(full_name)
        folded = fold(full_name).split()
        mailbox = folded[-1] + "".join(word[0] for word in folded[:-1])  # "Nguyễn Văn An" -> "annv"
        mailboxes[mailbox] += 1
        mailbox += str(mailboxes[mailbox]) if mailboxes[mailbox] > 1 else ""
        birth_date = dt.date(row.born, rng.randint(1, 12), rng.randint(1, 28))
        identities[row.key] = Identity(full_name, birth_date, f"{mailbox}@{EMAIL_DOMAIN}")
    return identities


IDENTITIES = _identities([row for row, _ in PEOPLE_WITH_POSTS])


# --- Logins --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    role_label: str  # Vietnamese, for the table printed to whoever tries the demo
    organisation: str  # organisation key
    person: str  # person key


LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("vanphong", Role.COMMITTEE_OFFICE, "Văn phòng Đảng ủy", "tct", "cvp"),
    DemoLogin("bithuchibo", Role.CELL_SECRETARY, "Bí thư chi bộ", "tckt", "tckt.secretary"),
    DemoLogin("dangvien", Role.MEMBER, "Đảng viên", "tckt", "tckt.member1"),
    DemoLogin("kiemtra", Role.INSPECTION, "Ủy ban Kiểm tra", "tct", "ubkt"),
    DemoLogin("thidua", Role.EMULATION, "Thi đua – Khen thưởng", "tct", "tcns.member1"),
    DemoLogin("lanhdao", Role.LEADER, "Lãnh đạo Đảng ủy", "tct", "bithu"),
    DemoLogin("quantri", Role.SYSADMIN, "Quản trị hệ thống", "bloc", "cntt.ht.member1"),
)


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(user name, password, role in Vietnamese, organisation name) of every demo login."""
    org_names = {node.key: node.name for node in ORGANISATIONS}
    return [
        (login.username, DEMO_PASSWORD, login.role_label, org_names[login.organisation]) for login in LOGINS
    ]


# --- Loading -------------------------------------------------------------------------------------


@dataclass
class DemoResult:
    """How many rows of each kind one run created: all zero when the demo was already there."""

    organisations: int = 0
    units: int = 0
    terms: int = 0
    people: int = 0
    appointments: int = 0
    users: int = 0
    roles: int = 0
    members: int = 0
    documents: int = 0
    tasks: int = 0
    meetings: int = 0
    movements: int = 0
    evaluation_rounds: int = 0
    awards: int = 0

    @property
    def created_anything(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def summary(self) -> str:
        if not self.created_anything:
            return "Dữ liệu demo đã có sẵn: không tạo thêm gì."
        return (
            f"Đã tạo dữ liệu demo: {self.organisations} tổ chức đảng, {self.units} đơn vị, {self.terms} nhiệm kỳ, "
            f"{self.people} người, {self.members} hồ sơ đảng viên, {self.appointments} chức vụ, {self.users} tài khoản, "
            f"{self.roles} phân quyền, {self.documents} văn bản, {self.tasks} nhiệm vụ, {self.meetings} cuộc họp, "
            f"{self.movements} phong trào thi đua, {self.evaluation_rounds} đợt đánh giá, xếp loại, "
            f"{self.awards} khen thưởng."
        )


def _get_or_create(model: type[M], lookup: dict[str, Any], create: Callable[[], M]) -> tuple[M, bool]:
    existing = model._default_manager.filter(**lookup).first()
    return (existing, False) if existing is not None else (create(), True)


class _Loader:
    def __init__(self, *, meetings: bool = True) -> None:
        self.with_meetings = meetings
        self.result = DemoResult()
        self.organisations: dict[str, Organisation] = {}
        self.units: dict[str, Unit] = {}
        self.terms: dict[tuple[str, str], CommitteeTerm] = {}
        self.people: dict[str, Person] = {}
        self.positions = {p.code: p for p in PositionType.objects.all()}
        self._password_hash = ""

    def run(self) -> DemoResult:
        self.result.units = self._tree(Unit, services.unit_create, UNITS, self.units)
        self.result.organisations = self._tree(
            Organisation, services.organisation_create, ORGANISATIONS, self.organisations
        )
        self._link_units()
        self._terms()
        self._people_and_posts()
        self._members()
        self._logins()
        self._documents()
        self._emulation()
        if self.with_meetings:
            self._meetings()
        return self.result

    def _documents(self) -> None:
        """The seeds' documents and their chain (dangbo.documents.demo)."""
        from dangbo.documents.demo import load_documents

        signers = {key: person.full_name for key, person in self.people.items()}
        self.result.documents = load_documents(self.organisations, signers)
        from dangbo.documents.demo_tasks import load_tasks

        self.result.tasks = load_tasks(self.organisations, self.units, self.people)

    def _emulation(self) -> None:
        """The "Dân vận khéo" movements of seed 001 (dangbo.emulation.demo)."""
        from dangbo.emulation.demo import load_emulation

        self.result.movements = load_emulation(self.organisations, self.units, self.people)
        from dangbo.evaluation.demo import load_evaluations

        self.result.evaluation_rounds = load_evaluations(self.organisations, self.people)
        from dangbo.awards.demo import load_awards

        self.result.awards = load_awards(self.organisations, self.units, self.people)

    def _meetings(self) -> None:
        """A year of meetings of three cells and the conference of seed 000 (dangbo.meetings.demo)."""
        from dangbo.meetings.demo import load_meetings

        self.result.meetings = load_meetings(self.organisations, self.people)

    def _members(self) -> None:
        """A member record for every party member who sits in a cell, admitted between the ages of
        22 and 35 (deterministic), full member after probation; fictional identity numbers."""
        from dangbo.members.models import PartyMember
        from dangbo.members.services import member_admit, member_record_event
        from dangbo.rules.membership import CELL_KINDS_FOR_MEMBERS, probation_end

        rng = random.Random(NAME_SEED + 1)
        today = timezone.localdate()
        for index, (_key, person) in enumerate(sorted(self.people.items()), start=1):
            draw = (rng.randint(22, 35), rng.randint(1, 12), rng.randint(1, 28))
            organisation = person.organisation
            if (
                not person.is_party_member
                or organisation is None
                or organisation.kind not in CELL_KINDS_FOR_MEMBERS
            ):
                continue
            if PartyMember.objects.filter(person=person).exists():
                continue
            assert person.birth_date is not None
            admitted = dt.date(min(person.birth_date.year + draw[0], today.year - 1), draw[1], draw[2])
            member = member_admit(
                actor=None,
                person=person,
                organisation=organisation,
                admitted_on=admitted,
                decision_no=f"{draw[1]:02d}-QĐ/ĐU",
                issuer="Đảng ủy Tổng công ty",
                national_id=f"0010{person.birth_date.year % 100:02d}{index:06d}",  # fictional, unique
                ethnicity="Kinh",
                religion="Không",
                political_theory=rng.choice(["Sơ cấp", "Trung cấp", "Cao cấp"]),
            )
            if probation_end(admitted) <= today:
                member_record_event(actor=None, member=member, kind="full_member", on=probation_end(admitted))
            self.result.members += 1

    def _tree(
        self, model: type[M], create: Callable[..., M], nodes: tuple[Node, ...], into: dict[str, M]
    ) -> int:
        created = 0
        for node in nodes:
            parent = into[node.parent] if node.parent else None
            into[node.key], new = _get_or_create(
                model,
                {"parent": parent, "name": node.name},
                partial(
                    create,
                    actor=None,
                    parent=parent,
                    name=node.name,
                    kind=node.kind,
                    short_name=node.short_name,
                    code=node.code,
                ),
            )
            created += new
        return created

    def _link_units(self) -> None:
        """Link each organisation to the units it leads, unless it already leads some (never undo
        a change made after the demo was loaded)."""
        for node in ORGANISATIONS:
            organisation = self.organisations[node.key]
            if node.leads and not organisation.units.exists():
                services.organisation_set_units(
                    actor=None, organisation=organisation, units=[self.units[key] for key in node.leads]
                )

    def _terms(self) -> None:
        for key in TERM_ORGANISATIONS:
            organisation = self.organisations[key]
            for period in TERM_PERIODS:
                self.terms[key, period.name], new = _get_or_create(
                    CommitteeTerm,
                    {"organisation": organisation, "name": period.name},
                    partial(
                        services.term_create,
                        actor=None,
                        organisation=organisation,
                        name=period.name,
                        starts_on=period.starts_on,
                        ends_on=period.ends_on,
                    ),
                )
                self.result.terms += new

    def _people_and_posts(self) -> None:
        for row, posts in PEOPLE_WITH_POSTS:
            identity = IDENTITIES[row.key]
            self.people[row.key], new = _get_or_create(
                Person,
                {"email": identity.email},
                partial(
                    services.person_create,
                    actor=None,
                    full_name=identity.full_name,
                    gender=row.gender,
                    birth_date=identity.birth_date,
                    email=identity.email,
                    is_party_member=row.member,
                    organisation=self.organisations[row.organisation] if row.organisation else None,
                    unit=self.units[row.unit] if row.unit else None,
                ),
            )
            self.result.people += new
            for post in posts:
                self._post(post)

    def _post(self, post: PostRow) -> None:
        position = self.positions[post.position]
        party = position.system == PositionType.System.PARTY
        organisation = self.organisations[post.place] if party else None
        unit = None if party else self.units[post.place]
        term = self.terms[post.place, post.term.name] if post.term else None
        person = self.people[post.person]
        _, new = _get_or_create(
            Appointment,
            {
                "person": person,
                "position": position,
                "organisation": organisation,
                "unit": unit,
                "starts_on": post.starts_on,
            },
            partial(
                services.appointment_create,
                actor=None,
                person=person,
                position=position,
                organisation=organisation,
                unit=unit,
                starts_on=post.starts_on,
                ends_on=post.ends_on,
                term=term,
            ),
        )
        self.result.appointments += new

    def _logins(self) -> None:
        for login in LOGINS:
            person = self.people[login.person]
            user, new = _get_or_create(
                get_user_model(), {"username": login.username}, partial(self._user, login, person)
            )
            self.result.users += new
            if person.user_id is None and not Person.objects.filter(user=user).exists():
                services.person_link_user(actor=None, person=person, user=user)
            organisation = self.organisations[login.organisation]
            if not user.role_assignments.active().filter(organisation=organisation, role=login.role).exists():
                services.role_assign(actor=None, user=user, organisation=organisation, role=login.role)
                self.result.roles += 1

    def _user(self, login: DemoLogin, person: Person) -> Any:
        # Given name last, as Vietnamese writes it, so that get_full_name() reads "Nguyễn Văn An".
        *family_and_middle, given = person.full_name.split()
        user = get_user_model().objects.create_user(
            username=login.username,
            email=person.email,
            first_name=" ".join(family_and_middle),
            last_name=given,
        )
        # One shared password: hash it once (a deliberately slow hash) and give every login that hash.
        self._password_hash = self._password_hash or make_password(DEMO_PASSWORD)
        user.password = self._password_hash
        user.save(update_fields=["password"])
        return user


@transaction.atomic
def load_demo(*, stdout: Writer | None = None, meetings: bool = True) -> DemoResult:
    """Load the demo data set, creating only what is missing. `meetings=False` leaves out the year of
    meetings (half the loading time): for the tests of the other parts of the demo."""
    result = _Loader(meetings=meetings).run()
    if stdout is not None:
        stdout.write(result.summary() + "\n")
    return result
