"""The chronology of a case, on screen and as a page made for printing."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from families.forms.events import ChronologyFilterForm
from families.selectors.chronology import chronology as chronology_entries
from families.selectors.chronology import kinds_for
from families.views.common import case_context
from liaison.access import VIEW, get_family_or_404

PAGE_SIZE = 50


@require_GET
def chronology(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything in the case, newest first, narrowed by kind. With ?print=1 the whole
    (filtered) history on one page without the case navigation, for the print stylesheet."""
    family = get_family_or_404(request, pk, VIEW, section="chronology")
    kinds = kinds_for(request.user)
    form = ChronologyFilterForm(request.GET or None, kinds=kinds)
    selected = form.selected()
    entries = chronology_entries(family, request.user, selected)
    labels = dict(kinds)
    context = {
        "form": form,
        "selected": selected,
        "selected_labels": [labels[kind] for kind in selected],
        "kind_labels": labels,
    }
    if request.GET.get("print") == "1":
        context.update(family=family, entries=entries)
        return render(request, "families/chronology/print.html", context)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = case_context(request, family, "families:chronology", page=page, **context)
    return render(request, "families/chronology/list.html", context)
