"""The minutes of a meeting (biên bản) in the Party's format: what `render.to_docx` / `render.to_pdf`
print for a `meetings.Minutes`.

Everything printed comes from the records, never retyped: the meeting (time, place, online link),
the minutes' structured fields and free text, the attendance (`Attendee` rows and
`meetings.services.validity`), the agenda and the votes with the figures their result was computed
from, the signatures and the seal, and the signed corrections appended after the seal. The header is
the body that met (a cell's own name, a committee's title — `rules.documents.issuer_title`) under its
superior body, at its place (`layouts.place_of`), on the meeting's day. The secretary signs on the
left and the chair on the right (Hướng dẫn 36-HD/VPTW, biên bản); a signature given to the text as
it stands prints the electronic signature's time. Unsealed minutes print "DỰ THẢO"; sealed minutes
end with the first 16 hexadecimal digits of their content hash (`meetings.seal`), so a paper copy
can be checked against the meeting's page.

The document is Vietnamese whatever the reader's page language: every text here is a Vietnamese
literal, as in `layouts`. Dates are dd/mm/yyyy and times the site's local time (settings.TIME_ZONE).
Reads a fixed number of queries whatever the number of attendees, votes or corrections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from dangbo.meetings import services as meeting_services
from dangbo.meetings.models import SIGNATORIES, AgendaItem, Attendee, Meeting, Minutes, MinutesAddendum, Vote
from dangbo.reports.layouts import issuing_body
from dangbo.reports.render import (
    Align,
    Block,
    Bullet,
    Heading,
    Paragraph,
    PartyLayout,
    Run,
    Signature,
    Table,
    blocks_from_text,
)
from dangbo.rules.meetings import CELL_KINDS, MeetingKind, Presence
from dangbo.rules.vietnamese import format_date
from dangbo.rules.vietnamese import format_number as n

TYPE_NAME = "Biên bản"
SECRETARY = "THƯ KÝ"
CHAIR = "CHỦ TRÌ"
CAPACITIES = {"chair": "chủ trì", "secretary": "thư ký"}  # MinutesAddendum.Capacity
# Meetings of a committee are headed by the committee ("Đảng ủy …"), the others by the organisation
# that meets (a cell, a đảng bộ in congress).
COMMITTEE_KINDS = frozenset({MeetingKind.COMMITTEE, MeetingKind.STANDING, MeetingKind.EXPANDED})
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
HASH_SHOWN = 16  # hexadecimal digits of the content hash printed on paper
VOTE_HEADER = (
    "TT",
    "Nội dung biểu quyết",
    "Số có quyền biểu quyết",
    "Có mặt",
    "Tán thành",
    "Không tán thành",
    "Không biểu quyết",
    "Số cần đạt",
    "Kết quả",
)
VOTE_WIDTHS = (0.6, 3.0, 1.3, 1.0, 1.1, 1.2, 1.2, 1.0, 1.9)
VOTE_ALIGN: tuple[Align, ...] = (
    "center",
    "left",
    "right",
    "right",
    "right",
    "right",
    "right",
    "right",
    "center",
)


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def _clock(moment: dt.datetime) -> str:
    """ "14 giờ 05 phút"."""
    local = _local(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút"


def _signed_line(moment: dt.datetime) -> str:
    """ "Đã ký điện tử lúc 14:05 ngày 20/10/2026"."""
    local = _local(moment)
    return f"Đã ký điện tử lúc {local:%H:%M} ngày {format_date(local.date())}"


def _at(moment: dt.datetime) -> str:
    """ "14:05 ngày 20/10/2026"."""
    local = _local(moment)
    return f"{local:%H:%M} ngày {format_date(local.date())}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _labelled(label: str, text: str | Sequence[str | Run]) -> Paragraph:
    """ "Label: text" with the label in bold."""
    rest: list[str | Run] = [text] if isinstance(text, str) else list(text)
    return Paragraph([Run(f"{label}: ", bold=True), *rest])


@dataclass(frozen=True)
class MinutesRecord:
    """What the minutes print, read from the database once (`read`)."""

    meeting: Meeting
    minutes: Minutes
    attendees: list[Attendee]
    agenda: list[AgendaItem]
    votes: list[Vote]
    addenda: list[MinutesAddendum]
    chair_signed: bool  # the chair signed the text as it stands
    secretary_signed: bool

    @classmethod
    def read(cls, meeting: Meeting, minutes: Minutes | None = None) -> MinutesRecord:
        """The meeting's minutes and records: at most 7 queries whatever their number (4 of them
        only for a draft one of the two has signed, whose signature is checked against the text as
        it stands), one more when `minutes` is not given."""
        if minutes is None:
            minutes = Minutes.objects.select_related(*SIGNATORIES).get(meeting=meeting)
        if minutes.sealed:
            chair = secretary = True  # sealed: both signed the sealed text
        elif minutes.chair_signed_hash or minutes.secretary_signed_hash:
            state = meeting_services.signature_state(meeting, minutes)
            chair, secretary = state.chair, state.secretary
        else:
            chair = secretary = False
        return cls(
            meeting=meeting,
            minutes=minutes,
            attendees=list(meeting.attendees.all()),
            agenda=list(meeting.agenda.order_by("position")),
            votes=list(meeting.votes.order_by("pk")),
            addenda=list(minutes.addenda.order_by("number")) if minutes.sealed else [],
            chair_signed=chair,
            secretary_signed=secretary,
        )


# --- Sections ------------------------------------------------------------------------------------


def _members_word(kind: MeetingKind) -> str:
    return "ủy viên" if kind in COMMITTEE_KINDS else "đảng viên"


def _meeting_word(kind: MeetingKind) -> str:
    return "Buổi sinh hoạt" if kind in CELL_KINDS else "Hội nghị"


def _time_and_place(record: MinutesRecord) -> list[Block]:
    meeting, minutes = record.meeting, record.minutes
    opened = minutes.opened_at or meeting.starts_at
    blocks: list[Block] = [
        _labelled("Thời gian", f"bắt đầu lúc {_clock(opened)}, ngày {format_date(_local(opened).date())}.")
    ]
    place = minutes.place or meeting.place
    if place:
        blocks.append(_labelled("Địa điểm", _sentence(place)))
    if meeting.online_url:
        label = "Kết hợp trực tuyến" if place else "Hình thức"
        text = f"đường dẫn {meeting.online_url}" if place else f"trực tuyến, đường dẫn {meeting.online_url}"
        blocks.append(_labelled(label, text))
    chair, secretary = minutes.chair_signatory, minutes.secretary_signatory
    blocks.append(_labelled("Chủ trì", f"đồng chí {chair}." if chair else "…"))
    blocks.append(_labelled("Thư ký", f"đồng chí {secretary}." if secretary else "…"))
    return blocks


def _approver(kind: MeetingKind) -> str:
    return "chi ủy" if kind in CELL_KINDS else "cấp ủy"


def _names(
    people: Sequence[Attendee], *, reasons: bool = False, posts: bool = False, approver: str = ""
) -> list[Block]:
    items: list[Block] = []
    for position, person in enumerate(people, start=1):
        text = person.name
        if posts and person.post:
            text += f", {person.post}"
        said = [person.reason] if reasons and person.reason else []
        if approver and person.absence_approved:
            said.append(f"được {approver} đồng ý")
        if said:
            text += f" ({'; '.join(said)})"
        items.append(Bullet(text + ("." if position == len(people) else ";")))
    return items


def _attendance(record: MinutesRecord) -> list[Block]:
    """Who was summoned and who came, from the attendance, and whether the meeting was valid."""
    kind = MeetingKind(record.meeting.kind)
    word = _members_word(kind)
    members = [a for a in record.attendees if a.counted]
    guests = [
        a
        for a in record.attendees
        if not a.counted and a.presence not in (Presence.EXCUSED, Presence.UNEXCUSED)
    ]

    def having(presence: Presence) -> list[Attendee]:
        return [a for a in members if a.presence == presence]

    summoned = f"{n(len(members))} đồng chí"
    non_voting = sum(1 for a in members if not a.voting)
    if word == "đảng viên" and non_voting:
        summoned += f" (chính thức: {n(len(members) - non_voting)}, dự bị: {n(non_voting)})"
    blocks: list[Block] = [
        _labelled(f"Tổng số {word} được triệu tập", f"{summoned}."),
        _labelled("Có mặt", f"{n(len(having(Presence.PRESENT)))} đồng chí."),
    ]
    for presence, label, reasons in (
        (Presence.EXCUSED, "Vắng có lý do", True),
        (Presence.UNEXCUSED, "Vắng không có lý do", False),
        (Presence.EXEMPT, "Miễn sinh hoạt đảng", False),
        (Presence.INVITED, "Chưa ghi nhận việc dự họp", False),
    ):
        people = having(presence)
        if not people and presence in (Presence.EXEMPT, Presence.INVITED):
            continue
        blocks.append(_labelled(label, f"{n(len(people))} đồng chí" + (":" if people else ".")))
        blocks += _names(people, reasons=reasons, approver=_approver(kind) if reasons else "")
    if guests:
        blocks.append(_labelled("Khách mời", f"{n(len(guests))} đồng chí:"))
        blocks += _names(guests, posts=True)
    state = meeting_services.validity(record.meeting, record.attendees)
    meeting_word = _meeting_word(kind)
    if not state.recorded:
        verdict = (
            f"chưa ghi nhận đủ việc dự họp của các {word}: chưa xác định được {meeting_word.lower()} "
            "có hợp lệ hay không."
        )
    else:
        present, summoned, required = n(state.present), n(state.summoned), n(state.required)
        figures = f"{present}/{summoned} {word} có mặt (cần ít nhất {required})"
        verdict = (
            f"{figures}, {meeting_word.lower()} đủ điều kiện tiến hành (hợp lệ)."
            if state.valid
            else f"{figures}, {meeting_word.lower()} không đủ điều kiện tiến hành (không hợp lệ)."
        )
    blocks.append(_labelled("Tính hợp lệ", verdict))
    return blocks


def _agenda(record: MinutesRecord) -> list[Block]:
    blocks: list[Block] = []
    for number, item in enumerate(record.agenda, start=1):
        presenter = f" (đồng chí {item.presenter_name} trình bày)" if item.presenter_name else ""
        blocks.append(Paragraph([Run(f"{number}.", bold=True), f" {item.title.rstrip('.')}{presenter}."]))
    return blocks


def _votes(record: MinutesRecord) -> list[Block]:
    rows = [
        [
            number,
            vote.subject,
            vote.voters,
            vote.present,
            vote.yes,
            vote.no,
            vote.abstain,
            vote.required,
            "Thông qua" if vote.passed else "Không thông qua",
        ]
        for number, vote in enumerate(record.votes, start=1)
    ]
    table = Table(
        header=VOTE_HEADER,
        rows=rows,
        widths=VOTE_WIDTHS,
        align=VOTE_ALIGN,
        note="Đơn vị tính: đồng chí",
    )
    return [table, _voters_line(record)]


def _voters_line(record: MinutesRecord) -> Paragraph:
    """How "Số có quyền biểu quyết" is made, from the attendance (QĐ 24 mục 9.3.2): "9 = 10 đảng
    viên chính thức − 1 vắng có lý do được chi ủy đồng ý"."""
    kind = MeetingKind(record.meeting.kind)
    counted = meeting_services.voting_members(record.meeting, record.attendees)
    word = "ủy viên" if kind in COMMITTEE_KINDS else "đảng viên chính thức"
    text = f"{n(counted.voters)} = {n(counted.full)} {word}"
    if counted.exempt_out:
        text += f" − {n(counted.exempt_out)} miễn sinh hoạt đảng vắng mặt"
    if counted.excused_out:
        text += f" − {n(counted.excused_out)} vắng có lý do được {_approver(kind)} đồng ý"
    if counted.excused_kept:
        text += (
            f" ({n(counted.excused_kept)} vắng có lý do chưa được {_approver(kind)} đồng ý "
            "vẫn tính vào số có quyền biểu quyết)"
        )
    return _labelled("Số có quyền biểu quyết", f"{text}.")


