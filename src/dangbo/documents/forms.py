"""Forms of the document pages. They parse input only: the services validate and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, VNDateField, VNDateInput
from dangbo.documents.models import Document, DocumentLink
from dangbo.orgs.choices import OrganisationChoiceField
from dangbo.orgs.models import Organisation
from dangbo.rules.documents import DOC_TYPES

PARTY_TYPES = [(code, f"{code} — {name}") for code, name in DOC_TYPES["party"].items()]
ALL_TYPES = sorted(
    {(code, f"{code} — {name}") for system in DOC_TYPES.values() for code, name in system.items()},
    key=lambda pair: pair[0].casefold(),
)


class DocumentForm(StyledForm):
    organisation = OrganisationChoiceField(
        label=_("Register of"), queryset=Organisation.objects.none(), empty_label=None
    )
    own = forms.TypedChoiceField(
        label=_("Origin of the document"),
        choices=[
            ("1", _("this organisation: a number is given")),
            ("0", _("another body: enter its number and symbol")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
    )
    type_code = forms.ChoiceField(
        label=_("Type of document"), choices=PARTY_TYPES, required=False, initial="NQ"
    )
    number = forms.CharField(
        label=_("Number"),
        max_length=10,
        required=False,
        help_text=_("Leave empty to take the proposed number; type one only for a document issued earlier."),
    )
    symbol = forms.CharField(
        label=_("Number and symbol"),
        max_length=60,
        required=False,
        help_text=_("For another body's document, e.g. 03-CT/TW or 28/CT-TTg."),
    )
    issuer_name = forms.CharField(
        label=_("Issuing body"),
        max_length=255,
        required=False,
        help_text=_("For another body's document, e.g. Ban Bí thư, Thủ tướng Chính phủ."),
    )
    issued_on = VNDateField(label=_("Issued on"))
    summary = forms.CharField(
        label=_("Summary (trích yếu)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer_name = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    signer_post = forms.CharField(
        label=_("Signer's post"),
        max_length=150,
        required=False,
        help_text=_("e.g. T/M BAN THƯỜNG VỤ, BÍ THƯ"),
    )
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Document.Secrecy.choices, initial="normal")
    implements = forms.CharField(
        label=_("Implements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The documents this one implements, with their dates, e.g. 03-CT/TW ngày 19/5/2021."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Documents cited in the summary or the text (e.g. “Chỉ thị số 03-CT/TW, ngày 19/5/2021”) "
            "are recognised and linked; those not yet registered are noted for later."
        ),
    )
    recipients = forms.CharField(
        label=_("Recipients (nơi nhận)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("Attached file (PDF, Word, OpenDocument)"), required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.doc,.odt"


class FilterForm(StyledForm):
    """The register's filters (GET); a bad value filters nothing rather than failing the page."""

    loai = forms.ChoiceField(label=_("Type"), choices=[("", _("All")), *ALL_TYPES], required=False)
    co_quan = forms.ChoiceField(label=_("Issuer"), choices=[("", _("All"))], required=False)
    he = forms.ChoiceField(
        label=_("System"), choices=[("", _("All")), *Document.System.choices], required=False
    )
    nam = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999, required=False)
    tu = VNDateField(label=_("From"), widget=VNDateInput(compact=True), required=False)
    den = VNDateField(label=_("To"), widget=VNDateInput(compact=True), required=False)
    q = forms.CharField(
        label=_("Number or words of the summary (accents optional)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, issuers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].choices = [("", _("All")), *((code, code) for code in issuers)]  # type: ignore[attr-defined]

    def value(self, name: str) -> Any:
        """The cleaned value of a field, or None when it was missing or wrong."""
        if not self.is_bound:
            return None
        if name in self.errors:
            return None
        return self.cleaned_data.get(name)


class LinkForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("This document"), choices=DocumentLink.Kind.choices, initial="implements"
    )
    target = forms.CharField(label=_("Number and symbol of the other document"), max_length=100)
    target_date = VNDateField(
        label=_("Its issue date"),
        required=False,
        help_text=_("Needed only when several documents bear that number."),
    )


class WithdrawForm(StyledForm):
    reason = forms.CharField(label=_("Reason for the withdrawal (kept in the log)"), max_length=500)
    on = VNDateField(label=_("Withdrawn on"), required=False)


class CorrectForm(StyledForm):
    """Correcting a registered document's entry: everything but what identifies it, and the reason."""

    summary = DocumentForm.base_fields["summary"]
    issuer_name = forms.CharField(label=_("Issuing body"), max_length=255, required=False)
    signer_name = DocumentForm.base_fields["signer_name"]
    signer_post = DocumentForm.base_fields["signer_post"]
    secrecy = DocumentForm.base_fields["secrecy"]
    body = DocumentForm.base_fields["body"]
    recipients = DocumentForm.base_fields["recipients"]
    file = forms.FileField(
        label=_("Replace the attached file (PDF, Word, OpenDocument)"),
        required=False,
        help_text=_("Leave empty to keep the file; the replaced file stays in the log by its fingerprint."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction (kept in the log)"),
        max_length=500,
        help_text=_("e.g. the summary was mistyped when the document was entered."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.doc,.odt"
