"""Handing a family to another officer, the new officer's acknowledgement, and the
handover pack that carries the family's story so parents never tell it again."""

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context, case_form_page
from families.forms.case import HandoverForm
from families.services import case as services
from liaison import pdf
from liaison.access import CHANGE, SUPERVISE, VIEW, get_family_or_404
from liaison.staff.handover_pack import handover_pack_context


@require_http_methods(["GET", "POST"])
def handover_create(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, SUPERVISE, section="handovers")
    form = HandoverForm(request.POST if request.method == "POST" else None, family=family)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.handover_create, family=family, supervisor=request.user),
        success=_("The case was handed over. The new officer is asked to acknowledge it."),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/handover_form.html",
        current="families:handover_create",
    )


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
