"""The administrators' privacy pages: the archive of closed cases, the retention periods
with what is due now, and erasure requests decided by a second administrator. Everyone
else gets 404; every page is in the audit trail."""

from functools import partial

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from families.models import Child, HouseholdMember
from families.selectors.case import matching
from families.services.case import family_reopen
from liaison import pdf
from liaison.access import archived_families_for, get_archived_family_or_404, verified_administrator_or_404
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.forms import GovukFormMixin, form_page
from liaison.privacy.forms import ErasureDecisionForm, ErasureRequestForm, ReopenForm, RetentionPeriodsForm
from liaison.privacy.models import ErasureRequest, ErasureStatus
from liaison.privacy.retention import retention_due, retention_periods, years_after
from liaison.privacy.services import (
    erasure_request_approve,
    erasure_request_create,
    erasure_request_refuse,
    retention_periods_update,
    subject_access_export_record,
    subject_search_record,
)
from liaison.privacy.subject_access import (
    SubjectAccessExport,
    as_json,
    subject_access_for_child,
    subject_access_for_member,
    subject_search,
)
from liaison.staff.handover_pack import handover_pack_context

PAGE_SIZE = 25
SUBJECTS = {"member": HouseholdMember, "child": Child}


# The archive.
@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    verified_administrator_or_404(request)
    search = request.GET.get("q", "").strip()[:100]
    families = archived_families_for(request.user).select_related("team").order_by("-archived_at", "pk")
    families = matching(families, search)
    page = Paginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(action=AuditAction.CASE_LIST_VIEWED, actor=request.user, detail={"archive": True, "page": page.number})
    return render(request, "privacy/archive.html", {"page": page, "search": search})


def _archive_context(request: HttpRequest, family, form: ReopenForm) -> dict:
    first_years = min(retention_periods().values())
    starts_on = years_after(family.closed_on, first_years) if family.closed_on else None
    return handover_pack_context(family, request.user) | {"form": form, "retention_starts_on": starts_on}


@require_GET
def archived_case(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_archived_family_or_404(request, pk)
    return render(request, "privacy/archived_case.html", _archive_context(request, family, ReopenForm()))


@require_GET
def archived_case_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole archived case as one document, in the handover pack's form."""
    family = get_archived_family_or_404(request, pk)
    context = handover_pack_context(family, request.user) | {"archive": True}
    return pdf.pdf_response(request, "families/handover_pack.html", context, filename="archived-case.pdf")


@require_POST
def archived_case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_archived_family_or_404(request, pk)
    form = ReopenForm(request.POST)
    return form_page(
        request,
        form,
        save=partial(family_reopen, family=family, administrator=request.user),
        success=_("The case %(reference)s is active again; its officer and supervisors can open it.")
        % {"reference": family.reference},
        redirect_to="privacy:archive",
        show=lambda form: render(request, "privacy/archived_case.html", _archive_context(request, family, form)),
    )


# Retention.
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    verified_administrator_or_404(request)
    periods = retention_periods()
    form = RetentionPeriodsForm(request.POST if request.method == "POST" else None, periods=periods)

    def save(**years) -> None:
        if retention_periods_update(changed_by=request.user, years=years):
            messages.success(request, _("The retention periods are saved."))
        else:
            messages.info(request, _("Nothing changed."))

    def show(form) -> HttpResponse:
        due = retention_due()
        audit_record(action=AuditAction.CASE_LIST_VIEWED, actor=request.user, detail={"retention": True})
        context = {"form": form, "due": due, "anything_due": any(entry.families for entry in due)}
        return render(request, "privacy/retention.html", context)

    return form_page(request, form, save=save, success=None, redirect_to="privacy:retention", show=show)


# Erasure requests.
@require_GET
def erasure_requests(request: HttpRequest) -> HttpResponse:
    verified_administrator_or_404(request)
    requests = ErasureRequest.objects.select_related(
        "member__family", "child__family", "requested_by", "decided_by"
    ).order_by("-requested_at", "-pk")
    pending = list(requests.filter(status=ErasureStatus.PENDING))
    decided = Paginator(requests.exclude(status=ErasureStatus.PENDING), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/erasure_requests.html", {"pending": pending, "page": decided})


def _subject_or_404(kind: str, pk: int):
    if kind not in SUBJECTS:
        raise Http404
    subject = SUBJECTS[kind].objects.select_related("family").filter(pk=pk).first()
    if subject is None:
        raise Http404
    return subject


@require_http_methods(["GET", "POST"])
def erasure_request_new(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    verified_administrator_or_404(request)
    subject = _subject_or_404(kind, pk)
    _log_erasure_read(request, subject)
    form = ErasureRequestForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        save=partial(erasure_request_create, requested_by=request.user, **{kind: subject}),
        success=_("The request is recorded. A second administrator must now decide it."),
        redirect_to=lambda erasure: reverse("privacy:erasure_request", args=[erasure.pk]),
        show=lambda form: render(
            request, "privacy/erasure_request_new.html", {"form": form, "subject": subject, "kind": kind}
        ),
    )


@require_http_methods(["GET", "POST"])
def erasure_request(request: HttpRequest, pk: int) -> HttpResponse:
    verified_administrator_or_404(request)
    erasure = (
        ErasureRequest.objects.select_related("member__family", "child__family", "requested_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if erasure is None:
        raise Http404
    form = ErasureDecisionForm(request.POST if request.method == "POST" else None)

    def show(form) -> HttpResponse:
        _log_erasure_read(request, erasure.subject)
        context = {
            "erasure": erasure,
            "form": form,
            "may_decide": erasure.is_pending and erasure.requested_by_id != request.user.pk,
        }
        return render(request, "privacy/erasure_request.html", context)

    return form_page(
        request,
        form,
        save=partial(_decide, request, erasure),
        success=None,
        redirect_to=reverse("privacy:erasure_request", args=[erasure.pk]),
        show=show,
    )


def _log_erasure_read(request: HttpRequest, subject) -> None:
    """Reading a person's details for an erasure request is a read of their case."""
    audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=request.user,
        target=subject,
        family_id=subject.family_id,
        detail={"path": request.path, "access": "erasure"},
    )


def _decide(request: HttpRequest, erasure: ErasureRequest, *, decision: str, note: str) -> None:
    if decision == ErasureDecisionForm.APPROVE:
        erasure_request_approve(request=erasure, decided_by=request.user, note=note)
        messages.success(request, _("The person is erased."))
    else:
        erasure_request_refuse(request=erasure, decided_by=request.user, note=note)
        messages.success(request, _("The request is refused; nothing was erased."))


# Subject access (GDPR art. 15): an administrator finds the person who asked and downloads
# everything the system holds about them, as a PDF to hand over and as JSON.


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
    verified_administrator_or_404(request)
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
    verified_administrator_or_404(request)
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
    verified_administrator_or_404(request)
    export = _export_or_404(kind, pk)
    subject_access_export_record(actor=request.user, export=export, file_format="json")
    response = HttpResponse(as_json(export).encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(export, "json")}"'
    return response
