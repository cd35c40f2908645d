"""The periodic review page: choose the organisation, the period and (optionally) the resolution; see
the computed figures; edit the generated draft; download it as Word or PDF; issue it as a report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangbo.core.forms import StyledForm, VNDateField, VNDateInput
from dangbo.core.scoping import has_any, scope
from dangbo.documents import reviews, selectors, services
from dangbo.documents.models import Document
from dangbo.orgs.models import Organisation
from dangbo.orgs.views import apply_service
from dangbo.rules.roles import Perm

REVIEWED_TYPES = ("NQ", "CT", "CTr", "KH", "KL", "ĐA", "QĐ", "HD")


class PeriodForm(StyledForm):
    """What to review (GET)."""

    to_chuc = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    tu = VNDateField(label=gettext_lazy("From"), widget=VNDateInput(compact=True))
    den = VNDateField(label=gettext_lazy("To"), widget=VNDateInput(compact=True))
    van_ban = forms.ModelChoiceField(
        label=gettext_lazy("Review of a resolution (optional)"),
        queryset=Document.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_chuc"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["van_ban"].queryset = documents  # type: ignore[attr-defined]
        self.fields["van_ban"].label_from_instance = lambda d: f"{d.symbol} — {d.summary[:90]}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tu") and data.get("den") and data["den"] < data["tu"]:
            self.add_error("den", _("The end of the period is before its start."))
        return data


class DraftForm(StyledForm):
    summary = forms.CharField(label=gettext_lazy("Summary (trích yếu)"), max_length=1000)
    body = forms.CharField(
        label=gettext_lazy("Text of the review"),
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text=gettext_lazy(
            "Every figure was computed from the data. Lines starting with “|” are tables; "
            "“I.”, “1.” start headings. Complete the assessment and the tasks ahead before issuing."
        ),
    )
    signer_name = forms.CharField(label=gettext_lazy("Signed by"), max_length=150, required=False)
    signer_post = forms.CharField(
        label=gettext_lazy("Signer's post"),
        max_length=150,
        required=False,
    )
    recipients = forms.CharField(
        label=gettext_lazy("Recipients (nơi nhận)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="Đảng ủy cấp trên (để báo cáo);\nCác đảng bộ, chi bộ trực thuộc;\nLưu Văn phòng Đảng ủy.",
    )


def review(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Perm.DOCUMENT_CHANGE):
        raise PermissionDenied
    organisations = scope(
        Organisation.objects.filter(dissolved_on__isnull=True), request.user, Perm.DOCUMENT_CHANGE
    ).order_by("depth", "sort_key")
    documents = (
        selectors.documents_visible(request.user)
        .filter(registered=True, type_code__in=REVIEWED_TYPES)
        .order_by("-issued_on", "-pk")[:300]
    )
    today = timezone.localdate()
    period = PeriodForm(
        request.GET or None,
        organisations=organisations,
        documents=Document.objects.filter(pk__in=[d.pk for d in documents]).order_by("-issued_on", "-pk"),
        initial={"to_chuc": organisations.first(), "tu": today.replace(month=1, day=1), "den": today},
    )
    context: dict[str, Any] = {"period": period}
    if period.is_bound and period.is_valid():
        data = period.cleaned_data
        figures = reviews.figures(request.user, data["to_chuc"], data["tu"], data["den"], data["van_ban"])
        signer_name, signer_post = reviews.default_signer(figures.organisation, today)
        draft = DraftForm(
            request.POST or None,
            initial={
                "summary": reviews.default_summary(figures),
                "body": reviews.draft_text(figures),
                "signer_name": signer_name,
                "signer_post": signer_post,
            },
        )
        context.update({"figures": figures, "draft": draft})
        if request.method == "POST" and draft.is_valid():
            values = draft.cleaned_data
            action = request.POST.get("action", "")
            if action in ("word", "pdf"):
                from dangbo.reports.views import draft_download

                return draft_download(request, figures.organisation, values, action)
            if action == "issue":
                document = data["van_ban"]
                implements = (
                    f"{document.symbol} ngày {document.issued_on:%d/%m/%Y}"
                    if document and document.issued_on
                    else ""
                )
                issued = apply_service(
                    draft,
                    lambda: services.document_register(
                        actor=request.user,
                        organisation=figures.organisation,
                        own=True,
                        type_code="BC",
                        issued_on=today,
                        summary=values["summary"],
                        body=values["body"],
                        signer_name=values["signer_name"],
                        signer_post=values["signer_post"],
                        recipients=values["recipients"],
                        implements=implements,
                    ),
                )
                if issued:
                    messages.success(request, _("Review issued as %(symbol)s.") % {"symbol": issued.symbol})
                    return redirect("documents:detail", pk=issued.pk)
    return render(request, "documents/review.html", context)
