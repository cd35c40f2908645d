"""A year of meetings for `dangbo demo`, entered through the services as the system.

Three chi bộ of the head office's party committee hold their monthly meeting (the Ban Tài chính – Kế
toán cell — the demo's "bithuchibo" and "dangvien" — every month with a thematic meeting each
quarter; the Văn phòng cell skips the Tết month and holds two thematic meetings; the Ban Kinh doanh
cell holds none and sends its documents late, and one of its members stays away without reason three
times: the quality figures and the absence flags have something to show). Minutes are written and
signed by the cell's Bí thư (chair) and a member (minutes secretary), and sealed; the last month's
still wait for the chair's signature. Next month's meetings are planned and the invitations sent.

From seed 000: the expanded conference of the Tổng công ty's executive committee of 11/10/2023 that
reviewed nine months of 2023 and two and a half years of Nghị quyết 69-NQ/ĐU (figures from the
article; the guest from the Đảng ủy Khối is a fictional name, as are all the demo's people).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from dangbo.documents.models import Document
from dangbo.meetings import services
from dangbo.meetings.models import Attendee, Meeting
from dangbo.orgs import services as org_services
from dangbo.orgs.models import Organisation, Person
from dangbo.rules.meetings import MeetingKind, Presence, VoteMatter

MONTHS = 12
EXCUSES = ("Đi công tác", "Ốm, có giấy nghỉ ốm", "Nghỉ phép năm", "Đi học lớp bồi dưỡng", "Việc gia đình")
# The absences the chi ủy agreed to beforehand (left out of the votes' denominator, QĐ 24 mục 9.3.2);
# the others stay among the voting members.
APPROVED_EXCUSES = frozenset({"Đi công tác", "Ốm, có giấy nghỉ ốm", "Đi học lớp bồi dưỡng"})
THEMES = (
    "Chuyển đổi số trong hoạt động bưu chính",
    "Thực hành tiết kiệm, chống lãng phí",
    "Nâng cao chất lượng dịch vụ bưu chính công ích",
    "Người Việt Nam ưu tiên dùng hàng Việt Nam",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
)


@dataclass(frozen=True)
class DemoCell:
    key: str  # organisation key of orgs.demo (a chi bộ)
    place: str
    minutes_by: str  # person key of the minutes secretary
    thematic_months: tuple[int, ...]  # months of the year with a thematic meeting
    skipped_months: tuple[int, ...] = ()  # no meeting that month
    late_invitations: bool = False
    truant: str = ""  # person key of a member absent without reason three times


CELLS = (
    DemoCell("tckt", "Phòng họp tầng 5, trụ sở Tổng công ty", "tckt.member1", (3, 6, 9, 12)),
    DemoCell("vp", "Phòng họp Văn phòng, tầng 3", "vp.deputy", (6, 12), skipped_months=(2,)),
    DemoCell("kd", "Phòng họp Ban Kinh doanh", "kd.deputy", (), late_invitations=True, truant="kd.member2"),
)


def _month_start(today: dt.date, back: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Signers:
    """The logins the chair and the minutes secretary sign with: their own demo login if they have
    one, else a login without a password (they exist only to sign the demo's minutes)."""

    def __init__(self) -> None:
        self.users: dict[int, Any] = {}

    def __call__(self, person: Person) -> Any:
        if person.pk not in self.users:
            user = person.user
            if user is None:
                user, _created = get_user_model().objects.get_or_create(
                    username=f"ky-{person.pk}", defaults={"is_active": True}
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
                org_services.person_link_user(actor=None, person=person, user=user)
                person.refresh_from_db()
            self.users[person.pk] = user
        return self.users[person.pk]


def _record(
    meeting: Meeting,
    rng: random.Random,
    *,
    truant: Person | None,
    truant_month: bool,
) -> None:
    marks: dict[int, tuple[str, str, bool]] = {}
    for attendee in Attendee.objects.filter(meeting=meeting, counted=True):
        draw = rng.random()
        if truant is not None and attendee.person_id == truant.pk and truant_month:
            marks[attendee.pk] = (Presence.UNEXCUSED.value, "", False)
        elif draw < 0.09:
            reason = rng.choice(EXCUSES)
            marks[attendee.pk] = (Presence.EXCUSED.value, reason, reason in APPROVED_EXCUSES)
        else:
            marks[attendee.pk] = (Presence.PRESENT.value, "", False)
    services.attendance_record(actor=None, meeting=meeting, marks=marks)


def _present_voters(meeting: Meeting) -> int:
    return Attendee.objects.filter(meeting=meeting, voting=True, presence=Presence.PRESENT.value).count()


def _minutes(meeting: Meeting, conclusions: str, discussion: str) -> None:
    start = meeting.starts_at
    services.minutes_save(
        actor=None,
        meeting=meeting,
        data=services.MinutesInput(
            opened_at=start,
            closed_at=meeting.ends_at,
            proceedings=(
                "Đồng chí Bí thư chi bộ khai mạc, nêu mục đích, yêu cầu của buổi sinh hoạt; "
                "thư ký thông qua chương trình và kết quả điểm danh.\n"
                "Chi bộ nghe báo cáo kết quả thực hiện nhiệm vụ chính trị và công tác xây dựng Đảng "
                "trong tháng, phương hướng nhiệm vụ tháng tới."
            ),
            discussion=discussion,
            conclusions=conclusions,
        ),
    )


def _sign(meeting: Meeting, signer: Callable[[Person], Any], *, both: bool) -> None:
    """The minutes secretary signs at the close of the meeting and the chair a quarter of an hour
    later — the times of the meeting they seal, not of the loading (always in the past: only meetings
    held before today get minutes)."""
    assert meeting.secretary is not None and meeting.chair is not None and meeting.ends_at is not None
    closed = meeting.ends_at
    services.minutes_sign(
        actor=signer(meeting.secretary), meeting=meeting, at=closed + dt.timedelta(minutes=10)
    )
    if both:
        services.minutes_sign(
            actor=signer(meeting.chair), meeting=meeting, at=closed + dt.timedelta(minutes=25)
        )


def _regular_day(month: dt.date, today: dt.date) -> dt.date:
    """The cell's regular meeting of a month: the first working day from the 10th — never today
    itself, so that a meeting is either held (before today) or planned (after), whatever the day."""
    day = _weekday_on_or_after(month.replace(day=10))
    if day == today:
        day = _weekday_on_or_after(day + dt.timedelta(days=1))
    return day


def _cell_year(
    spec: DemoCell,
    organisation: Organisation,
    people: dict[str, Person],
    signer: Callable[[Person], Any],
    documents: dict[str, Document | None],
    today: dt.date,
) -> int:
    rng = random.Random(f"meetings-{spec.key}")
    chair, secretary = people[f"{spec.key}.secretary"], people[spec.minutes_by]
    truant = people.get(spec.truant) if spec.truant else None
    created = 0
    truant_months = {2, 5, 8}  # months back in which the truant stayed away
    months = [
        (back, _month_start(today, back))
        for back in range(MONTHS, -2, -1)
        if _month_start(today, back).month not in spec.skipped_months
    ]
    # The latest meeting held (this month's or, before the 10th, last month's — or the one before
    # when the cell skipped that month) has minutes that still wait for the chair's signature.
    latest_held = min(b for b, month in months if _regular_day(month, today) < today)
    for back, month in months:
        day = _regular_day(month, today)
        starts = _at(day, 14)
        if Meeting.objects.filter(organisation=organisation, starts_at=starts).exists():
            continue
        data = services.MeetingInput(
            kind=MeetingKind.CELL_REGULAR.value,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            place=spec.place,
            chair=chair,
            secretary=secretary,
        )
        held = day < today
        meeting = services.meeting_plan(actor=None, organisation=organisation, data=data, held=held)
        created += 1
        previous = _month_start(today, back - 1)
        services.agenda_add(
            actor=None,
            meeting=meeting,
            title=f"Đánh giá kết quả thực hiện nhiệm vụ tháng {month.month:02d}/{month.year}",
            presenter=chair,
            presenter_name=chair.full_name,
        )
        resolution_item = services.agenda_add(
            actor=None,
            meeting=meeting,
            title=f"Phương hướng, nhiệm vụ tháng {previous.month:02d}/{previous.year}",
            presenter=chair,
            presenter_name=chair.full_name,
            documents=[d for d in (documents.get("plan"),) if d is not None],
        )
        ahead = dt.timedelta(hours=6) if spec.late_invitations and back % 2 == 0 else dt.timedelta(days=3)
        if not held:
            services.meeting_invite(actor=None, meeting=meeting, email=False)
            continue
        services.meeting_invite(actor=None, meeting=meeting, sent_at=starts - ahead)
        _record(meeting, rng, truant=truant, truant_month=back in truant_months)
        present = _present_voters(meeting)
        services.vote_record(
            actor=None,
            meeting=meeting,
            subject=f"Thông qua nghị quyết chi bộ tháng {month.month:02d}/{month.year}",
            matter=VoteMatter.RESOLUTION.value,
            yes=present,
            no=0,
            abstain=0,
            agenda_item=resolution_item,
        )
        _minutes(
            meeting,
            conclusions=(
                f"Chi bộ thống nhất đánh giá hoàn thành tốt nhiệm vụ tháng {month.month:02d}/{month.year}. "
                f"Giao các đảng viên triển khai nhiệm vụ tháng {previous.month:02d}/{previous.year} "
                "theo phân công của chi ủy; tiếp tục học tập, quán triệt các văn bản của cấp trên."
            ),
            discussion=(
                "Các đồng chí đảng viên phát biểu, đóng góp ý kiến về kết quả công tác chuyên môn, "
                "đề xuất giải pháp đẩy mạnh chuyển đổi số và nâng cao chất lượng phục vụ khách hàng."
            ),
        )
        _sign(meeting, signer, both=back != latest_held)
        if month.month in spec.thematic_months:
            created += _thematic(spec, organisation, chair, secretary, signer, rng, day, today)
    return created


def _thematic(
    spec: DemoCell,
    organisation: Organisation,
    chair: Person,
    secretary: Person,
    signer: Callable[[Person], Any],
    rng: random.Random,
    regular_day: dt.date,
    today: dt.date,
) -> int:
    day = _weekday_on_or_after(regular_day + dt.timedelta(days=14))
    if day >= today:
        return 0
    starts = _at(day, 15)
    theme = THEMES[(day.month // 3 + len(spec.key)) % len(THEMES)]
    meeting = services.meeting_plan(
        actor=None,
        organisation=organisation,
        held=True,
        data=services.MeetingInput(
            kind=MeetingKind.CELL_THEMATIC.value,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=120),
            topic=theme,
            place=spec.place,
            chair=chair,
            secretary=secretary,
        ),
    )
    services.agenda_add(
        actor=None,
        meeting=meeting,
        title=f"Chuyên đề: {theme}",
        presenter=chair,
        presenter_name=chair.full_name,
    )
    services.meeting_invite(actor=None, meeting=meeting, sent_at=starts - dt.timedelta(days=5))
    _record(meeting, rng, truant=None, truant_month=False)
    _minutes(
        meeting,
        conclusions=f"Chi bộ thống nhất các giải pháp thực hiện chuyên đề “{theme}”; mỗi đảng viên đăng ký một việc làm cụ thể.",
        discussion="Đảng viên thảo luận, liên hệ với nhiệm vụ của bộ phận và của bản thân.",
    )
    _sign(meeting, signer, both=True)
    return 1


CONFERENCE_DAY = dt.date(2023, 10, 11)


def _conference(
    organisations: dict[str, Organisation],
    people: dict[str, Person],
    signer: Callable[[Person], Any],
    documents: dict[str, Document | None],
) -> int:
    """Seed 000: the expanded executive committee conference of 11/10/2023."""
    tct = organisations["tct"]
    starts = _at(CONFERENCE_DAY, 8)
    if Meeting.objects.filter(organisation=tct, starts_at=starts).exists():
        return 0
    chair, secretary = people["bithu-cu"], people["cvp"]
    meeting = services.meeting_plan(
        actor=None,
        organisation=tct,
        held=True,
        data=services.MeetingInput(
            kind=MeetingKind.EXPANDED.value,
            starts_at=starts,
            ends_at=_at(CONFERENCE_DAY, 11, 30),
            title="Hội nghị Ban Chấp hành Đảng bộ Tổng công ty mở rộng: sơ kết công tác 9 tháng, "
            "triển khai nhiệm vụ 3 tháng cuối năm 2023",
            place="Hội trường trụ sở Tổng công ty",
            chair=chair,
            secretary=secretary,
        ),
    )
    for key, post in (
        ("bithu-coquan", "Bí thư Đảng ủy Cơ quan Tổng công ty"),
        ("gd-hanoi", "Giám đốc Bưu điện thành phố Hà Nội"),
        ("gd-hcm", "Giám đốc Bưu điện Thành phố Hồ Chí Minh"),
    ):
        person = people.get(key)
        if person is not None and not Attendee.objects.filter(meeting=meeting, person=person).exists():
            services.attendee_add(actor=None, meeting=meeting, person=person, post=post)
    services.attendee_add(
        actor=None,
        meeting=meeting,
        name="Lương Văn Thịnh",
        post="Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối Doanh nghiệp Trung ương",
    )
    services.agenda_add(
        actor=None,
        meeting=meeting,
        title="Báo cáo sơ kết công tác xây dựng Đảng 9 tháng, phương hướng nhiệm vụ 3 tháng cuối năm 2023",
        presenter=people["pbttt"],
        presenter_name=f"{people['pbttt'].full_name}, Phó Bí thư Thường trực",
    )
    item = services.agenda_add(
        actor=None,
        meeting=meeting,
        title="Sơ kết 2,5 năm thực hiện Nghị quyết 69-NQ/ĐU ngày 27/3/2021 về tăng cường hoạt động đổi mới, sáng tạo",
        presenter=people["pbttt"],
        presenter_name=people["pbttt"].full_name,
        documents=[d for d in (documents.get("69-NQ/ĐU"), documents.get("review")) if d is not None],
    )
    services.agenda_add(actor=None, meeting=meeting, title="Thảo luận")
    services.agenda_add(
        actor=None,
        meeting=meeting,
        title="Phát biểu chỉ đạo của đại biểu Đảng ủy Khối",
        presenter_name="Lương Văn Thịnh",
    )
    services.agenda_add(
        actor=None,
        meeting=meeting,
        title="Kết luận Hội nghị",
        presenter=chair,
        presenter_name=f"{chair.full_name}, Bí thư Đảng ủy",
    )
    services.meeting_invite(actor=None, meeting=meeting, sent_at=starts - dt.timedelta(days=7))
    marks = {}
    for attendee in Attendee.objects.filter(meeting=meeting, counted=True):
        marks[attendee.pk] = (Presence.PRESENT.value, "")
    services.attendance_record(actor=None, meeting=meeting, marks=marks)
    voters = _present_voters(meeting)
    services.vote_record(
        actor=None,
        meeting=meeting,
        subject="Thông qua báo cáo sơ kết 9 tháng và nhiệm vụ 3 tháng cuối năm 2023",
        matter=VoteMatter.RESOLUTION.value,
        yes=voters,
        no=0,
        abstain=0,
        agenda_item=item,
    )
    services.minutes_save(
        actor=None,
        meeting=meeting,
        data=services.MinutesInput(
            opened_at=starts,
            closed_at=_at(CONFERENCE_DAY, 11, 30),
            proceedings=(
                "Đồng chí Phó Bí thư Thường trực trình bày báo cáo: 9 tháng đầu năm 2023, Đảng ủy Tổng công ty "
                "đã xây dựng và ban hành 11 nghị quyết, 07 chương trình, 35 kết luận cùng nhiều kế hoạch, "
                "văn bản quan trọng khác; cơ bản hoàn thành các mục tiêu Nghị quyết năm 2023 về công tác xây "
                "dựng Đảng.\n"
                "Hội nghị sơ kết 2,5 năm thực hiện Nghị quyết 69-NQ/ĐU ngày 27/3/2021 về tăng cường hoạt động "
                "đổi mới, sáng tạo tại Tổng công ty."
            ),
            discussion=(
                "Các đại biểu thống nhất với các dự thảo báo cáo; đề xuất năm 2024 tiếp tục ban hành các chỉ "
                "thị, nghị quyết về 04 trụ cột kinh doanh: dịch vụ hành chính công; bưu chính chuyển phát, "
                "logistics; tài chính bưu chính; kinh doanh phân phối hàng hóa; triển khai 05 nhiệm vụ trọng tâm.\n"
                "Đại biểu Đảng ủy Khối phát biểu chỉ đạo: rà soát các nội dung của Nghị quyết năm 2023, phát "
                "huy sức mạnh tổng hợp của hệ thống chính trị, áp dụng các công cụ quản trị thông minh."
            ),
            conclusions=(
                "Đồng chí Bí thư Đảng ủy kết luận: tập trung lãnh đạo, chỉ đạo hoàn thành các mục tiêu, chỉ tiêu "
                "về công tác xây dựng Đảng; triển khai công tác quy hoạch, bổ nhiệm, đánh giá cán bộ; lấy phiếu "
                "tín nhiệm theo quy định; hoàn thành cao nhất các chỉ tiêu kinh doanh quý IV năm 2023."
            ),
        ),
    )
    _sign(meeting, signer, both=True)
    return 1


def load_meetings(organisations: dict[str, Organisation], people: dict[str, Person]) -> int:
    """Enter the demo's meetings not there yet: how many were created."""
    today = timezone.localdate()
    documents: dict[str, Document | None] = {
        "plan": Document.objects.filter(type_code="KH", registered=True, symbol__endswith="KH/ĐU").first(),
        "69-NQ/ĐU": Document.objects.filter(symbol="69-NQ/ĐU", registered=True).first(),
        "review": Document.objects.filter(type_code="BC", registered=True).first(),
    }
    signer = _Signers()
    created = _conference(organisations, people, signer, documents)
    for spec in CELLS:
        created += _cell_year(spec, organisations[spec.key], people, signer, documents, today)
    return created