def _closing_line(record: MinutesRecord) -> Paragraph:
    minutes = record.minutes
    if minutes.closed_at is None:
        return Paragraph("Biên bản kết thúc lúc … giờ … phút cùng ngày.")
    opened = _local(minutes.opened_at or record.meeting.starts_at).date()
    closed = _local(minutes.closed_at)
    day = "cùng ngày" if closed.date() == opened else f"ngày {format_date(closed.date())}"
    return Paragraph(f"Biên bản kết thúc lúc {_clock(minutes.closed_at)} {day}.")


def _body(record: MinutesRecord) -> list[Block]:
    minutes = record.minutes
    sections: list[tuple[str, list[Block]]] = [
        ("THỜI GIAN, ĐỊA ĐIỂM", _time_and_place(record)),
        ("THÀNH PHẦN", _attendance(record)),
        ("CHƯƠNG TRÌNH", _agenda(record)),
        ("DIỄN BIẾN", blocks_from_text(minutes.proceedings)),
        ("Ý KIẾN THẢO LUẬN", blocks_from_text(minutes.discussion)),
        ("KẾT LUẬN", blocks_from_text(minutes.conclusions)),
        ("KẾT QUẢ BIỂU QUYẾT", _votes(record) if record.votes else []),
    ]
    blocks: list[Block] = []
    numbered = [(title, content) for title, content in sections if content]
    for roman, (title, content) in zip(ROMAN, numbered, strict=False):
        blocks.append(Heading(f"{roman}. {title}", 1))
        blocks += content
    blocks.append(_closing_line(record))
    return blocks


