"""The self-assessment forms 2A/2B/2C and the organisation's report (Mẫu 01) in the Party's format:
what `reports.render.to_docx` prints for an `Assessment`.

Everything printed comes from the record: the self-assessed figures and texts, the level the rules
allow with what each higher level missed, the cell's proposal and the committee's decision. The
header is the cell (or the organisation) under its superior body, at its place
(`reports.layouts.issuing_body`). ⚠ The forms' layout follows the published 2A/2B of 25-HD/BTCTW
and 2C of 43-HD/BTCTW as far as we read them (headings, the "Mẫu …" mark); the point table is
ours. The document is Vietnamese whatever the reader's page language.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.utils import timezone, translation

from dangbo.evaluation import services
from dangbo.evaluation.labels import LEVEL_WORDS
from dangbo.evaluation.models import Assessment
from dangbo.orgs.models import Appointment
from dangbo.reports import render
from dangbo.reports.layouts import issuing_body
from dangbo.reports.render import Block, Heading, Paragraph, PartyLayout, Run, Signature, Table
from dangbo.reports.services import CONTENT_TYPES, Export
from dangbo.rules.documents import signature_lines
from dangbo.rules.evaluation import GRADED, Level
from dangbo.rules.vietnamese import ascii_text, format_date

FORM_MARKS = {
    Assessment.Form.A: "Mẫu 2A-HD KĐ.ĐG 2025",
    Assessment.Form.B: "Mẫu 2B-HD KĐ.ĐG 2025",
    Assessment.Form.C: "Mẫu 2C-HD KĐ.ĐG 2025",
    Assessment.Form.REPORT: "Mẫu 01-HD KĐ.ĐG 2025",
}
FORM_USE = {
    Assessment.Form.A: "(Dùng cho đảng viên không giữ chức vụ lãnh đạo, quản lý)",
    Assessment.Form.B: "(Dùng cho đảng viên giữ chức vụ lãnh đạo, quản lý)",
    Assessment.Form.C: "(Dùng cho đảng viên không làm việc trong hệ thống chính trị)",
}


def _labelled(label: str, text: str) -> Paragraph:
    return Paragraph([Run(f"{label}: ", bold=True), text])


def _dec(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _text(text: str) -> list[Block]:
    return render.blocks_from_text(text) or [Paragraph("…")]


def _figures(assessment: Assessment) -> list[Block]:
    rule_set = assessment.round.rules()
    scores = Table(
        header=["TT", "Nội dung", "Điểm tối đa", "Tự chấm"],
        rows=[
            [1, "Tiêu chí chung", _dec(rule_set.general_max), assessment.general_score],
            [2, "Kết quả thực hiện nhiệm vụ", _dec(rule_set.tasks_max), assessment.task_score],
        ],
        foot=[["", "Tổng cộng", _dec(rule_set.scale_max), assessment.total]],
        widths=[0.6, 4, 1.4, 1.4],
        align=["center", "left", "right", "right"],
        note="Đơn vị tính: điểm",
    )
    tasks = Table(
        header=["Nhiệm vụ được giao", "Đã hoàn thành", "Đúng tiến độ", "Vượt yêu cầu"],
        rows=[
            [
                assessment.tasks_total,
                assessment.tasks_done,
                assessment.tasks_on_time,
                assessment.tasks_exceeding,
            ]
        ],
        note="Đơn vị tính: nhiệm vụ",
    )
    blocks: list[Block] = [scores, tasks]
    if assessment.collective:
        blocks.append(
            _labelled(
                "Kỷ luật",
                "có tổ chức trực thuộc hoặc thành viên lãnh đạo bị kỷ luật."
                if assessment.disciplined
                else "không có tổ chức trực thuộc, thành viên lãnh đạo bị kỷ luật.",
            )
        )
    if assessment.shortcomings:
        blocks.append(
            _labelled(
                "Khắc phục hạn chế, khuyết điểm đã chỉ ra",
                f"{assessment.shortcomings_fixed}/{assessment.shortcomings}.",
            )
        )
    classification = assessment.classification()
    if classification is not None:
        blocks.append(
            Paragraph(
                [Run("Tự xếp loại: ", bold=True), Run(f"{LEVEL_WORDS[classification.level]}.", bold=True)]
            )
        )
        for level in GRADED:
            if classification.why_not(level):
                blocks.append(
                    Paragraph(
                        f"Chưa đạt mức “{LEVEL_WORDS[level]}” vì: {services.why_not(classification, level)}."
                    )
                )
    return blocks


def _opinions(assessment: Assessment) -> list[Block]:
    blocks: list[Block] = []
    if assessment.proposed_level:
        note = f" {assessment.proposal_note}" if assessment.proposal_note else ""
        blocks.append(
            _labelled("Chi bộ đề xuất xếp loại", f"{LEVEL_WORDS[Level(assessment.proposed_level)]}.{note}")
        )
    if assessment.decided_level:
        note = f" {assessment.decision_note}" if assessment.decision_note else ""
        blocks.append(
            _labelled(
                f"{assessment.round.organisation.name} quyết định xếp loại",
                f"{LEVEL_WORDS[Level(assessment.decided_level)]}.{note}",
            )
        )
    return blocks


def layout_of_assessment(assessment: Assessment) -> PartyLayout:
    """Form 2A/2B/2C of a member, or Mẫu 01 of an organisation, filled from the assessment."""
    with translation.override("vi"):
        return _layout(assessment)


def _layout(assessment: Assessment) -> PartyLayout:
    organisation = assessment.organisation
    body = issuing_body(organisation)
    year = assessment.round.year
    day = timezone.localtime(assessment.self_assessed_at).date() if assessment.self_assessed_at else None
    blocks: list[Block] = [
        Paragraph([Run(FORM_MARKS[Assessment.Form(assessment.form)], italic=True)], "right", False)
    ]
    if assessment.collective:
        sections = [
            ("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ, ƯU ĐIỂM", _text(assessment.strengths)),
            ("II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", _text(assessment.weaknesses)),
            ("III. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC", _text(assessment.remedies)),
            ("IV. TỰ CHẤM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", _figures(assessment)),
        ]
        holder = (
            Appointment.objects.current()
            .filter(organisation=organisation, position__code="bi-thu")
            .select_related("person")
            .first()
        )
        capacity, post = signature_lines("Bí thư", organisation.kind)
        signature = Signature(capacity=capacity, post=post, name=holder.person.full_name if holder else "")
        issuer, type_name, summary = (
            body.issuer,
            "Báo cáo",
            f"Kiểm điểm, đánh giá, xếp loại chất lượng năm {year}",
        )
    else:
        person = assessment.person
        assert person is not None
        blocks.append(Paragraph(FORM_USE[Assessment.Form(assessment.form)], "center", False))
        blocks.append(_labelled("Họ và tên", person.full_name))
        if person.birth_date:
            blocks.append(_labelled("Ngày sinh", format_date(person.birth_date)))
        posts = [
            a.position.name
            for a in Appointment.objects.current().filter(person=person).select_related("position")
        ]
        if posts:
            blocks.append(_labelled("Chức vụ", ", ".join(posts)))
        blocks.append(_labelled("Chi bộ", organisation.name))
        sections = [
            ("I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", _text(assessment.strengths)),
            ("II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", _text(assessment.weaknesses)),
            ("III. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC", _text(assessment.remedies)),
            ("IV. TỰ CHẤM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", _figures(assessment)),
        ]
        signature = Signature(post="NGƯỜI TỰ KIỂM ĐIỂM", name=person.full_name)
        issuer, type_name, summary = organisation.name, "Bản kiểm điểm cá nhân", f"Năm {year}"
    for title, content in sections:
        blocks.append(Heading(title, 1))
        blocks += content
    opinions = _opinions(assessment)
    if opinions:
        blocks.append(Heading("V. NHẬN XÉT, ĐÁNH GIÁ, XẾP LOẠI", 1))
        blocks += opinions
    return PartyLayout(
        superior=body.superior,
        issuer=issuer,
        place=body.place,
        issued_on=day,
        type_name=type_name,
        summary=summary,
        blocks=blocks,
        signature=signature,
        draft=not assessment.self_assessed,
        numbered=False,
    )


def assessment_export(assessment: Assessment) -> Export:
    """The assessment as Word, for a reader the caller has checked (reading is not audited)."""
    content = render.to_docx(layout_of_assessment(assessment))
    mark = FORM_MARKS[Assessment.Form(assessment.form)].split("-")[0].replace(" ", "-")
    stem = "-".join(ascii_text(assessment.subject_name).split())
    return Export(
        content=content,
        content_type=CONTENT_TYPES["docx"],
        filename=f"{mark}_{stem}_{assessment.round.year}.docx",
    )
