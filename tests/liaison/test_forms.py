"""The one form-page helper: GET shows the form, a valid POST runs the service and
redirects with a message, anything refused is shown again with its reasons and 400."""

import ast
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from liaison.forms import GovukFormMixin, form_page


class NameForm(GovukFormMixin, forms.Form):
    name = forms.CharField(max_length=20)


class Service:
    """Stands in for a service: records what it saved, or refuses with ``refusal``."""

    def __init__(self, refusal: ValidationError | None = None) -> None:
        self.refusal = refusal
        self.saved = []

    def __call__(self, **data):
        if self.refusal is not None:
            raise self.refusal
        self.saved.append(data)
        return f"saved {data['name']}"


def request_for(method: str = "get", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/form/", data or {})
    request._messages = CookieStorage(request)
    return request


def page(request, service, **options) -> HttpResponse:
    form = NameForm(request.POST if request.method == "POST" else None)
    shown = []

    def show(form) -> HttpResponse:
        shown.append(form)
        return HttpResponse(" | ".join(message for _anchor, message in form.error_list))

    arguments = {"save": service, "success": "Saved.", "redirect_to": "/done/", "show": show} | options
    response = form_page(request, form, **arguments)
    response.shown = shown
    return response


def test_get_shows_the_form_without_saving():
    service = Service()
    response = page(request_for("get"), service)
    assert response.status_code == 200
    assert [form.is_bound for form in response.shown] == [False]
    assert service.saved == []


def test_an_invalid_post_is_shown_again_with_400_and_not_saved():
    service = Service()
    request = request_for("post", {"name": ""})
    response = page(request, service)
    assert response.status_code == 400
    assert "name" in response.shown[0].errors
    assert service.saved == []
    assert list(get_messages(request)) == []


@pytest.mark.parametrize(
    ("refusal", "field"),
    [
        (ValidationError({"name": "This name is taken."}), "name"),
        (ValidationError("The case is closed."), "__all__"),
        (ValidationError({"elsewhere": "Not a field of the form."}), "__all__"),
    ],
)
def test_the_services_refusal_is_shown_on_the_form_with_400(refusal, field):
    service = Service(refusal)
    request = request_for("post", {"name": "Alex"})
    response = page(request, service)
    assert response.status_code == 400
    form = response.shown[0]
    assert form.errors[field] == refusal.messages
    assert refusal.messages[0] in response.content.decode()
    assert service.saved == []
    assert list(get_messages(request)) == []


def test_a_valid_post_saves_redirects_and_says_so():
    service = Service()
    request = request_for("post", {"name": "Alex"})
    response = page(request, service)
    assert response.status_code == 302
    assert response["Location"] == "/done/"
    assert service.saved == [{"name": "Alex"}]
    assert [str(message) for message in get_messages(request)] == ["Saved."]
    assert response.shown == []


def test_the_message_and_the_address_can_come_from_what_was_saved():
    request = request_for("post", {"name": "Alex"})
    response = page(
        request,
        Service(),
        success=lambda saved: f"{saved}.",
        redirect_to=lambda saved: f"/done/?{saved.replace(' ', '=')}",
    )
    assert response["Location"] == "/done/?saved=Alex"
    assert [str(message) for message in get_messages(request)] == ["saved Alex."]


def test_without_a_message_nothing_is_said_and_a_response_can_follow_the_save():
    request = request_for("post", {"name": "Alex"})
    response = page(request, Service(), success=None, redirect_to=lambda saved: HttpResponse(saved))
    assert response.status_code == 200
    assert response.content == b"saved Alex"
    assert list(get_messages(request)) == []


def test_a_page_that_answers_with_its_own_status_keeps_it():
    def conflict(form) -> HttpResponse:
        return HttpResponse(status=409)

    response = page(request_for("post", {"name": ""}), Service(), show=conflict)
    assert response.status_code == 409


# Pages that validate a form without the helper, each for a reason of its own.
OWN_LOOP = {
    ("families/views/contacts.py", "contact_add"): (
        "the contact and its follow-up rows are two forms, validated together with one error summary"
    ),
    ("safety_plans/views/staff.py", "plan_share"): (
        "a button on the plan page: every outcome, a stale page too, is a message on the plan, never a form"
    ),
    ("safety_plans/views/compare.py", "compare"): "reads the versions to compare from the address; saves nothing",
    ("liaison/staff/report_views.py", "report"): "reads the period from the address; saves nothing",
    ("liaison/staff/report_views.py", "report_csv"): "reads the period from the address; saves nothing",
    ("liaison/privacy/views.py", "subject_access"): "a search from the address; saves nothing",
}
PAGES = ["liaison", "families/views", "safety_plans/views", "portal/views"]
ROOT = Path(__file__).resolve().parents[2]


def validations() -> set[tuple[str, str]]:
    """(module, function) of every ``….is_valid()`` in the pages, outside the helper."""
    found = set()
    for folder in PAGES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            module = path.relative_to(ROOT).as_posix()
            if module == "liaison/forms.py" or "/migrations/" in module:
                continue
            for function in ast.walk(ast.parse(path.read_text(), module)):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    if call and node.func.attr == "is_valid":
                        found.add((module, function.name))
    return found


def test_every_form_page_uses_the_one_helper():
    """A new page that writes the loop by hand (``form.is_valid()``) fails here: use
    ``liaison.forms.form_page`` (or ``families.case_page.case_form_page`` in a case)."""
    found = validations()
    assert found - OWN_LOOP.keys() == set()
    assert OWN_LOOP.keys() - found == set(), "an exception that no longer validates a form by hand"
