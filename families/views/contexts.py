"""The contexts of a family (people of concern, vehicles, phone numbers, handles, places):
the list, recording one, reviewing it, ending it. For the family's staff and its police
partners (the access policy's ``contexts`` section); of other families the page says only
that the police were told of a link, never which, how many or whose."""

from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context
from families.forms.contexts import ContextEndForm, ContextForm, ContextReviewForm
from families.models import ContextKind, ContextLink, Family
from families.selectors import contexts as selectors
from families.services import contexts as services
from liaison.access import RECORD_CONTEXT, VIEW, allows, get_family_or_404
from liaison.forms import form_page, posted_data

SECTION = "contexts"
CURRENT = "families:contexts"
PAGE_SIZE = 25
# The code of the refusal when someone else saved the context first (answered with 409).
CONFLICT = "conflict"


def _list_url(family: Family) -> str:
    return reverse(CURRENT, args=[family.pk])


@require_GET
def context_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's contexts, current ones first, a page at a time."""
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    page = Paginator(selectors.contexts_of(family), PAGE_SIZE).get_page(request.GET.get("page"))
    context = case_context(
        request,
        family,
        CURRENT,
        page=page,
        kinds=ContextKind.choices,
        police_told=selectors.police_told_of_link(family),
        can_record=allows(request.user, family, RECORD_CONTEXT),
    )
    return render(request, "families/contexts/list.html", context)


def _context_form_page(
    request: HttpRequest, family: Family, form, *, save, success: str, heading: str, link: ContextLink | None = None
) -> HttpResponse:
    """The one form page of a context; back on the list once saved, 409 when someone else
    saved the context first."""

    def show(form) -> HttpResponse:
        cancel_url = _list_url(family)
        context = case_context(request, family, CURRENT, form=form, heading=heading, cancel_url=cancel_url, link=link)
        status = 409 if form.has_error(NON_FIELD_ERRORS, code=CONFLICT) else 200
        return render(request, "families/contexts/form.html", context, status=status)

    return form_page(request, form, save=save, success=success, redirect_to=_list_url(family), show=show)


@require_http_methods(["GET", "POST"])
def context_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    family = get_family_or_404(request, pk, RECORD_CONTEXT, section=SECTION)
    if kind not in ContextKind.values:
        raise Http404
    return _context_form_page(
        request,
        family,
        ContextForm(posted_data(request), kind=kind),
        save=partial(services.context_link_record, family=family, created_by=request.user),
        success=_("The context is recorded."),
        heading=_("Record a context: %(kind)s") % {"kind": ContextKind(kind).label},
    )


def _link_or_404(family: Family, link_pk: int) -> ContextLink:
    link = selectors.context_of(family, link_pk)
    if link is None or link.is_ended:
        raise Http404
    return link


def _refusing_conflicts(form, link: ContextLink, save):
    """``save`` for a change of a context; when someone else saved in between, the change
    is refused on the form (409) with the revision saved now."""

    def claim(**data):
        try:
            return save(**data)
        except services.ContextConflict:
            form.data = form.data.copy()
            form.data["base_revision"] = ContextLink.objects.values_list("revision", flat=True).get(pk=link.pk)
            raise ValidationError(
                _("Someone else changed this context while you were writing. Check the list, then save again."),
                code=CONFLICT,
            ) from None

    return claim


@require_http_methods(["GET", "POST"])
def context_review(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, RECORD_CONTEXT, section=SECTION)
    link = _link_or_404(family, link_pk)
    form = ContextReviewForm(posted_data(request), link=link)
    return _context_form_page(
        request,
        family,
        form,
        save=_refusing_conflicts(
            form, link, partial(services.context_link_review, link=link, reviewed_by=request.user)
        ),
        success=_("The context is reviewed."),
        heading=_("Review a context"),
        link=link,
    )


@require_http_methods(["GET", "POST"])
def context_end(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, RECORD_CONTEXT, section=SECTION)
    link = _link_or_404(family, link_pk)
    form = ContextEndForm(posted_data(request), link=link)
    return _context_form_page(
        request,
        family,
        form,
        save=_refusing_conflicts(form, link, partial(services.context_link_end, link=link, ended_by=request.user)),
        success=_("The context is ended. It is kept in the family's history."),
        heading=_("End a context"),
        link=link,
    )
