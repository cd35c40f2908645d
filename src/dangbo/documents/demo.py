"""The documents of the seed articles and their chain, for `dangbo demo`.

From seed 004: Vietnam Post's committee implements Chỉ thị 03-CT/TW of 19/5/2021 (Ban Bí thư), Chỉ
thị 28/CT-TTg of 26/10/2021 (Thủ tướng Chính phủ) and Chương trình hành động 09-CTr/ĐUK of
11/11/2021 (Ban Thường vụ Đảng ủy Khối) with its own plan; it also cites Chỉ thị 01-CT/ĐUK of
21/12/2015, which the demo leaves as a placeholder to show how one is completed. From seed 000:
Nghị quyết 69-NQ/ĐU of 27/3/2021 on innovation, and its 2.5-year review at the committee's
conference of 11/10/2023. The plan's and the review's numbers are given by the register (the seeds
do not give them) and their texts are condensed from the articles; signers are the demo's
fictional people. Everything goes through `services.document_register` as the system (audited).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from dangbo.documents import services
from dangbo.documents.models import Document
from dangbo.orgs.models import Organisation

D = dt.date
CAMPAIGN = "Cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam” trong tình hình mới"


@dataclass(frozen=True)
class DemoDocument:
    register: str  # organisation key of orgs.demo
    issued_on: dt.date
    summary: str
    symbol: str = ""  # another body's document
    type_code: str = ""  # ours: numbered by the register
    number: int | None = None  # ours, entered after the fact
    issuer_name: str = ""
    signer: str = ""  # person key of orgs.demo
    signer_post: str = ""
    body: str = ""
    implements: str = ""
    recipients: str = ""


DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        "tct",
        D(2021, 5, 19),
        f"Về tiếp tục tăng cường sự lãnh đạo của Đảng đối với {CAMPAIGN}",
        symbol="03-CT/TW",
        issuer_name="Ban Bí thư Trung ương Đảng",
    ),
    DemoDocument(
        "tct",
        D(2021, 10, 26),
        f"Về tăng cường thực hiện {CAMPAIGN}",
        symbol="28/CT-TTg",
        issuer_name="Thủ tướng Chính phủ",
        implements="Chỉ thị số 03-CT/TW, ngày 19/5/2021 của Ban Bí thư",
    ),
    DemoDocument(
        "tct",
        D(2021, 11, 11),
        f"Chương trình hành động về tăng cường sự lãnh đạo của Đảng đối với {CAMPAIGN}",
        symbol="09-CTr/ĐUK",
        issuer_name="Ban Thường vụ Đảng ủy Khối Doanh nghiệp Trung ương",
        implements="Chỉ thị số 03-CT/TW, ngày 19/5/2021; Chỉ thị số 28/CT-TTg, ngày 26/10/2021",
    ),
    DemoDocument(
        "tct",
        D(2021, 3, 27),
        "Về tăng cường hoạt động đổi mới, sáng tạo tại Tổng công ty Bưu điện Việt Nam",
        type_code="NQ",
        number=69,
        signer="bithu-cu",
        signer_post="T/M BAN THƯỜNG VỤ, BÍ THƯ",
        recipients="Các đảng bộ, chi bộ trực thuộc;\nCác đồng chí Ủy viên Ban Chấp hành;\nLưu Văn phòng Đảng ủy.",
    ),
    DemoDocument(
        "tct",
        D(2021, 12, 20),
        f"Kế hoạch thực hiện {CAMPAIGN} tại Tổng công ty Bưu điện Việt Nam",
        type_code="KH",
        signer="pbttt",
        signer_post="T/M BAN THƯỜNG VỤ, PHÓ BÍ THƯ",
        implements=(
            "Chỉ thị số 03-CT/TW, ngày 19/5/2021; Chỉ thị số 28/CT-TTg, ngày 26/10/2021; "
            "Chương trình hành động số 09-CTr/ĐUK, ngày 11/11/2021"
        ),
        body=(
            "Thực hiện có hiệu quả Chỉ thị số 03-CT/TW, ngày 19/5/2021 của Ban Bí thư; Chỉ thị số 28/CT-TTg, "
            "ngày 26/10/2021 của Thủ tướng Chính phủ; Chương trình hành động số 09-CTr/ĐUK, ngày 11/11/2021 "
            "của Ban Thường vụ Đảng ủy Khối, và theo tinh thần Chỉ thị số 01-CT/ĐUK, ngày 21/12/2015 về chủ "
            "trương các tập đoàn, tổng công ty, ngân hàng, đơn vị trong Khối sử dụng dịch vụ, sản phẩm của "
            "nhau, Ban Thường vụ Đảng ủy Tổng công ty ban hành Kế hoạch như sau.\n\n"
            "1. Rà soát, đánh giá lại các thỏa thuận hợp tác đã ký với các tập đoàn, tổng công ty, ngân hàng, "
            "đơn vị trong Khối; phấn đấu nâng tỷ trọng doanh thu từ nhóm khách hàng này lên 5–10% tổng doanh thu.\n"
            "2. Tăng cường tuyên truyền; xây dựng chuyên trang về Cuộc vận động trên Cổng thông tin điện tử và "
            "các kênh truyền thông số do Tổng công ty quản lý.\n"
            "3. Giới thiệu, cập nhật thường xuyên Danh mục sản phẩm do Bưu điện cung cấp; đẩy mạnh bán hàng "
            "trên sàn buudien.vn.\n"
            "4. Thành lập các tổ công tác kết nối với các đơn vị trong Khối; tổng kết, đánh giá, đề xuất giải "
            "pháp hằng tháng; báo cáo Đảng ủy Khối."
        ),
        recipients="Đảng ủy Khối Doanh nghiệp Trung ương (để báo cáo);\nCác đảng bộ, chi bộ trực thuộc;\nLưu Văn phòng Đảng ủy.",
    ),
    DemoDocument(
        "tct",
        D(2023, 10, 11),
        "Sơ kết 2,5 năm thực hiện Nghị quyết 69-NQ/ĐU ngày 27/3/2021 của Đảng ủy Tổng công ty về tăng cường "
        "hoạt động đổi mới, sáng tạo",
        type_code="BC",
        signer="bithu",
        signer_post="T/M BAN THƯỜNG VỤ, BÍ THƯ",
    ),
)


def load_documents(organisations: dict[str, Organisation], signers: dict[str, str]) -> int:
    """Register the demo documents that are not there yet, and assign two of them for study; how
    many documents were registered."""
    created = 0
    for row in DOCUMENTS:
        organisation = organisations[row.register]
        if Document.objects.filter(
            organisation=organisation, issued_on=row.issued_on, summary=row.summary, registered=True
        ).exists():
            continue
        services.document_register(
            actor=None,
            organisation=organisation,
            own=not row.symbol,
            symbol=row.symbol,
            type_code=row.type_code,
            number=row.number,
            issued_on=row.issued_on,
            summary=row.summary,
            issuer_name=row.issuer_name,
            signer_name=signers.get(row.signer, ""),
            signer_post=row.signer_post,
            body=row.body,
            implements=row.implements,
            recipients=row.recipients,
        )
        created += 1
    load_studies(organisations)
    return created


# --- Study ---------------------------------------------------------------------------------------

# (document symbol, start and deadline in days from today, share of members who studied, note)
STUDIES: tuple[tuple[str, int, int, float, str], ...] = (
    (
        "69-NQ/ĐU",
        -14,
        5,
        0.6,
        "Học tập tại buổi sinh hoạt chi bộ thường kỳ; tài liệu hội nghị quán triệt kèm theo văn bản.",
    ),
    ("09-CTr/ĐUK", -3, 40, 0.2, "Quán triệt cùng Kế hoạch thực hiện của Đảng ủy Tổng công ty."),
)


def load_studies(organisations: dict[str, Organisation]) -> int:
    """Assign the resolution 69-NQ/ĐU (deadline in 5 days) and the programme 09-CTr/ĐUK for study to
    the whole Party Organisation of the corporation, and record what some cells reported to the office; members who
    have a demo login are left to confirm themselves. Dates follow today, so the demo always shows
    an open study. Nothing is created when the document already has an assignment there."""
    from dangbo.documents import study
    from dangbo.members.models import PartyMember

    tct = organisations["tct"]
    today = timezone.localdate()
    rng = random.Random(2026)
    created = 0
    for symbol, start, due, share, note in STUDIES:
        document = Document.objects.filter(symbol=symbol, organisation=tct, registered=True).first()
        if document is None or document.studies.filter(organisation=tct).exists():
            continue
        assignment = study.study_assign(
            actor=None,
            document=document,
            organisation=tct,
            start_on=today + dt.timedelta(days=start),
            due_on=today + dt.timedelta(days=due),
            note=note,
        )
        created += 1
        members = (
            PartyMember.objects.filter(
                org_path__within=tct.path, status__in=study.ACTIVE, person__user__isnull=True
            )
            .order_by("org_path", "pk")
            .values_list("organisation_id", "pk")
        )
        by_cell: dict[int, list[int]] = {}
        for cell, pk in members:
            if rng.random() < share:
                by_cell.setdefault(cell, []).append(pk)
        for n, (_cell, chosen) in enumerate(sorted(by_cell.items())):
            studied_on = today - dt.timedelta(days=min(-start, 1 + n % 5))
            # The office records what the cells reported: the demo's cells hold no meeting on those
            # days (the meetings demo has only three cells, meeting on the 10th of each month).
            study.study_record(
                actor=None,
                assignment=assignment,
                members=chosen,
                studied_on=studied_on,
                channel=study.Channel.OFFICE,
            )
    return created
