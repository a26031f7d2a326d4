"""The contexts of a family (people of concern, vehicles, phone numbers, handles, places):
the list, recording one, reviewing it, ending it. For the family's staff and its police
partners (the access policy's ``contexts`` section); of other families the page says only
that the police were told of a link, never which, how many or whose."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from families.case_page import case_context
from families.forms.contexts import ContextEndForm, ContextForm, ContextMentionForm, ContextReviewForm
from families.models import ContextKind, ContextLink, ContextSource, Family
from families.selectors import contexts as selectors
from families.services import contexts as services
from liaison.access import RECORD_CONTEXT, VIEW, allows, can_see_section, get_family_or_404
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
    _add_namings(request, family, page.object_list)
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


def _add_namings(request: HttpRequest, family: Family, links) -> None:
    """Give each context on the page ``namings``: where the case names it (an incident, a
    missing episode, what the parents shared), linked or unlinked, each with the address of
    its page when this user sees that part of the case."""
    for link in links:
        link.namings = [
            (
                mention,
                _source_url(family, mention.source_name, mention.source_id)
                if _sees_source(request, family, mention.source_name)
                else "",
            )
            for mention in link.mentions.all()
        ]


def _sees_source(request: HttpRequest, family: Family, source: str) -> bool:
    return can_see_section(request.user, SOURCE_PAGES[source][0], family)


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


# Where a context can be linked from: the section of the case and the page it is on.
SOURCE_PAGES = {
    ContextSource.INCIDENT: ("incidents", "families:incidents", "incident"),
    ContextSource.MISSING_EPISODE: ("missing", "families:missing", "missing"),
    ContextSource.SHARED_INFORMATION: ("shared_information", "families:shared", "shared"),
}


def contexts_on_source_page(request: HttpRequest, family: Family, source: str, *item_lists) -> dict:
    """What an incidents, missing episodes or shared information page shows of contexts:
    for whoever sees the family's contexts (never a parent), each item's linked contexts
    (one query for all the lists) and whether they may link and unlink them."""
    if not can_see_section(request.user, SECTION, family):
        return {"sees_contexts": False, "can_link": False}
    selectors.with_mentions(family, source, [item for items in item_lists for item in items])
    return {"sees_contexts": True, "can_link": allows(request.user, family, RECORD_CONTEXT)}


def _source_or_404(request: HttpRequest, pk: int, source: str, source_pk: int):
    """The family (whose contexts this user may record) and its incident, missing episode
    or shared item; 404 for a source of another family, or one the user does not see."""
    family = get_family_or_404(request, pk, RECORD_CONTEXT, section=SECTION)
    if source not in SOURCE_PAGES or not can_see_section(request.user, SOURCE_PAGES[source][0], family):
        raise Http404
    item = selectors.context_source_of(family, source, source_pk)
    if item is None:
        raise Http404
    return family, item


def _source_url(family: Family, source: str, item_pk: int) -> str:
    _section, page, anchor = SOURCE_PAGES[source]
    return f"{reverse(page, args=[family.pk])}#{anchor}-{item_pk}"


def _source_heading(source: str) -> str:
    return {
        ContextSource.INCIDENT: _("Link a context to the incident"),
        ContextSource.MISSING_EPISODE: _("Link a context to the missing episode"),
        ContextSource.SHARED_INFORMATION: _("Link a context to what the parents shared"),
    }[source]


@require_http_methods(["GET", "POST"])
def context_mention_add(request: HttpRequest, pk: int, source: str, source_pk: int) -> HttpResponse:
    """Link one of the family's current contexts to an incident, a missing episode or what
    the parents shared; or go on to record a new context for it."""
    family, item = _source_or_404(request, pk, source, source_pk)
    links = selectors.contexts_to_mention(family, source, item.pk)
    back = _source_url(family, source, item.pk)

    def show(form) -> HttpResponse:
        context = case_context(
            request,
            family,
            SOURCE_PAGES[source][1],
            form=form,
            heading=_source_heading(source),
            cancel_url=back,
            source=source,
            item=item,
            kinds=ContextKind.choices,
            has_links=links.exists(),
        )
        return render(request, "families/contexts/mention_form.html", context)

    return form_page(
        request,
        ContextMentionForm(posted_data(request), links=links),
        save=partial(services.context_mention_add, created_by=request.user, **{source: item}),
        success=_("The context is linked."),
        redirect_to=back,
        show=show,
    )


@require_http_methods(["GET", "POST"])
def context_mention_record(request: HttpRequest, pk: int, source: str, source_pk: int, kind: str) -> HttpResponse:
    """Record a new context of the family, linked to the incident, missing episode or
    shared item it comes from."""
    family, item = _source_or_404(request, pk, source, source_pk)
    if kind not in ContextKind.values:
        raise Http404
    back = _source_url(family, source, item.pk)

    def show(form) -> HttpResponse:
        heading = _("Record and link a context: %(kind)s") % {"kind": ContextKind(kind).label}
        context = case_context(
            request, family, SOURCE_PAGES[source][1], form=form, heading=heading, cancel_url=back, link=None
        )
        return render(request, "families/contexts/form.html", context)

    return form_page(
        request,
        ContextForm(posted_data(request), kind=kind),
        save=partial(services.context_link_record, family=family, created_by=request.user, **{source: item}),
        success=_("The context is recorded and linked."),
        redirect_to=back,
        show=show,
    )


@require_POST
def context_mention_end(request: HttpRequest, pk: int, mention_pk: int) -> HttpResponse:
    """Unlink a context from an incident, missing episode or shared item. The context stays
    on the family, and the link is kept in its history."""
    family = get_family_or_404(request, pk, RECORD_CONTEXT, section=SECTION)
    mention = selectors.mention_of(family, mention_pk)
    if mention is None or not can_see_section(request.user, SOURCE_PAGES[mention.source_name][0], family):
        raise Http404
    try:
        services.context_mention_end(mention=mention, ended_by=request.user)
    except ValidationError:
        raise Http404 from None  # unlinked by someone else a moment ago
    messages.success(request, _("The context is unlinked. It stays on the family's Contexts tab."))
    return redirect(_source_url(family, mention.source_name, mention.source_id))
