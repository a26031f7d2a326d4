"""The chronology of a case, on screen and as a page made for printing."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from families.case_page import kept_case_page
from families.forms.events import ChronologyFilterForm
from families.selectors.chronology import kinds_for, read_chronology
from liaison.access import VIEW, get_family_or_404

PAGE_SIZE = 50


@require_GET
def chronology(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything in the case, newest first, narrowed by kind. With ?print=1 the whole
    (filtered) history on one page without the case navigation, for the print stylesheet."""
    family = get_family_or_404(request, pk, VIEW, section="chronology")
    if request.GET.get("print") == "1":
        context = _filtered(request, family)
        return render(request, "families/chronology/print.html", {**context, "family": family})

    def listing() -> dict:
        context = _filtered(request, family)
        page = Paginator(context.pop("entries"), PAGE_SIZE).get_page(request.GET.get("page"))
        return {**context, "page": page}

    return kept_case_page(
        request,
        family,
        "families:chronology",
        template="families/chronology/list.html",
        part="families/chronology/list_content.html",
        make=listing,
        parts=[sorted(request.GET.lists())],
    )


def _filtered(request: HttpRequest, family) -> dict:
    """The filter form and the entries of the kinds it selects."""
    kinds = kinds_for(request.user)
    form = ChronologyFilterForm(request.GET or None, kinds=kinds)
    selected = form.selected()
    labels = dict(kinds)
    # The checkboxes written out plainly: the same HTML as the form's widget gives, without
    # rendering a widget template per kind.
    boxes = [
        {"id": f"id_kind_{index}", "value": kind, "label": label, "checked": kind in selected}
        for index, (kind, label) in enumerate(kinds)
    ]
    return {
        "form": form,
        "kind_boxes": boxes,
        "selected": selected,
        "selected_labels": [labels[kind] for kind in selected],
        "kind_labels": labels,
        "entries": read_chronology(family, request.user, selected),
    }
