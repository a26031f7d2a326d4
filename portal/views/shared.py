"""The parents' side of shared information: send what they saw or found to their officer
and the police, and see what became of it. A parent sees only what they shared
themselves; a suspected caregiver has no portal family, so every page is a 404."""

from functools import partial

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from families.forms.shared import ShareForm
from families.models import SharedStatus
from families.selectors.shared import as_parents_saw_it, shared_by_parent, with_answers
from families.services.shared import shared_information_record
from liaison.access import get_portal_family_or_404, parents_see_until
from liaison.forms import form_page
from liaison.uploads import attachment_response

PAGE_SIZE = 25
# The status in the parents' own words, and the tag colour beside it (never alone).
FOR_PARENTS = {
    SharedStatus.SENT: (gettext_lazy("Sent"), "govuk-tag--grey"),
    SharedStatus.RECEIVED: (gettext_lazy("The police received it"), "govuk-tag--blue"),
    SharedStatus.ACTED_ON: (gettext_lazy("The police did something with it"), "govuk-tag--green"),
    SharedStatus.NO_ACTION: (gettext_lazy("The police could not do anything with it"), "govuk-tag--yellow"),
}


@require_GET
def portal_shared(request: HttpRequest) -> HttpResponse:
    """What this parent shared, newest first, with what became of it."""
    family = get_portal_family_or_404(request)
    until = parents_see_until(family)
    items = with_answers(shared_by_parent(family, request.user), until)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        as_parents_saw_it(item, until)
        item.status_words, item.status_tag = FOR_PARENTS[item.status]
    return render(request, "portal/shared.html", {"page": page, "can_share": family.is_open})


@require_http_methods(["GET", "POST"])
def portal_share(request: HttpRequest) -> HttpResponse:
    family = get_portal_family_or_404(request)
    posted = request.method == "POST"
    form = ShareForm(request.POST if posted else None, request.FILES if posted else None)

    def show(form) -> HttpResponse:
        context = {
            "form": form,
            "can_share": family.is_open,
            # A file is never kept from a page with an error: the parent chooses it again.
            "choose_file_again": bool(form.errors and request.FILES.get("attachment")),
        }
        return render(request, "portal/share.html", context)

    return form_page(
        request,
        form,
        save=partial(shared_information_record, family=family, shared_by=request.user),
        success=_("Thank you. Your liaison officer and the police can now read it."),
        redirect_to="portal:shared",
        show=show,
    )


@require_GET
def portal_shared_attachment(request: HttpRequest, item_pk: int) -> HttpResponse:
    family = get_portal_family_or_404(request)
    item = shared_by_parent(family, request.user).filter(pk=item_pk).first()
    return attachment_response(item.attachment if item else None, item.attachment_type if item else "")
