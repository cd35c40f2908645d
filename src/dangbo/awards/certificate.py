"""The Giấy khen (certificate of merit) as PDF: A4 landscape, the state's heading, the issuer, the
person or collective honoured, what for, the decision's number and date, the place and date, the
signer. Laid out by WeasyPrint with the Liberation Serif shipped in `reports/fonts/` (as
`reports.render.to_pdf` does): no system font is ever used; without WeasyPrint or Pango,
`PdfUnavailable` is raised and the page says so."""

from __future__ import annotations

from django.template.loader import render_to_string

from dangbo.awards.models import Award
from dangbo.reports.render import FONT_DIR, FONT_FAMILY, FONT_FILES, STATE_MOTTO, STATE_TITLE, PdfUnavailable
from dangbo.rules.vietnamese import format_date, format_date_long

CODE = "GK"


def citation(award: Award) -> str:
    if award.citation:
        return award.citation
    return f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {award.year}"


def to_html(award: Award) -> str:
    decision = award.decision
    fonts = [
        {"weight": weight, "style": style, "url": (FONT_DIR / name).as_uri()}
        for (weight, style), name in FONT_FILES.items()
    ]
    return render_to_string(
        "awards/certificate.html",
        {
            "fonts": fonts,
            "family": FONT_FAMILY,
            "state_title": STATE_TITLE,
            "motto": STATE_MOTTO,
            "issuer": decision.issuer.upper(),
            "name": award.subject_name,
            "citation": citation(award),
            "decision_line": f"Quyết định số {decision.number}, ngày {format_date(decision.signed_on)}",
            "date_line": format_date_long(decision.signed_on, decision.place or None),
            "signer_post": decision.signer_post.upper(),
            "signer_name": decision.signer_name,
            "individual": award.person_id is not None,
        },
    )


def to_pdf(award: Award) -> bytes:
    try:
        import weasyprint  # imported on use: it loads Pango, which may be missing
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    pdf: bytes = weasyprint.HTML(string=to_html(award), base_url=FONT_DIR.as_uri() + "/").write_pdf()
    return pdf
