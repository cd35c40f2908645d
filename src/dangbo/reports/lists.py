"""Lists printed on paper, in the Party's format (`render.PartyLayout`, printed by `render.to_pdf`):

- the register of a subtree in the 7-HSĐV layout (A4 landscape; `register_layout`);
- a meeting's sign-in sheet, "danh sách đảng viên ký dự họp" (`sign_in_layout`);
- a meeting's invitation, "giấy mời" (`invitation_layout`);
- the members due a Party badge, the list that goes up with the proposal (`badge_layout`).

Every text is a Vietnamese literal, as in `layouts` and `minutes`, whatever the reader's page language.
Names are printed as the register holds them (family name first), dates dd/mm/yyyy; an identity number
only ever masked (`PartyMember.masked_national_id`). The callers scope what they pass in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from dangbo.meetings.models import Attendee, Meeting
from dangbo.members.models import PartyMember
from dangbo.orgs.models import Organisation
from dangbo.reports.layouts import issuing_body
from dangbo.reports.render import Block, Paragraph, PartyLayout, Run, Signature, Table
from dangbo.rules import documents as rules
from dangbo.rules.vietnamese import format_date, format_number

GENDERS = {"male": "Nam", "female": "Nữ"}
REGISTER_HEADER = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Quê quán",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Số CCCD",
    "Chi bộ",
    "Trạng thái",
)
REGISTER_WIDTHS = (0.5, 2.2, 1.1, 0.7, 1.9, 1.1, 1.1, 1.2, 1.3, 2.2, 1.5)
REGISTER_ALIGN = (
    "center",
    "left",
    "center",
    "center",
    "left",
    "center",
    "center",
    "center",
    "center",
    "left",
    "left",
)


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def _secretary_signature(organisation: Organisation) -> Signature:
    """ "T/M CHI ỦY / BÍ THƯ" (or the body that signs for the organisation), room left to sign."""
    capacity, post = rules.signature_lines("Bí thư", organisation.kind)
    return Signature(capacity=capacity, post=post)


def register_rows(members: Iterable[PartyMember]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for number, member in enumerate(members, start=1):
        person = member.person
        rows.append(
            [
                number,
                person.full_name,
                format_date(person.birth_date) if person.birth_date else "",
                GENDERS.get(person.gender, ""),
                member.hometown,
                format_date(member.admitted_on) if member.admitted_on else "",
                format_date(member.full_on) if member.full_on else "",
                member.card_no or "",
                member.masked_national_id,
                member.organisation.name,
                member.get_status_display(),
            ]
        )
    return rows


def register_layout(
    organisation: Organisation, members: Iterable[PartyMember], today: dt.date
) -> PartyLayout:
    """The register of `organisation`'s subtree (already scoped) as "DANH SÁCH ĐẢNG VIÊN", A4 landscape."""
    body = issuing_body(organisation)
    rows = register_rows(members)
    numbers = [str(r[0]) for r in rows]  # the STT as text: "1", not "1,0"
    table = Table(
        header=REGISTER_HEADER,
        rows=[[numbers[i], *row[1:]] for i, row in enumerate(rows)],
        widths=REGISTER_WIDTHS,
        align=REGISTER_ALIGN,  # type: ignore[arg-type]
    )
    blocks: list[Block] = [
        table,
        Paragraph(
            [Run("Tổng số: ", bold=True), f"{format_number(len(rows))} đảng viên."],
            align="left",
            indent=False,
        ),
    ]
    return PartyLayout(
        superior=body.superior,
        issuer=body.issuer,
        place=body.place,
        issued_on=today,
        type_name="Danh sách đảng viên",
        summary=f"{organisation.name} (đến ngày {format_date(today)})",
        blocks=blocks,
        signature=_secretary_signature(organisation),
        numbered=False,
        landscape=True,
    )


def _meeting_heading(meeting: Meeting) -> tuple[str, str, str]:
    """(superior, issuer, place) printed over a meeting's papers: the body that meets."""
    from dangbo.reports.minutes import COMMITTEE_KINDS
    from dangbo.rules.meetings import MeetingKind

    body = issuing_body(meeting.organisation)
    issuer = body.issuer if MeetingKind(meeting.kind) in COMMITTEE_KINDS else meeting.organisation.name
    return body.superior, issuer, body.place


