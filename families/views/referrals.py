"""Referrals to another agency with their "tell it once" summary (as a page and a PDF),
their status, and the consents recorded for the family with the route taken."""

from functools import partial

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context, case_form_page
from families.forms.referrals import ConsentForm, ReferralForm, ReferralStatusForm
from families.models import Family, Referral
from families.selectors import referrals as selectors
from families.services import referrals as services
from liaison import pdf
from liaison.access import CHANGE, VIEW, allows, can_see_section, get_family_or_404
from liaison.forms import form_page
from liaison.staff.referral_summary import referral_pdf_context, referral_summary

SECTION = "referrals"
CONSENTS = "consents"
PAGE_SIZE = 25


def _referral_or_404(family: Family, referral_pk: int) -> Referral:
    referral = selectors.referral_of(family, referral_pk)
    if referral is None:
        raise Http404
    return referral


def _referral_url(referral: Referral) -> str:
    return reverse("families:referral", args=[referral.family_id, referral.pk])


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
def referral_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    form = ReferralForm(_posted(request), family=family)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.referral_create, family=family, created_by=request.user),
        success=_("The referral is recorded with the parents' consent."),
        redirect_to=_referral_url,
        template="families/referrals/referral_form.html",
        current="families:agencies",
    )


@require_GET
def referral_detail(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    referral = _referral_or_404(family, referral_pk)
    context = case_context(
        request,
        family,
        "families:agencies",
        referral=referral,
        sections=referral_summary(referral),
        can_change=bool(referral.next_statuses) and allows(request.user, family, CHANGE),
        # Why consent was not asked may tell of a concern: only for who sees the concerns.
        sees_route_reason=can_see_section(request.user, "concerns", family),
        languages=settings.LANGUAGES,
    )
    return render(request, "families/referrals/referral_detail.html", context)


@require_GET
def referral_pdf(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """The summary as a PDF in the language asked for, with a neutral file name."""
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    referral = _referral_or_404(family, referral_pk)
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        return pdf.pdf_response(
            request,
            "families/referrals/referral_pdf.html",
            {**referral_pdf_context(family, referral), "language": language},
            filename="referral-summary.pdf",
        )


@require_http_methods(["GET", "POST"])
def referral_status(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    referral = _referral_or_404(family, referral_pk)
    if not referral.next_statuses:
        raise Http404
    form = ReferralStatusForm(_posted(request), referral=referral)

    def show(form) -> HttpResponse:
        context = case_context(request, family, "families:agencies", form=form, referral=referral)
        stale = form.has_error(NON_FIELD_ERRORS, code=services.STALE)
        return render(request, "families/referrals/referral_status.html", context, status=409 if stale else 200)

    return form_page(
        request,
        form,
        save=partial(services.referral_status_change, referral=referral, changed_by=request.user),
        success=lambda changed: _("The referral is now %(status)s.") % {"status": changed.get_status_display().lower()},
        redirect_to=_referral_url,
        show=show,
    )


@require_GET
def consent_list(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=CONSENTS)
    page = Paginator(selectors.consents_of(family), PAGE_SIZE).get_page(request.GET.get("page"))
    context = case_context(
        request,
        family,
        "families:consents",
        page=page,
        can_change=allows(request.user, family, CHANGE),
    )
    return render(request, "families/referrals/consent_list.html", context)


@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=CONSENTS)
    form = ConsentForm(_posted(request), family=family)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.consent_record, family=family, created_by=request.user),
        success=_("The consent is recorded."),
        redirect_to=reverse("families:consents", args=[family.pk]),
        template="families/referrals/consent_form.html",
        current="families:consents",
    )
