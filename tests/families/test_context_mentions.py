"""Contexts linked to an incident, a missing episode or what the parents shared (issue 27):
from those pages the family's staff and police partners link one of the family's current
contexts or record a new one, and unlink it again (the link is kept in the history). The
linked contexts show on those pages for them only: never to a parent, never to family B's
staff, never in a parent's e-mail or PDF. Another family's context or source is refused
with nothing saved."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from families.models import ContextLink, ContextMention, SharedInformation
from families.services import contexts as services
from families.services import events
from liaison.audit.models import AuditEvent
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

LINKERS = ["officer", "supervisor", "police"]
NOT_ALLOWED = ["parent", "suspect_caregiver", "other_officer", "outsider", "analyst", "other_police"]
MARKER = "MARKERA7731"
SOURCES = ["incident", "missing_episode", "shared_information"]
SOURCE_PAGES = {
    "incident": "families:incidents",
    "missing_episode": "families:missing",
    "shared_information": "families:shared",
}
PORTAL_PAGES = ["portal:home", "portal:shared", "portal:plan", "portal:justice", "portal:messages"]


def make_source(source: str, family, officer):
    if source == "incident":
        return events.incident_log(
            family=family,
            created_by=officer,
            occurred_at=timezone.now() - timedelta(hours=3),
            kind="stalking",
            description="A car followed the mother.",
        )
    if source == "missing_episode":
        child = ChildFactory(family=family, full_name="Lisa")
        return events.missing_log(
            family=family, created_by=officer, child=child, started_at=timezone.now() - timedelta(hours=5)
        )
    return SharedInformation.objects.create(family=family, text="A grey car outside school.", created_by=officer)


def plate(family, user, label="AB-123-C", **extra) -> ContextLink:
    return services.context_link_record(family=family, created_by=user, kind="vehicle", label=label, **extra)


def add_url(family, source, item) -> str:
    return reverse("families:context_mention_add", args=[family.pk, source, item.pk])


def record_url(family, source, item, kind="vehicle") -> str:
    return reverse("families:context_mention_record", args=[family.pk, source, item.pk, kind])


def end_url(mention) -> str:
    return reverse("families:context_mention_end", args=[mention.link.family_id, mention.pk])


def review_on() -> str:
    return (timezone.localdate() + timedelta(days=365)).isoformat()


def new_plate() -> dict:
    return {"label": "AB1C2", "review_on": review_on()}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("persona", LINKERS)
def test_staff_and_police_link_a_current_context_and_unlink_it(request, english, family, officer, persona, source):
    item = make_source(source, family, officer)
    link = plate(family, officer, note=MARKER)
    client = english(request.getfixturevalue(persona))
    form = client.get(add_url(family, source, item))
    assert form.status_code == 200
    assert "AB123C" in form.content.decode()
    response = client.post(add_url(family, source, item), {"link": link.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(SOURCE_PAGES[source], args=[family.pk]))
    mention = ContextMention.objects.get()
    assert (mention.link, getattr(mention, f"{source}_id")) == (link, item.pk)
    page = client.get(reverse(SOURCE_PAGES[source], args=[family.pk])).content.decode()
    assert "AB123C" in page and "Unlink" in page
    assert client.post(end_url(mention)).status_code == 302
    mention.refresh_from_db()
    assert mention.ended_at is not None and mention.ended_by == request.getfixturevalue(persona)
    assert ContextLink.objects.current().filter(pk=link.pk).exists()  # the context stays on the family
    page = client.get(reverse(SOURCE_PAGES[source], args=[family.pk])).content.decode()
    assert "AB123C" not in page
    # Once unlinked, it can be linked again; the history keeps both.
    assert client.post(add_url(family, source, item), {"link": link.pk}).status_code == 302
    assert ContextMention.objects.count() == 2
    whats = list(AuditEvent.objects.filter(detail__what__startswith="context_").values_list("detail__what", flat=True))
    assert whats.count("context_mentioned") == 2 and whats.count("context_unmentioned") == 1


@pytest.mark.parametrize("source", SOURCES)
def test_a_new_context_is_recorded_and_linked_from_the_page(english, family, officer, source):
    item = make_source(source, family, officer)
    client = english(officer)
    assert "Record and link a context: Vehicle" in client.get(record_url(family, source, item)).content.decode()
    response = client.post(record_url(family, source, item), {"label": "xr 501 k", "review_on": review_on()})
    assert response.status_code == 302
    link = ContextLink.objects.get()
    assert (link.family, link.label) == (family, "XR501K")
    assert getattr(ContextMention.objects.get(link=link), f"{source}_id") == item.pk
    assert "XR501K" in client.get(reverse(SOURCE_PAGES[source], args=[family.pk])).content.decode()


def test_a_context_already_linked_is_not_offered_again_and_is_refused(english, family, officer):
    item = make_source("incident", family, officer)
    link = plate(family, officer)
    services.context_mention_add(link=link, created_by=officer, incident=item)
    client = english(officer)
    assert (
        "This family has no current context to link here yet."
        in client.get(add_url(family, "incident", item)).content.decode()
    )
    response = client.post(add_url(family, "incident", item), {"link": link.pk})
    assert response.status_code == 400
    assert ContextMention.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the context to link."),
        ({"link": "not a number"}, "Choose one of the family"),
        ({"link": "999999"}, "Choose one of the family"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(english, family, officer, data, message):
    item = make_source("incident", family, officer)
    plate(family, officer)
    response = english(officer).post(add_url(family, "incident", item), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContextMention.objects.exists()


def test_another_familys_context_is_refused_and_nothing_saved(english, family, officer, other_family, other_officer):
    item = make_source("incident", family, officer)
    plate(family, officer)
    theirs = plate(other_family, other_officer, label="ZZ-999-Z", note=MARKER)
    response = english(officer).post(add_url(family, "incident", item), {"link": theirs.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of the family" in page and MARKER not in page and "ZZ999Z" not in page
    assert not ContextMention.objects.exists()


def test_an_ended_context_is_not_offered_and_is_refused(english, family, officer):
    item = make_source("incident", family, officer)
    link = plate(family, officer)
    services.context_link_end(link=link, ended_by=officer, base_revision=1, reason="A neighbour's car.")
    response = english(officer).post(add_url(family, "incident", item), {"link": link.pk})
    assert response.status_code == 400
    assert not ContextMention.objects.exists()


def test_another_familys_source_or_mention_is_not_found(login, family, officer, other_family, other_officer):
    theirs = make_source("incident", other_family, other_officer)
    their_link = plate(other_family, other_officer)
    their_mention = services.context_mention_add(link=their_link, created_by=other_officer, incident=theirs)
    plate(family, officer)
    client = login(officer)
    assert client.get(add_url(family, "incident", theirs)).status_code == 404
    assert client.post(record_url(family, "incident", theirs), new_plate()).status_code == 404
    wrong = reverse("families:context_mention_end", args=[family.pk, their_mention.pk])
    assert client.post(wrong).status_code == 404
    assert client.get(reverse("families:context_mention_add", args=[family.pk, "plan", 1])).status_code == 404
    ours = make_source("incident", family, officer)
    assert client.get(record_url(family, "incident", ours, "ufo")).status_code == 404
    their_mention.refresh_from_db()
    assert their_mention.ended_at is None and ContextLink.objects.filter(family=family).count() == 1


def test_the_service_refuses_a_source_of_another_family(family, officer, other_family, other_officer):
    link = plate(family, officer)
    theirs = make_source("incident", other_family, other_officer)
    with pytest.raises(services.ValidationError):
        services.context_mention_add(link=link, created_by=officer, incident=theirs)
    with pytest.raises(ValueError):
        services.context_mention_add(link=link, created_by=officer)
    assert not ContextMention.objects.exists()


def test_an_unlinked_mention_cannot_be_unlinked_again(login, family, officer):
    item = make_source("incident", family, officer)
    mention = services.context_mention_add(link=plate(family, officer), created_by=officer, incident=item)
    client = login(officer)
    assert client.post(end_url(mention)).status_code == 302
    assert client.post(end_url(mention)).status_code == 404
    assert client.get(end_url(mention)).status_code == 405


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_nobody_else_links_or_unlinks(request, login, family, officer, other_family, analyst, other_police, persona):
    item = make_source("incident", family, officer)
    link = plate(family, officer)
    mention = services.context_mention_add(link=link, created_by=officer, incident=item)
    client = login(request.getfixturevalue(persona))
    assert client.get(add_url(family, "incident", item)).status_code == 404
    assert client.post(add_url(family, "incident", item), {"link": link.pk}).status_code == 404
    assert client.post(record_url(family, "incident", item), new_plate()).status_code == 404
    assert client.post(end_url(mention)).status_code == 404
    assert ContextMention.objects.count() == 1 and ContextMention.objects.current().count() == 1
    assert ContextLink.objects.count() == 1


@pytest.mark.parametrize("source", SOURCES)
def test_markers_of_family_a_never_reach_family_b_staff_or_any_parent(
    english, login, family, officer, parent, other_family, other_officer, source
):
    item = make_source(source, family, officer)
    link = services.context_link_record(
        family=family, created_by=officer, kind="person", label=f"Zorvax {MARKER}", note=f"note {MARKER}"
    )
    services.context_mention_add(link=link, created_by=officer, **{source: item})
    # Family B names the same car and has its own source page.
    make_source(source, other_family, other_officer)
    plate(other_family, other_officer)
    plate(family, officer)
    assert MARKER in english(officer).get(reverse(SOURCE_PAGES[source], args=[family.pk])).content.decode()
    staff_b = english(other_officer)
    for name in SOURCE_PAGES.values():
        page = staff_b.get(reverse(name, args=[other_family.pk])).content.decode()
        assert MARKER not in page and family.reference not in page
    assert staff_b.get(reverse(SOURCE_PAGES[source], args=[family.pk])).status_code == 404
    parent_client = login(parent)
    for name in PORTAL_PAGES:
        response = parent_client.get(reverse(name))
        assert MARKER not in response.content.decode() and "Zorvax" not in response.content.decode()
    for message in mail.outbox:
        assert MARKER not in message.body and "Zorvax" not in message.body


@pytest.mark.parametrize("source", SOURCES)
def test_the_source_page_costs_the_same_queries_for_1_or_many_contexts(
    english, family, officer, source, django_assert_max_num_queries
):
    item = make_source(source, family, officer)
    services.context_mention_add(link=plate(family, officer, label="AA11"), created_by=officer, **{source: item})
    client = english(officer)
    url = reverse(SOURCE_PAGES[source], args=[family.pk])
    with django_assert_max_num_queries(80) as counted:
        assert client.get(url).status_code == 200
    few = len(counted.captured_queries)
    for number in range(8):
        link = plate(family, officer, label=f"ZZ{number:02d}")
        services.context_mention_add(link=link, created_by=officer, **{source: item})
        services.context_mention_add(link=link, created_by=officer, **{source: make_source(source, family, officer)})
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert "ZZ07" in page


def contexts_tab(client, family) -> str:
    response = client.get(reverse("families:contexts", args=[family.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("source", SOURCES)
def test_the_contexts_tab_says_where_the_case_names_each_context(english, family, officer, source):
    item = make_source(source, family, officer)
    link = plate(family, officer)
    services.context_mention_add(link=link, created_by=officer, **{source: item})
    page = contexts_tab(english(officer), family)
    assert "Named in" in page
    assert reverse(SOURCE_PAGES[source], args=[family.pk]) in page


def test_an_unlinked_naming_stays_on_the_contexts_tab_with_when_and_who(english, family, officer):
    item = make_source("incident", family, officer)
    mention = services.context_mention_add(link=plate(family, officer), created_by=officer, incident=item)
    services.context_mention_end(mention=mention, ended_by=officer)
    page = contexts_tab(english(officer), family)
    assert "; unlinked " in page
    assert officer.full_name in page


def test_the_contexts_tab_costs_the_same_queries_for_1_or_many_namings(
    english, family, officer, django_assert_max_num_queries
):
    services.context_mention_add(
        link=plate(family, officer, label="AA11"), created_by=officer, incident=make_source("incident", family, officer)
    )
    client = english(officer)
    with django_assert_max_num_queries(80) as counted:
        contexts_tab(client, family)
    few = len(counted.captured_queries)
    for number in range(6):
        link = plate(family, officer, label=f"ZZ{number:02d}")
        for source in SOURCES:
            services.context_mention_add(
                link=link, created_by=officer, **{source: make_source(source, family, officer)}
            )
    with django_assert_max_num_queries(few):
        page = contexts_tab(client, family)
    assert "ZZ05" in page and page.count("Named in") == 7