def _when(meeting: Meeting) -> str:
    """ "14 giờ 00 phút, ngày 20/10/2026" (to 16 giờ 30 phút when the end is known)."""
    start = _local(meeting.starts_at)
    text = f"{start.hour:02d} giờ {start.minute:02d} phút, ngày {format_date(start.date())}"
    if meeting.ends_at:
        end = _local(meeting.ends_at)
        until = f"{end.hour:02d} giờ {end.minute:02d} phút"
        text = f"từ {text} đến {until}" + (
            "" if end.date() == start.date() else f" ngày {format_date(end.date())}"
        )
    return text


def sign_in_layout(meeting: Meeting, attendees: Sequence[Attendee]) -> PartyLayout:
    """ "DANH SÁCH ĐẢNG VIÊN KÝ DỰ HỌP": STT, họ và tên, chức vụ, ký tên — the members convened, then
    the guests under their own heading."""
    superior, issuer, place = _meeting_heading(meeting)
    members = [a for a in attendees if a.counted]
    guests = [a for a in attendees if not a.counted]
    header = ("STT", "Họ và tên", "Chức vụ", "Ký tên")
    widths = (0.6, 2.6, 2.6, 1.8)
    align = ("center", "left", "left", "left")

    def table(people: Sequence[Attendee], caption: str = "") -> Table:
        return Table(
            header=header,
            rows=[[str(i), a.name, a.post, ""] for i, a in enumerate(people, start=1)],
            widths=widths,
            align=align,  # type: ignore[arg-type]
            caption=caption,
        )

    blocks: list[Block] = [
        Paragraph([Run("Thời gian: ", bold=True), _when(meeting) + "."], align="left", indent=False),
    ]
    if meeting.place:
        blocks.append(
            Paragraph([Run("Địa điểm: ", bold=True), meeting.place + "."], align="left", indent=False)
        )
    blocks.append(table(members))
    if guests:
        blocks.append(table(guests, caption="Khách mời"))
    blocks.append(
        Paragraph(
            [Run("Tổng số được triệu tập: ", bold=True), f"{format_number(len(members))} đồng chí."],
            align="left",
            indent=False,
        )
    )
    return PartyLayout(
        superior=superior,
        issuer=issuer,
        place=place,
        issued_on=_local(meeting.starts_at).date(),
        type_name="Danh sách đảng viên ký dự họp",
        summary=meeting.title,
        blocks=blocks,
        signature=Signature(post="Chủ trì"),
        numbered=False,
    )


def invitation_layout(meeting: Meeting, agenda: Sequence[Any]) -> PartyLayout:
    """ "GIẤY MỜI": the body that meets invites those convened — when, where, what — and its secretary
    signs for the committee."""
    superior, issuer, place = _meeting_heading(meeting)
    organisation = meeting.organisation
    addressee = f"Các đồng chí đảng viên {organisation.name}"
    from dangbo.reports.minutes import COMMITTEE_KINDS
    from dangbo.rules.meetings import MeetingKind

    if MeetingKind(meeting.kind) in COMMITTEE_KINDS:
        addressee = f"Các đồng chí ủy viên {issuer}"
    blocks: list[Block] = [
        Paragraph([Run("Kính gửi: ", bold=True), addressee + "."], align="center", indent=False),
        Paragraph(f"{issuer} trân trọng kính mời đồng chí tới dự {meeting.title}."),
        Paragraph([Run("Thời gian: ", bold=True), _when(meeting) + "."]),
    ]
    if meeting.place:
        blocks.append(Paragraph([Run("Địa điểm: ", bold=True), meeting.place + "."]))
    if meeting.online_url:
        blocks.append(Paragraph([Run("Trực tuyến: ", bold=True), meeting.online_url]))
    if meeting.topic:
        blocks.append(Paragraph([Run("Chuyên đề: ", bold=True), meeting.topic + "."]))
    if agenda:
        blocks.append(Paragraph([Run("Nội dung:", bold=True)]))
        for position, item in enumerate(agenda, start=1):
            presenter = item.presenter_name or (item.presenter.full_name if item.presenter_id else "")
            text = f"{position}. {item.title}" + (f" (trình bày: đồng chí {presenter})" if presenter else "")
            blocks.append(Paragraph(text + ("." if position == len(agenda) else ";")))
    blocks.append(Paragraph("Đề nghị đồng chí bố trí thời gian tham dự đầy đủ, đúng giờ."))
    capacity, post = rules.signature_lines("Bí thư", organisation.kind)
    return PartyLayout(
        superior=superior,
        issuer=issuer,
        place=place,
        issued_on=_local(meeting.invited_at).date() if meeting.invited_at else timezone.localdate(),
        type_name="Giấy mời",
        summary="",
        blocks=blocks,
        signature=Signature(capacity=capacity, post=post),
        recipients=["Như trên,", "Lưu."],
        numbered=False,
    )


