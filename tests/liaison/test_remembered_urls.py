"""Every ``{% url %}`` writes what Django's own tag writes; an address of whole numbers is
written from the pattern's pieces, resolved once per name."""

import django.urls
import pytest
from django.template import Context, Engine, engines
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from liaison.templatetags import remembered_urls
from liaison.templatetags.remembered_urls import remembered_reverse

ADDRESSES = [
    ("home", ()),
    ("families:caseload", ()),
    ("families:detail", (1,)),
    ("families:detail", (987_654_321,)),
    ("families:progress", (42,)),
    ("families:review_correct", (42, 7)),
    ("safety_plans:plan", (3,)),
    ("attention_list", ("no_contact",)),
]


def rendered(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(("name", "arguments"), ADDRESSES)
def test_the_tag_writes_what_django_reverses(name, arguments):
    tag_arguments = " ".join(f"a{place}" for place in range(len(arguments)))
    context = {f"a{place}": value for place, value in enumerate(arguments)}
    assert rendered(f"{{% url '{name}' {tag_arguments} %}}", **context) == reverse(name, args=arguments)
    if all(isinstance(value, int) for value in arguments):
        assert remembered_reverse(name, *arguments) == reverse(name, args=arguments)


def test_a_second_address_of_the_same_page_resolves_no_pattern(monkeypatch):
    template = engines["django"].from_string("{% url 'families:detail' pk %}")
    template.render({"pk": 5})
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return reverse(*args, **kwargs)

    monkeypatch.setattr(remembered_urls, "reverse", counted)
    monkeypatch.setattr(django.urls, "reverse", counted)  # what Django's own tag calls
    assert template.render({"pk": 6}) == reverse("families:detail", args=[6])
    assert calls == []


def test_other_forms_go_through_djangos_tag():
    assert rendered("{% url 'families:detail' pk=4 %}") == reverse("families:detail", args=[4])
    assert (
        rendered("{% url 'families:detail' 4 as there %}[{{ there }}]") == f"[{reverse('families:detail', args=[4])}]"
    )
    assert rendered("{% url 'families:detail' '4' %}") == reverse("families:detail", args=["4"])
    assert rendered("{% url 'no:such_page' 4 as there %}[{{ there }}]") == "[]"


@pytest.mark.parametrize("arguments", ["", "4", "4 5"])
def test_an_unknown_page_or_wrong_arguments_fail_as_in_django(arguments):
    with pytest.raises(NoReverseMatch):
        rendered(f"{{% url 'no:such_page' {arguments} %}}")
    if arguments != "4":
        with pytest.raises(NoReverseMatch):
            rendered(f"{{% url 'families:detail' {arguments} %}}")


def test_a_pattern_that_rewrites_its_number_is_not_remembered(monkeypatch):
    """Should a page's converter write a number otherwise than given, the pieces would be
    wrong: such a name is never remembered."""
    remembered_urls._pieces.cache_clear()
    monkeypatch.setattr(remembered_urls, "reverse", lambda name, args, current_app=None: f"/x/{args[0] * 2}/")
    assert remembered_urls._pieces("families:detail", 1, None, "/") is None
    remembered_urls._pieces.cache_clear()


def test_autoescape_is_kept():
    engine = Engine(builtins=["liaison.templatetags.remembered_urls"])
    template = engine.from_string("{% url 'families:detail' pk %}")
    assert template.render(Context({"pk": 4}, autoescape=False)) == reverse("families:detail", args=[4])


MOVED = "tests.liaison.moved_urls"


def test_other_url_patterns_in_the_settings_write_their_own_addresses():
    template = engines["django"].from_string("{% url 'families:detail' pk %}")
    assert template.render({"pk": 5}) == "/families/5/"
    with override_settings(ROOT_URLCONF=MOVED):
        assert template.render({"pk": 5}) == "/moved/elsewhere/5/"
        assert remembered_reverse("families:detail", 6) == "/moved/elsewhere/6/"
    assert template.render({"pk": 5}) == "/families/5/"
