"""The parents' side of the plan: what they read, what they never see, and how they
comment on and agree to a version shared with them."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from liaison.audit.models import AuditAction, AuditEvent
from safety_plans import services
from safety_plans.models import PlanAgreement, PlanComment, PlanStatement, PlanStatus
from tests.safety_plans.conftest import HIDDEN_MARKERS, VISIBLE_TO_PARENTS, add_part

pytestmark = pytest.mark.django_db

PLAN = reverse("portal:plan")
SHARED = reverse("portal:plan_shared")
COMMENT = reverse("portal:plan_comment")
AGREE = reverse("portal:plan_agree")
PARENT_MARKERS = ("sign", "do", "action", "owner", "profile", "friends", "caller", "contact")


def assert_parents_view(content: bytes) -> None:
    for field in PARENT_MARKERS:
        assert f"{VISIBLE_TO_PARENTS}-{field}".encode() in content, field
    for hidden in HIDDEN_MARKERS:
        assert hidden.encode() not in content, hidden


@pytest.fixture
def active_and_shared(active_plan, officer):
    """Version 1 in force and version 2, copied from it, shared with the parents."""
    draft = services.plan_version_start(family=active_plan.plan.family, created_by=officer)
    return services.plan_share(version=draft, base_revision=draft.revision, actor=officer)


def test_parent_reads_the_active_plan(login, parent, active_plan):
    response = login(parent).get(PLAN)
    assert response.status_code == 200
    assert_parents_view(response.content)
    body = response.content.decode()
    assert "We agree." in body  # the parent's own words with the stamp
    assert "Endorsed for the unit." not in body  # the police's note is theirs
    assert SHARED not in body
    assert AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, detail__path=PLAN).exists()


def test_parent_reads_the_shared_version_on_every_page(login, parent, shared_plan):
    client = login(parent)
    assert_parents_view(client.get(SHARED).content)
    for url in (PLAN, AGREE, reverse("portal:home")):
        content = client.get(url).content
        assert all(hidden.encode() not in content for hidden in HIDDEN_MARKERS), url
    assert client.get(PLAN).context["version"] is None


def test_a_new_shared_version_is_announced_beside_the_active_one(login, parent, active_and_shared):
    client = login(parent)
    plan_page = client.get(PLAN)
    assert_parents_view(plan_page.content)
    assert SHARED in plan_page.content.decode()
    assert SHARED in client.get(reverse("portal:home")).content.decode()
    shared_page = client.get(SHARED)
    assert shared_page.context["version"] == active_and_shared
    assert_parents_view(shared_page.content)
    assert AGREE in shared_page.content.decode()


def test_an_agreed_version_offers_no_agreement_again(login, parent, agreed_plan):
    client = login(parent)
    response = client.get(SHARED)
    assert response.status_code == 200
    assert AGREE not in response.content.decode()
    assert "We agree." in response.content.decode()
    assert client.get(AGREE).status_code == 404
    home = client.get(reverse("portal:home")).content.decode()
    assert SHARED not in home.split("<h1")[0]  # no banner asking them to agree


def test_a_draft_is_never_shown(login, parent, filled_draft):
    client = login(parent)
    response = client.get(PLAN)
    assert response.status_code == 200
    assert response.context["version"] is None
    assert gettext("Your liaison officer will make the plan with you.") in response.content.decode()
    assert VISIBLE_TO_PARENTS.encode() not in response.content
    assert client.get(SHARED).status_code == 404
    assert client.get(AGREE).status_code == 404
    assert client.post(COMMENT, {"text": "Hello"}).status_code == 404
    assert client.post(AGREE, {"confirm": "on"}).status_code == 404
    assert not PlanComment.objects.exists() and not PlanAgreement.objects.exists()


def test_a_new_draft_stays_hidden_behind_the_active_plan(login, parent, officer, active_plan, family):
    draft = services.plan_version_start(family=family, created_by=officer)
    add_part(draft, PlanStatement(version=draft, section="parents_do", text="NOT-YET-SHARED"), officer)
    client = login(parent)
    response = client.get(PLAN)
    assert response.context["version"] == active_plan
    assert b"NOT-YET-SHARED" not in response.content
    assert client.get(SHARED).status_code == 404


PAGES = [("get", PLAN), ("get", SHARED), ("get", AGREE), ("post", COMMENT), ("post", AGREE)]


@pytest.mark.parametrize("persona", ["suspect_caregiver", "officer", "supervisor", "police", "outsider"])
def test_only_the_familys_parents_reach_the_portal_plan(login, request, persona, shared_plan):
    client = login(request.getfixturevalue(persona))
    for method, url in PAGES:
        data = {"text": "Hello", "confirm": "on"} if method == "post" else None
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    assert not PlanComment.objects.exists()
    shared_plan.refresh_from_db()
    assert shared_plan.status == PlanStatus.SHARED


@pytest.mark.parametrize(("method", "url"), [("post", PLAN), ("post", SHARED), ("get", COMMENT), ("put", AGREE)])
def test_wrong_method_is_405(login, parent, shared_plan, method, url):
    assert getattr(login(parent), method)(url).status_code == 405


def test_parent_agrees_in_their_own_words(login, parent, shared_plan):
    response = login(parent).post(AGREE, {"words": "We keep the door open for her.", "confirm": "on"})
    assert response.status_code == 302
    assert response.url == PLAN
    shared_plan.refresh_from_db()
    assert shared_plan.status == PlanStatus.AGREED
    agreement = PlanAgreement.objects.get(version=shared_plan)
    assert agreement.agreed_by == parent.household_memberships.get()
    assert agreement.words == "We keep the door open for her."
    assert agreement.recorded_by == parent


@pytest.mark.parametrize("data", [{"words": "We agree."}, {}])
def test_agreeing_needs_the_confirmation(login, parent, shared_plan, data):
    response = login(parent).post(AGREE, data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["confirm"]
    assert "govuk-error-summary" in response.content.decode()
    shared_plan.refresh_from_db()
    assert shared_plan.status == PlanStatus.SHARED
    assert not PlanAgreement.objects.exists()


def test_parent_comment_reaches_the_officer(login, parent, officer, shared_plan, family):
    response = login(parent).post(COMMENT, {"text": "Can we add grandma's number?"})
    assert response.status_code == 302
    comment = PlanComment.objects.get()
    assert (comment.by_parent, comment.created_by, comment.version) == (True, parent, shared_plan)
    staff_page = login(officer).get(reverse("safety_plans:plan", args=[family.pk]))
    assert "Can we add grandma&#x27;s number?" in staff_page.content.decode()
    assert "Can we add grandma&#x27;s number?" in login(parent).get(SHARED).content.decode()


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_comment_is_refused(login, parent, shared_plan, text):
    response = login(parent).post(COMMENT, {"text": text})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["text"]
    assert "govuk-error-summary" in response.content.decode()
    assert_parents_view(response.content)
    assert not PlanComment.objects.exists()


def test_staff_comments_are_not_shown_to_parents(login, parent, officer, shared_plan):
    services.plan_comment_add(version=shared_plan, actor=officer, text="STAFFONLY-comment", by_parent=False)
    services.plan_comment_add(version=shared_plan, actor=parent, text="FORPARENTS-comment", by_parent=True)
    reopened = services.plan_reopen(version=shared_plan, actor=officer, reason="STAFFONLY-reason")
    services.plan_share(version=reopened, base_revision=reopened.revision, actor=officer)
    client = login(parent)
    for url in (PLAN, SHARED):
        content = client.get(url).content
        assert b"STAFFONLY" not in content, url
    assert b"FORPARENTS-comment" in client.get(SHARED).content


def test_parent_pages_link_to_the_parents_pdf(login, parent, active_and_shared):
    pdf = reverse("portal:plan_pdf")
    client = login(parent)
    assert f'href="{pdf}"' in client.get(PLAN).content.decode()
    assert f'href="{pdf}?shared=1"' in client.get(SHARED).content.decode()


def test_no_pdf_link_without_an_active_plan(login, parent, shared_plan):
    assert reverse("portal:plan_pdf") not in login(parent).get(PLAN).content.decode()


def test_parent_nav_links_to_the_plan(login, parent, family):
    assert PLAN in login(parent).get(reverse("portal:home")).content.decode()


def test_the_portal_plan_page_costs_a_fixed_number_of_queries(
    login, parent, officer, active_and_shared, django_assert_max_num_queries
):
    client = login(parent)
    client.get(PLAN)
    with django_assert_max_num_queries(20):
        first = client.get(PLAN)
    before = len(first.context["parts"].all_parts())
    version = first.context["version"]
    for number in range(10):
        PlanStatement.objects.create(
            version=version, section="parents_do", text=f"{VISIBLE_TO_PARENTS}-{number}", created_by=officer
        )
    with django_assert_max_num_queries(20):
        second = client.get(PLAN)
    assert len(second.context["parts"].all_parts()) == before + 10
