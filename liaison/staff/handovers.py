"""Handing a family to another officer, the new officer's acknowledgement, and the
handover pack that carries the family's story so parents never tell it again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import apply_errors, case_context
from families.forms.case import HandoverForm
from families.services import case as services
from liaison import pdf
from liaison.access import CHANGE, SUPERVISE, VIEW, get_family_or_404
from liaison.staff.handover_pack import handover_pack_context


@require_http_methods(["GET", "POST"])
def handover_create(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, SUPERVISE, section="handovers")
    form = HandoverForm(request.POST if request.method == "POST" else None, family=family)
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_create(family=family, supervisor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The case was handed over. The new officer is asked to acknowledge it."))
            return redirect("families:detail", pk=family.pk)
    context = case_context(request, family, "families:handover_create", form=form)
    return render(request, "families/handover_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def handover_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="handovers")
    handover = family.handovers.filter(acknowledged_at__isnull=True, to_officer=request.user).first()
    if handover is None:
        raise Http404
    if request.method == "POST":
        services.handover_acknowledge(handover=handover, officer=request.user)
        messages.success(request, _("You acknowledged the handover. The case is yours."))
        return redirect("families:detail", pk=family.pk)
    context = case_context(request, family, "families:handover_acknowledge", handover=handover)
    return render(request, "families/handover_acknowledge.html", context)


@require_GET
def handover_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The handover pack as a PDF with a neutral file name."""
    family = get_family_or_404(request, pk, VIEW, section="handovers")
    return pdf.pdf_response(
        request,
        "families/handover_pack.html",
        handover_pack_context(family, request.user),
        filename="handover-pack.pdf",
    )
