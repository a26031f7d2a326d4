"""Changes to accounts, for a second pair of eyes: every change of role, team, police
unit, active flag, second factor and personal details, made in the admin or anywhere
else, with who made it and the values before and after. A team change alone opens a
whole team's families to a person, so the administrators watch each other here."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liaison.access import verified_administrator_or_404
from liaison.audit.selectors import (
    ACCOUNT_CHANGE_KINDS,
    ACCOUNT_KIND_CONDITIONS,
    account_change_events,
    account_change_rows,
)

PAGE_SIZE = 25


@require_GET
def account_changes(request: HttpRequest) -> HttpResponse:
    verified_administrator_or_404(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ACCOUNT_KIND_CONDITIONS else ""
    page = Paginator(account_change_events(kind), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": account_change_rows(page.object_list),
        "kind": kind,
        "kinds": [(value, label) for value, label, _condition in ACCOUNT_CHANGE_KINDS],
    }
    return render(request, "liaison/account_changes.html", context)
