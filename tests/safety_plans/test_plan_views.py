"""The plan in the family case, per persona: who reads, who writes, who endorses."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from families.services import justice
from liaison.uploads import private_storage
from safety_plans.models import MissingProfile, PlanStatement, PlanStatus, PlanVersion, PoliceAction, Visibility
from tests.factories import HouseholdMemberFactory
from tests.safety_plans.conftest import HIDDEN_MARKERS, add_part

pytestmark = pytest.mark.django_db


def plan_url(family, name="safety_plans:plan", *args):
    return reverse(name, args=[family.pk, *args])


def test_empty_state_offers_to_start(login, officer, family):
    response = login(officer).get(plan_url(family))
    assert response.status_code == 200
    assert reverse("safety_plans:start", args=[family.pk]).encode() in response.content


def test_staff_with_access_read_the_plan(login, staff_with_access, filled_draft, family):
    response = login(staff_with_access).get(plan_url(family))
    assert response.status_code == 200
    assert b"FORPARENTS-sign" in response.content
    assert b"STAFFONLY-concern" in response.content


def test_police_only_parts_are_for_the_police_alone(login, officer, supervisor, police, filled_draft, family):
    assert b"POLICEONLY-concern" in login(police).get(plan_url(family)).content
    for person in (officer, supervisor):
        content = login(person).get(plan_url(family)).content
        assert b"POLICEONLY" not in content


@pytest.mark.parametrize("persona", ["other_officer", "outsider", "parent", "suspect_caregiver", "administrator"])
def test_others_get_404(login, request, persona, filled_draft, family):
    client = login(request.getfixturevalue(persona))
    assert client.get(plan_url(family)).status_code == 404
    assert client.post(plan_url(family, "safety_plans:start")).status_code == 404


def test_wrong_method_is_405(login, officer, family):
    assert login(officer).get(plan_url(family, "safety_plans:start")).status_code == 405
    assert login(officer).get(plan_url(family, "safety_plans:share")).status_code == 405


def test_officer_starts_and_writes_a_draft(login, officer, family):
    client = login(officer)
    assert client.post(plan_url(family, "safety_plans:start")).status_code == 302
    version = PlanVersion.objects.get(plan__family=family)
    response = client.post(
        plan_url(family, "safety_plans:part_add", "statement"),
        {
            "base_revision": version.revision,
            "section": "warning_signs",
            "text": "Comes home late",
            "visibility": "parents",
        },
    )
    assert response.status_code == 302
    assert PlanStatement.objects.get(version=version).text == "Comes home late"


def test_stale_save_is_refused_and_the_text_stays_on_screen(login, officer, police, draft, family):
    client = login(officer)
    url = plan_url(family, "safety_plans:part_add", "statement")
    first = {"base_revision": 1, "section": "warning_signs", "text": "First", "visibility": "parents"}
    assert client.post(url, first).status_code == 302
    second = {**first, "text": "Second, from an older page"}
    response = client.post(url, second)
    assert response.status_code == 409
    assert b"Second, from an older page" in response.content
    assert PlanStatement.objects.filter(version=draft).count() == 1


def test_bad_input_saves_nothing(login, officer, draft, family):
    response = login(officer).post(
        plan_url(family, "safety_plans:part_add", "police_action"),
        {"base_revision": 1, "kind": "address_marker", "description": "Marker", "owner": "", "status": "agreed"},
    )
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.revision == 1


def test_officer_may_not_write_police_only(login, officer, draft, family):
    response = login(officer).post(
        plan_url(family, "safety_plans:part_add", "statement"),
        {"base_revision": 1, "section": "warning_signs", "text": "x", "visibility": Visibility.POLICE},
    )
    assert response.status_code == 400
    assert not PlanStatement.objects.exists()


def test_police_write_only_the_police_parts(login, police, draft, family):
    client = login(police)
    assert client.get(plan_url(family, "safety_plans:part_add", "statement")).status_code == 404
    assert client.get(plan_url(family, "safety_plans:part_add", "police_action")).status_code == 200


def test_police_endorse_an_agreed_plan(login, police, officer, agreed_plan, family):
    assert login(officer).get(plan_url(family, "safety_plans:endorse")).status_code == 404
    response = login(police).post(plan_url(family, "safety_plans:endorse"), {"note": "Backed."})
    assert response.status_code == 302
    agreed_plan.refresh_from_db()
    assert agreed_plan.status == PlanStatus.ACTIVE


def test_the_plan_page_costs_the_same_queries_however_long_the_plan(
    login, officer, filled_draft, family, django_assert_max_num_queries
):
    client = login(officer)
    client.get(plan_url(family))
    with django_assert_max_num_queries(40):
        response = client.get(plan_url(family))
    assert response.status_code == 200
    assert all(marker.encode() not in response.content for marker in HIDDEN_MARKERS[1:])


def caseload_row(client, family):
    response = client.get(reverse("families:caseload"))
    return next(row for row in response.context["page"].object_list if row.pk == family.pk)


def test_caseload_flags_a_plan_waiting_for_the_police(login, officer, agreed_plan, family):
    row = caseload_row(login(officer), family)
    assert row.plan_awaiting_endorsement and row.plan_not_endorsed
    assert not row.plan_review_overdue


def test_caseload_flags_an_active_plan_past_its_review_date(login, supervisor, active_plan, family):
    PlanVersion.objects.filter(pk=active_plan.pk).update(review_on=active_plan.created_at.date().replace(year=2020))
    row = caseload_row(login(supervisor), family)
    assert row.plan_review_overdue
    assert not row.plan_not_endorsed and not row.plan_awaiting_endorsement


def assert_refused(response, field: str) -> None:
    """The form comes back with 400, its error in the summary at the top and beside the field."""
    assert response.status_code == 400
    content = response.content.decode()
    assert "govuk-error-summary" in content
    for message in response.context["form"].errors[field]:
        assert content.count(str(escape(message))) >= 2, message


# Taking a shared or agreed plan back to draft.

WRITERS = ["officer", "supervisor", "police"]
NOT_READERS = ["other_officer", "outsider", "parent", "suspect_caregiver", "administrator"]


@pytest.mark.parametrize("persona", WRITERS)
def test_who_writes_the_plan_takes_it_back_to_draft_with_a_reason(request, login, persona, shared_plan, family):
    response = login(request.getfixturevalue(persona)).post(
        plan_url(family, "safety_plans:reopen"), {"reason": "The school changed."}
    )
    assert response.status_code == 302 and response.url == plan_url(family)
    revision = shared_plan.revision
    shared_plan.refresh_from_db()
    assert shared_plan.status == PlanStatus.DRAFT and shared_plan.revision == revision + 1
    assert shared_plan.comments.get().text == "The school changed."


def test_taking_an_agreed_plan_back_withdraws_the_agreement(login, officer, agreed_plan, family):
    response = login(officer).post(plan_url(family, "safety_plans:reopen"), {"reason": "A new address."})
    assert response.status_code == 302
    agreement = agreed_plan.agreements.get()
    assert agreement.withdrawn_at is not None
    agreed_plan.refresh_from_db()
    assert agreed_plan.status == PlanStatus.DRAFT


def test_the_reopen_page_warns_what_happens(english, officer, shared_plan, family):
    response = english(officer).get(plan_url(family, "safety_plans:reopen"))
    assert response.status_code == 200
    assert "they agree again to the changed plan" in response.content.decode()


@pytest.mark.parametrize("persona", NOT_READERS)
def test_others_cannot_reopen_the_plan(request, login, persona, shared_plan, family):
    client = login(request.getfixturevalue(persona))
    assert client.get(plan_url(family, "safety_plans:reopen")).status_code == 404
    assert client.post(plan_url(family, "safety_plans:reopen"), {"reason": "Because."}).status_code == 404
    shared_plan.refresh_from_db()
    assert shared_plan.status == PlanStatus.SHARED


def test_a_draft_has_nothing_to_reopen(login, officer, draft, family):
    assert login(officer).post(plan_url(family, "safety_plans:reopen"), {"reason": "Because."}).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete"])
def test_reopen_refuses_other_methods(login, officer, shared_plan, family, method):
    assert getattr(login(officer), method)(plan_url(family, "safety_plans:reopen")).status_code == 405


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_reopening_without_a_usable_reason_changes_nothing(english, officer, shared_plan, family, reason):
    response = english(officer).post(plan_url(family, "safety_plans:reopen"), {"reason": reason})
    assert_refused(response, "reason")
    shared_plan.refresh_from_db()
    assert shared_plan.status == PlanStatus.SHARED and not shared_plan.comments.exists()


# The officer records the parents' agreement given during a visit.


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_staff_record_the_parents_agreement(request, login, persona, parent, shared_plan, family):
    user = request.getfixturevalue(persona)
    member = parent.household_memberships.get()
    response = login(user).post(
        plan_url(family, "safety_plans:agreement"), {"agreed_by": member.pk, "words": "We will keep to it."}
    )
    assert response.status_code == 302 and response.url == plan_url(family)
    agreement = shared_plan.agreements.get()
    assert (agreement.agreed_by, agreement.recorded_by, agreement.words) == (member, user, "We will keep to it.")
    shared_plan.refresh_from_db()
    assert shared_plan.status == PlanStatus.AGREED


def test_the_agreement_page_offers_the_caregivers_but_not_a_suspect(
    login, officer, parent, suspect_caregiver, shared_plan, family
):
    response = login(officer).get(plan_url(family, "safety_plans:agreement"))
    assert response.status_code == 200
    offered = set(response.context["form"].fields["agreed_by"].queryset)
    assert offered == {parent.household_memberships.get()}


@pytest.mark.parametrize("persona", ["police", *NOT_READERS])
def test_others_cannot_record_an_agreement(request, login, persona, parent, shared_plan, family):
    member = parent.household_memberships.get()
    client = login(request.getfixturevalue(persona))
    assert client.get(plan_url(family, "safety_plans:agreement")).status_code == 404
    assert client.post(plan_url(family, "safety_plans:agreement"), {"agreed_by": member.pk}).status_code == 404
    assert not shared_plan.agreements.exists()


def test_a_draft_cannot_be_agreed_to(login, officer, parent, draft, family):
    member = parent.household_memberships.get()
    response = login(officer).post(plan_url(family, "safety_plans:agreement"), {"agreed_by": member.pk})
    assert response.status_code == 404
    assert not draft.agreements.exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_agreement_refuses_other_methods(login, officer, shared_plan, family, method):
    assert getattr(login(officer), method)(plan_url(family, "safety_plans:agreement")).status_code == 405


@pytest.fixture
def stranger():
    """A caregiver of another family."""
    return HouseholdMemberFactory(full_name="Stan Stranger")


@pytest.mark.parametrize("who", ["nobody", "suspect", "stranger"])
def test_an_agreement_by_someone_who_may_not_give_it_is_refused(
    english, officer, suspect_caregiver, stranger, shared_plan, family, who
):
    agreed_by = {"nobody": "", "suspect": suspect_caregiver.household_memberships.get().pk, "stranger": stranger.pk}
    response = english(officer).post(plan_url(family, "safety_plans:agreement"), {"agreed_by": agreed_by[who]})
    assert_refused(response, "agreed_by")
    assert not shared_plan.agreements.exists()
    shared_plan.refresh_from_db()
    assert shared_plan.status == PlanStatus.SHARED


def test_a_caregiver_named_as_suspect_in_a_criminal_case_cannot_agree(
    login, officer, police, child, shared_plan, family
):
    stepfather = HouseholdMemberFactory(family=family, full_name="Rob Stepfather", relation="stepfather", user=None)
    justice.criminal_case_record(
        family=family,
        created_by=police,
        child=child,
        police_reference="ZP-2026-12",
        opened_on=shared_plan.created_at.date(),
        suspected_caregiver=stepfather,
    )
    response = login(officer).post(plan_url(family, "safety_plans:agreement"), {"agreed_by": stepfather.pk})
    assert response.status_code == 400
    assert not shared_plan.agreements.exists()


# Comments from staff on the shared plan.


@pytest.mark.parametrize("persona", WRITERS)
def test_who_writes_the_plan_comments_on_the_shared_version(request, login, persona, shared_plan, family):
    user = request.getfixturevalue(persona)
    response = login(user).post(plan_url(family, "safety_plans:comment"), {"text": "Ask about the bike."})
    assert response.status_code == 302 and response.url == f"{plan_url(family)}#comments"
    comment = shared_plan.comments.get()
    assert (comment.text, comment.by_parent, comment.created_by) == ("Ask about the bike.", False, user)


def test_staff_note_what_the_parents_said(login, officer, agreed_plan, family):
    data = {"text": "The mother wants the aunt added.", "by_parent": "on"}
    assert login(officer).post(plan_url(family, "safety_plans:comment"), data).status_code == 302
    assert agreed_plan.comments.get().by_parent


@pytest.mark.parametrize("persona", NOT_READERS)
def test_others_cannot_comment(request, login, persona, shared_plan, family):
    response = login(request.getfixturevalue(persona)).post(plan_url(family, "safety_plans:comment"), {"text": "Hi"})
    assert response.status_code == 404
    assert not shared_plan.comments.exists()


def test_a_draft_takes_no_comments(login, officer, draft, family):
    assert login(officer).post(plan_url(family, "safety_plans:comment"), {"text": "Early"}).status_code == 404
    assert not draft.comments.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_comment_takes_only_post(login, officer, shared_plan, family, method):
    assert getattr(login(officer), method)(plan_url(family, "safety_plans:comment")).status_code == 405


@pytest.mark.parametrize("text", ["", "  ", "x" * 4001])
def test_an_empty_or_too_long_comment_is_refused(english, officer, shared_plan, family, text):
    response = english(officer).post(plan_url(family, "safety_plans:comment"), {"text": text})
    assert_refused(response, "text")
    assert not shared_plan.comments.exists()


# Removing a part from the draft.


@pytest.fixture
def statement(draft, officer):
    part = PlanStatement(version=draft, section="warning_signs", text="Comes home late", visibility=Visibility.STAFF)
    return add_part(draft, part, officer)


def remove_url(family, part, kind="statement") -> str:
    return plan_url(family, "safety_plans:part_remove", kind, part.pk)


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_staff_remove_a_part_from_the_draft_and_it_is_kept(request, login, persona, statement, draft, family):
    client = login(request.getfixturevalue(persona))
    page = client.get(remove_url(family, statement))
    assert page.status_code == 200 and b"Comes home late" in page.content
    draft.refresh_from_db()
    response = client.post(remove_url(family, statement), {"base_revision": draft.revision})
    assert response.status_code == 302 and response.url == f"{plan_url(family)}#statement"
    statement.refresh_from_db()
    assert statement.removed_at is not None
    assert b"Comes home late" not in client.get(plan_url(family)).content


def test_police_remove_their_own_parts_only(login, police, officer, statement, draft, family):
    action = add_part(
        draft, PoliceAction(version=draft, kind="address_marker", description="Marker", owner="PV"), police
    )
    client = login(police)
    assert client.get(remove_url(family, statement)).status_code == 404
    draft.refresh_from_db()
    response = client.post(remove_url(family, action, "police_action"), {"base_revision": draft.revision})
    assert response.status_code == 302
    action.refresh_from_db()
    statement.refresh_from_db()
    assert action.removed_at is not None and statement.removed_at is None


def test_a_police_only_part_is_not_there_for_an_officer(login, officer, police, draft, family):
    part = PlanStatement(version=draft, section="warning_signs", text="Unit watch", visibility=Visibility.POLICE)
    part = add_part(draft, part, police)
    draft.refresh_from_db()
    assert login(officer).post(remove_url(family, part), {"base_revision": draft.revision}).status_code == 404
    part.refresh_from_db()
    assert part.removed_at is None


@pytest.mark.parametrize("persona", NOT_READERS)
def test_others_cannot_remove_a_part(request, login, persona, statement, draft, family):
    client = login(request.getfixturevalue(persona))
    assert client.get(remove_url(family, statement)).status_code == 404
    assert client.post(remove_url(family, statement), {"base_revision": draft.revision}).status_code == 404
    statement.refresh_from_db()
    assert statement.removed_at is None


def test_a_part_of_a_shared_plan_cannot_be_removed(login, officer, shared_plan, family):
    part = PlanStatement.objects.filter(version=shared_plan, visibility=Visibility.STAFF).first()
    response = login(officer).post(remove_url(family, part), {"base_revision": shared_plan.revision})
    assert response.status_code == 404
    part.refresh_from_db()
    assert part.removed_at is None


@pytest.mark.parametrize("method", ["put", "delete"])
def test_remove_refuses_other_methods(login, officer, statement, family, method):
    assert getattr(login(officer), method)(remove_url(family, statement)).status_code == 405


def test_removing_without_the_revision_changes_nothing(login, officer, statement, draft, family):
    revision = PlanVersion.objects.get(pk=draft.pk).revision
    response = login(officer).post(remove_url(family, statement), {})
    assert response.status_code == 400
    assert "base_revision" in response.context["form"].errors
    statement.refresh_from_db()
    assert statement.removed_at is None
    assert PlanVersion.objects.get(pk=draft.pk).revision == revision


def test_removing_from_an_older_page_is_refused_with_a_warning(english, officer, statement, draft, family):
    stale = PlanVersion.objects.get(pk=draft.pk).revision - 1
    client = english(officer)
    response = client.post(remove_url(family, statement), {"base_revision": stale}, follow=True)
    assert "Someone else changed this plan in the meantime" in response.content.decode()
    statement.refresh_from_db()
    assert statement.removed_at is None


# A missing-person profile with a photo: the photo has no URL of its own (private storage).


@pytest.fixture
def profile_with_photo(filled_draft):
    profile = MissingProfile.objects.filter(version=filled_draft, removed_at__isnull=True).first()
    output = BytesIO()
    Image.new("RGB", (40, 30), "white").save(output, format="JPEG")
    name = private_storage().save("missing-profiles/edit.jpg", ContentFile(output.getvalue()))
    MissingProfile.objects.filter(pk=profile.pk).update(photo=name)
    profile.refresh_from_db()
    return profile


def test_the_edit_page_of_a_profile_with_a_photo_opens_and_saves(
    login, officer, family, filled_draft, profile_with_photo
):
    client = login(officer)
    url = reverse("safety_plans:part_edit", args=[family.pk, "missing_profile", profile_with_photo.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "missing-profiles/edit" not in page.content.decode()  # no path, no URL of the stored photo
    data = {name: value for name, value in page.context["form"].initial.items() if value is not None}
    data.update(base_revision=filled_draft.revision, description="Changed description")
    data.pop("photo", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    saved = [
        profile
        for profile in MissingProfile.objects.filter(version=filled_draft)
        if profile.description == "Changed description"
    ]
    assert len(saved) == 1 and saved[0].photo.name == profile_with_photo.photo.name


def test_the_team_list_of_plans_past_their_review_links_to_the_plan(english, supervisor, active_plan, family):
    PlanVersion.objects.filter(pk=active_plan.pk).update(review_on=active_plan.created_at.date().replace(year=2020))
    response = english(supervisor).get(reverse("attention_list", args=["plan_review_overdue"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("safety_plans:plan", args=[family.pk])}">Plan review overdue</a>' in body
