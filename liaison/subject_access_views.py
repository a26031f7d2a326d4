"""Answering a subject access request: an administrator finds the parent or child who
asked and downloads everything the system holds about them, as a PDF to hand over and
as JSON, with what was withheld listed. Everyone else gets 404."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from families import pdf
from families.models import Child, HouseholdMember
from liaison.access import privacy_administrator_or_404
from liaison.forms import GovukFormMixin
from liaison.subject_access import (
    SubjectAccessExport,
    as_json,
    subject_access_export_record,
    subject_access_for_child,
    subject_access_for_member,
    subject_search,
    subject_search_record,
)

SEARCH_LIMIT = 50
# The page margins in the document's own font (pdf.css styles only the page numbers).
MARGIN_FONT_CSS = (
    '@page { @bottom-left { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; } '
    '@bottom-right { font-family: "DejaVu Sans", Arial, sans-serif; } }'
)
BUILDERS = {
    "member": (HouseholdMember, subject_access_for_member),
    "child": (Child, subject_access_for_child),
}


class SubjectSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name or family reference"),
        min_length=2,
        max_length=150,
        strip=True,
        error_messages={
            "required": gettext_lazy("Enter a name or a family reference."),
            "min_length": gettext_lazy("Enter at least 2 characters."),
        },
    )


def _export_or_404(kind: str, pk: int) -> SubjectAccessExport:
    if kind not in BUILDERS:
        raise Http404
    model, build = BUILDERS[kind]
    record = model.objects.filter(pk=pk).first()
    if record is None:
        raise Http404
    return build(record)


def _file_name(export: SubjectAccessExport, extension: str) -> str:
    """Says nothing about the person: their kind and number only."""
    return f"subject-access-{export.subject.kind}-{export.subject.record.pk}.{extension}"


@require_GET
def subject_access(request: HttpRequest) -> HttpResponse:
    privacy_administrator_or_404(request)
    form = SubjectSearchForm(request.GET if "q" in request.GET else None)
    members = children = None
    if form.is_bound and form.is_valid():
        members, children = subject_search(form.cleaned_data["q"], limit=SEARCH_LIMIT)
        subject_search_record(actor=request.user, found=len(members) + len(children))
    context = {
        "form": form,
        "members": members,
        "children": children,
        "limit": SEARCH_LIMIT,
        "searched": members is not None,
    }
    return render(request, "liaison/subject_access.html", context, status=400 if form.errors else 200)


@require_GET
def subject_access_pdf(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    privacy_administrator_or_404(request)
    export = _export_or_404(kind, pk)
    subject_access_export_record(actor=request.user, export=export, file_format="pdf")
    footer = _("Subject access request")
    page_css = pdf.page_footer_css(footer, _("Page %(page)s of %(pages)s")) + MARGIN_FONT_CSS
    return pdf.pdf_response(
        request,
        "liaison/subject_access_pdf.html",
        {"export": export},
        filename=_file_name(export, "pdf"),
        page_css=page_css,
    )


@require_GET
def subject_access_json(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    privacy_administrator_or_404(request)
    export = _export_or_404(kind, pk)
    subject_access_export_record(actor=request.user, export=export, file_format="json")
    response = HttpResponse(as_json(export).encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(export, "json")}"'
    return response