BADGE_HEADER = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Chi bộ",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Tuổi đảng",
    "Huy hiệu",
)
BADGE_WIDTHS = (0.5, 2.2, 1.1, 2.2, 1.1, 1.1, 1.6, 1.0)
BADGE_ALIGN = ("center", "left", "center", "left", "center", "center", "left", "center")


def badge_layout(
    organisation: Organisation, candidates: Sequence[Any], ceremony_on: dt.date, today: dt.date
) -> PartyLayout:
    """The proposal ("TỜ TRÌNH đề nghị tặng Huy hiệu Đảng") `organisation` sends to the committee
    above it, with the list of the members due a badge at `ceremony_on` appended after the signature
    (`selectors.badge_candidates`: the highest milestone first, then by name)."""
    from dangbo.rules.membership import badge_rules

    body = issuing_body(organisation)
    addressee = rules.issuer_title(body.superior) if body.superior else "Cấp ủy cấp trên"
    ceremony = format_date(ceremony_on)
    by_years: dict[int, int] = {}
    for candidate in candidates:
        by_years[candidate.years] = by_years.get(candidate.years, 0) + 1
    count = len(candidates)
    blocks: list[Block] = [
        Paragraph([Run("Kính gửi: ", bold=True), addressee + "."], align="center", indent=False),
        Paragraph(f"Căn cứ {badge_rules(ceremony_on).regulation} về tặng Huy hiệu Đảng;"),
        Paragraph("Căn cứ kết quả rà soát tuổi đảng của đảng viên,"),
        Paragraph(
            f"{body.issuer} kính đề nghị {addressee} xem xét, đề nghị cấp có thẩm quyền tặng Huy hiệu Đảng "
            f"đợt {ceremony} cho {format_number(count)} đồng chí đảng viên" + (", gồm:" if by_years else ".")
        ),
    ]
    for position, (years, n) in enumerate(sorted(by_years.items(), reverse=True), start=1):
        end = "." if position == len(by_years) else ";"
        blocks.append(Paragraph(f"- Huy hiệu {years} năm tuổi Đảng: {format_number(n)} đồng chí{end}"))
    blocks.append(Paragraph("(Có danh sách kèm theo.)"))
    blocks.append(Paragraph(f"Kính đề nghị {addressee} xem xét, quyết định."))
    rows = []
    for number, candidate in enumerate(candidates, start=1):
        member, person, age = candidate.member, candidate.member.person, candidate.party_age
        rows.append(
            [
                str(number),
                person.full_name,
                format_date(person.birth_date) if person.birth_date else "",
                member.organisation.name,
                format_date(member.admitted_on) if member.admitted_on else "",
                format_date(member.full_on) if member.full_on else "",
                f"{age.years} năm {age.months} tháng {age.days} ngày",
                f"{candidate.years} năm",
            ]
        )
    listing: list[Block] = [
        Paragraph(
            [Run("DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG ĐỢT " + ceremony, bold=True)],
            align="center",
            indent=False,
        ),
        Paragraph(
            [Run(f"(Kèm theo Tờ trình ngày {format_date(today)} của {body.issuer})", italic=True)],
            align="center",
            indent=False,
        ),
        Table(
            header=BADGE_HEADER,
            rows=rows or [["", "Không có đảng viên nào đến hạn", "", "", "", "", "", ""]],
            widths=BADGE_WIDTHS,
            align=BADGE_ALIGN,  # type: ignore[arg-type]
            note=f"Tuổi đảng tính đến ngày {ceremony}",
        ),
    ]
    code = organisation.code
    return PartyLayout(
        superior=body.superior,
        issuer=body.issuer,
        symbol="\u00a0\u00a0\u00a0\u00a0-TTr/" + code if code else "",
        place=body.place,
        issued_on=today,
        type_name="Tờ trình",
        summary=f"Đề nghị tặng Huy hiệu Đảng đợt {ceremony}",
        blocks=blocks,
        signature=_secretary_signature(organisation),
        recipients=["Như trên,", "Lưu."],
        closing=listing,
    )