def _signatures(record: MinutesRecord) -> list[Signature]:
    minutes = record.minutes

    def signed(ok: bool, at: dt.datetime | None) -> str:
        return _signed_line(at) if ok and at is not None else ""

    return [
        Signature(
            SECRETARY,
            name=minutes.secretary_signatory,
            signed=signed(record.secretary_signed, minutes.secretary_signed_at),
        ),
        Signature(
            CHAIR, name=minutes.chair_signatory, signed=signed(record.chair_signed, minutes.chair_signed_at)
        ),
    ]


def _after_signatures(record: MinutesRecord) -> list[Block]:
    """The seal's check line, then every signed correction with its own."""
    minutes = record.minutes
    if not minutes.sealed:
        return []
    assert minutes.sealed_at is not None
    blocks: list[Block] = [
        Paragraph(
            [
                Run(
                    f"Biên bản đã niêm phong lúc {_at(minutes.sealed_at)}. Mã kiểm tra nội dung: ",
                    italic=True,
                ),
                Run(minutes.content_hash[:HASH_SHOWN], bold=True),
                Run(" (16 ký tự đầu của mã SHA-256, đối chiếu trên trang cuộc họp).", italic=True),
            ],
            align="left",
            indent=False,
        )
    ]
    for addendum in record.addenda:
        blocks.append(
            Paragraph([Run(f"ĐÍNH CHÍNH SỐ {addendum.number}", bold=True)], align="center", indent=False)
        )
        blocks.append(_labelled("Ngày đính chính", f"{format_date(_local(addendum.signed_at).date())}."))
        blocks += blocks_from_text(addendum.text)
        blocks.append(_labelled("Lý do", _sentence(addendum.reason)))
        capacity = CAPACITIES.get(addendum.capacity, addendum.capacity)
        blocks.append(
            _labelled(
                "Người ký",
                [
                    f"đồng chí {addendum.signer_name} ({capacity}), "
                    f"{_signed_line(addendum.signed_at).lower()}. Mã kiểm tra: ",
                    Run(addendum.content_hash[:HASH_SHOWN], bold=True),
                    ".",
                ],
            )
        )
    return blocks


def layout_of_minutes(meeting: Meeting, minutes: Minutes | None = None) -> PartyLayout:
    """The biên bản of `meeting` as the Party prints it (the caller has checked the reader may see
    it). Raises Minutes.DoesNotExist when no minutes were written."""
    record = MinutesRecord.read(meeting, minutes)
    organisation = meeting.organisation
    body = issuing_body(organisation)
    kind = MeetingKind(meeting.kind)
    issuer = body.issuer if kind in COMMITTEE_KINDS else organisation.name
    return PartyLayout(
        superior=body.superior,
        issuer=issuer,
        place=body.place,
        issued_on=_local(meeting.starts_at).date(),
        type_name=TYPE_NAME,
        summary=meeting.title,
        blocks=_body(record),
        signatures=_signatures(record),
        closing=_after_signatures(record),
        draft=not record.minutes.sealed,
        numbered=False,
    )
