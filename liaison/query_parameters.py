"""Query parameters as the pages may read them. A parameter whose name or value holds a
control character is left out, as if it were not sent: no search, page number or filter
needs one, and PostgreSQL cannot even hold the null character."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

from liaison.validators import has_control_characters


def without_control_characters(query: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True, encoding=query.encoding)
    for name, values in query.lists():
        if has_control_characters(name):
            continue
        clean = [value for value in values if not has_control_characters(value)]
        if clean:
            kept.setlist(name, clean)
    kept._mutable = False
    return kept


class ControlCharacterQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("QUERY_STRING"):
            request.GET = without_control_characters(request.GET)
        return self.get_response(request)
