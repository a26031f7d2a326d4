"""Erasure requests: one administrator records the request, a second and different one
approves it (the person is erased at once) or refuses it with a reason. Nothing is
erased before; all of it is in the audit trail; everyone else gets 404."""

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from families.models import (
    ArticleDiscussion,
    ArticleSent,
    Child,
    Consent,
    ContactEntry,
    HouseholdMember,
    NeedVersion,
    ParentRating,
    PortalMessage,
    RatingSource,
    Referral,
    ReferralStatusChange,
    SharedInformation,
)
from families.services import library, needs, referrals
from liaison.accounts.models import Role
from liaison.audit.models import AuditAction, AuditEvent
from liaison.privacy.erasure import ERASED_NAME
from liaison.privacy.models import ErasureRequest, ErasureStatus
from liaison.uploads import private_storage
from safety_plans.models import MissingProfile
from tests.factories import PASSWORD, FamilyFactory, HouseholdMemberFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

GROUNDS = "She asked in writing on 3 March to erase everything about her."


@pytest.fixture
def second_administrator():
    user = UserFactory(role=Role.ADMINISTRATOR, full_name="Bea Second", email="second@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def member(parent):
    return parent.household_memberships.get()


def new_url(kind: str, pk: int) -> str:
    return reverse("privacy:erasure_request_new", args=[kind, pk])


def record(client, kind, pk, asked_by="The mother herself", grounds=GROUNDS):
    return client.post(new_url(kind, pk), {"asked_by": asked_by, "grounds": grounds})


@pytest.fixture
def pending(english, administrator, member):
    record(english(administrator), "member", member.pk)
    return ErasureRequest.objects.get()


def decide(client, erasure, decision, note=""):
    return client.post(reverse("privacy:erasure_request", args=[erasure.pk]), {"decision": decision, "note": note})


def test_recording_a_request_erases_nothing(english, administrator, member):
    response = record(english(administrator), "member", member.pk)
    erasure = ErasureRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("privacy:erasure_request", args=[erasure.pk])
    assert erasure.status == ErasureStatus.PENDING and erasure.requested_by == administrator
    member.refresh_from_db()
    assert member.full_name == "Mia Parent" and member.erased_at is None
    event = AuditEvent.objects.get(action=AuditAction.ERASURE_REQUESTED)
    assert event.family_id == member.family_id and GROUNDS not in str(event.detail)


@pytest.mark.parametrize(
    "asked_by, grounds, message",
    [
        ("", GROUNDS, "Say who asked."),
        ("The mother", "", "Describe the request"),
        ("The mother", "Erase me.", "at least"),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(english, administrator, member, asked_by, grounds, message):
    response = record(english(administrator), "member", member.pk, asked_by=asked_by, grounds=grounds)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_a_second_request_while_one_waits_is_refused(english, administrator, member, pending):
    response = record(english(administrator), "member", member.pk)
    assert response.status_code == 400
    assert "already waiting for a decision" in response.content.decode()
    assert ErasureRequest.objects.count() == 1


def test_whoever_recorded_the_request_cannot_decide_it(english, administrator, pending):
    client = english(administrator)
    page = client.get(reverse("privacy:erasure_request", args=[pending.pk])).content.decode()
    assert "a second administrator must decide it" in page and 'name="decision"' not in page
    response = decide(client, pending, "approve")
    assert response.status_code == 400
    assert "A second administrator must decide" in response.content.decode()
    pending.refresh_from_db()
    assert pending.is_pending
    assert HouseholdMember.objects.get(pk=pending.member_id).erased_at is None


def test_the_database_refuses_a_decision_by_the_same_person(administrator, pending):
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureRequest.objects.filter(pk=pending.pk).update(decided_by=administrator, status=ErasureStatus.REFUSED)


def test_a_second_administrator_approves_and_the_parent_is_erased(
    english, second_administrator, pending, member, parent, family
):
    PortalMessage.objects.create(family=family, text="MESSAGE-by-mia", from_parent=True, created_by=parent)
    SharedInformation.objects.create(family=family, text="SHARED-by-mia", created_by=parent)
    member.phone, member.email = "0612345678", "mia@example.org"
    member.save()

    response = decide(english(second_administrator), pending, "approve")
    assert response.status_code == 302

    member.refresh_from_db()
    assert member.full_name == "—" and member.phone == "" and member.email == "" and member.user is None
    assert member.erased_at is not None
    parent.refresh_from_db()
    assert not parent.is_active and parent.full_name == ERASED_NAME and parent.email.endswith("@erased.invalid")
    assert not PortalMessage.objects.filter(family=family, from_parent=True).exists()
    assert SharedInformation.objects.filter(family=family).get().text == "SHARED-by-mia"
    pending.refresh_from_db()
    assert pending.status == ErasureStatus.CARRIED_OUT and pending.decided_by == second_administrator
    actions = set(AuditEvent.objects.filter(family_id=family.pk).values_list("action", flat=True))
    assert {AuditAction.ERASURE_DECIDED, AuditAction.PERSON_ERASED} <= actions


def test_an_erased_parent_can_no_longer_sign_in(english, second_administrator, pending, parent):
    credentials = {"login": "parent@example.org", "password": PASSWORD}
    before = Client()
    assert before.post(reverse("account_login"), credentials).status_code == 302
    assert "_auth_user_id" in before.session
    decide(english(second_administrator), pending, "approve")
    after = Client()
    response = after.post(reverse("account_login"), credentials)
    assert response.status_code == 200 and response.context["form"].errors
    assert "_auth_user_id" not in after.session
    # The session from before the erasure has ended too.
    assert before.get(reverse("portal:home")).status_code == 302


def test_erasure_works_on_the_person_once_in_every_family(english, administrator, second_administrator, parent, family):
    """The same parent is recorded in a second family with the same account: one request
    erases both records and closes the account once."""
    elsewhere = HouseholdMemberFactory(family=FamilyFactory(), full_name="Mia P.", user=parent)
    member = parent.household_memberships.get(family=family)
    record(english(administrator), "member", member.pk)
    # A second request for the same person, through the other record, is refused.
    assert record(english(administrator), "member", elsewhere.pk).status_code == 400
    erasure = ErasureRequest.objects.get()
    decide(english(second_administrator), erasure, "approve")
    for record_of_person in (member, elsewhere):
        record_of_person.refresh_from_db()
        assert record_of_person.erased_at is not None and record_of_person.user is None
    parent.refresh_from_db()
    assert not parent.is_active and parent.email.endswith("@erased.invalid")
    event = AuditEvent.objects.get(action=AuditAction.PERSON_ERASED)
    assert sorted(event.detail["records"]) == sorted([member.pk, elsewhere.pk])


def test_erasure_keeps_the_familys_needs_referrals_and_library_like_the_contact_log(
    english, second_administrator, pending, member, family, officer, administrator
):
    """Like the contact log, the parents' needs (with every version), the referrals with
    their consent and history, and what the family received from the library belong to
    the family, not to one named person: they stay, pointing at the anonymised record.
    They go with the case at the end of its retention period."""
    today = timezone.localdate()
    ContactEntry.objects.create(
        family=family,
        occurred_at=timezone.now(),
        kind="phone",
        with_whom="Mia",
        summary="KEPT-contact",
        created_by=officer,
    )
    need = needs.need_record(family=family, created_by=officer, kind="debts", since_on=today, note="KEPT-need-note")
    referral = referrals.referral_create(
        family=family,
        created_by=officer,
        agency="victim_support",
        question="KEPT-question",
        parts=["children"],
        sent_on=today,
        consent_route="caregiver",
        consent_given_by=member,
        consent_manner="written",
        consent_on=today,
    )
    article = library.article_create(author=administrator, title_nl="T", title_en="T", body_nl="B", body_en="B")
    library.article_publish(article=article, actor=administrator)
    library.article_send(family=family, article=article, officer=officer)
    library.article_discussion_record(
        family=family, article=article, officer=officer, discussed_on=today, note="KEPT-talk-note"
    )

    assert decide(english(second_administrator), pending, "approve").status_code == 302

    member.refresh_from_db()
    assert member.erased_at is not None and member.full_name == ERASED_NAME
    assert ContactEntry.objects.get(family=family).summary == "KEPT-contact"
    assert [version.note for version in NeedVersion.objects.filter(need=need)] == ["KEPT-need-note"]
    consent = Consent.objects.select_related("given_by").get(referral=referral)
    assert consent.given_by == member and consent.given_by.full_name == ERASED_NAME
    assert Referral.objects.get(pk=referral.pk).question == "KEPT-question"
    assert ReferralStatusChange.objects.filter(referral=referral).count() == 1
    assert ArticleSent.objects.filter(family=family).count() == 1
    assert ArticleDiscussion.objects.get(family=family).note == "KEPT-talk-note"


def test_refusing_needs_a_reason_and_erases_nothing(english, second_administrator, pending, member):
    client = english(second_administrator)
    response = decide(client, pending, "refuse")
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    pending.refresh_from_db()
    assert pending.is_pending

    assert decide(client, pending, "refuse", note="The police need the record for a trial.").status_code == 302
    pending.refresh_from_db()
    assert pending.status == ErasureStatus.REFUSED and pending.decision_note.startswith("The police")
    member.refresh_from_db()
    assert member.erased_at is None and member.full_name == "Mia Parent"


def test_a_decision_without_a_choice_gets_an_error(english, second_administrator, pending):
    response = english(second_administrator).post(reverse("privacy:erasure_request", args=[pending.pk]), {})
    assert response.status_code == 400
    assert "Choose whether to approve or refuse" in response.content.decode()


def test_a_decided_request_cannot_be_decided_again(english, second_administrator, pending):
    client = english(second_administrator)
    decide(client, pending, "refuse", note="The police need the record for a trial.")
    response = decide(client, pending, "approve")
    assert response.status_code == 400
    assert "already been decided" in response.content.decode()
    assert 'name="decision"' not in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == ErasureStatus.REFUSED


def test_erasing_a_child_removes_the_name_and_the_missing_person_description(
    english, administrator, second_administrator, family, officer, django_capture_on_commit_callbacks
):
    from safety_plans import services as plans
    from tests.safety_plans.conftest import add_part

    child = Child.objects.create(
        family=family,
        full_name="Noor Jansen",
        school="De Regenboog",
        exploitation_kind="sexual",
        risk_level="high",
        risk_set_on=family.referral_on,
        created_by=officer,
    )
    version = plans.plan_version_start(family=family, created_by=officer)
    add_part(
        version,
        MissingProfile(version=version, child=child, description="CHILD-description", who_calls_police="Mum"),
        officer,
    )
    profile = MissingProfile.objects.get(child=child)
    profile.photo.save("noor.jpg", ContentFile(b"not really a photo"), save=True)
    photo = profile.photo.name
    assert private_storage().exists(photo)
    record(english(administrator), "child", child.pk, asked_by="Noor herself, now 18")
    with django_capture_on_commit_callbacks(execute=True):
        decide(english(second_administrator), ErasureRequest.objects.get(), "approve")
    child.refresh_from_db()
    assert (child.full_name, child.school, child.born_on) == ("—", "", None) and child.erased_at is not None
    profile.refresh_from_db()
    assert profile.description == "" and profile.photo.name == ""
    assert not private_storage().exists(photo)


def test_erasing_a_child_removes_what_they_said_alone_and_where(
    english, administrator, second_administrator, family, officer, child, sibling
):
    """What the child could discuss alone and where they were seen go with the child; the
    date, the professional and the agency stay, as the dates of a missing episode do. The
    other child's records are theirs and stay as they are."""
    from families.models import SeenAlone
    from families.services import concerns

    def seen(who, discussed):
        return concerns.seen_alone_record(
            family=family,
            created_by=officer,
            child=who,
            seen_on=family.referral_on,
            seen_by="Sara School",
            agency="School",
            place=f"{discussed}-place",
            discussed=discussed,
        )

    noor, other = seen(child, "SEENALONE-noor"), seen(sibling, "SEENALONE-sibling")
    record(english(administrator), "child", child.pk, asked_by="Noor herself, now 18")
    decide(english(second_administrator), ErasureRequest.objects.get(), "approve")
    noor, other = SeenAlone.objects.get(pk=noor.pk), SeenAlone.objects.get(pk=other.pk)
    assert (noor.place, noor.discussed) == (ERASED_NAME, ERASED_NAME)
    assert (noor.seen_on, noor.seen_by, noor.agency) == (family.referral_on, "Sara School", "School")
    assert (other.place, other.discussed) == ("SEENALONE-sibling-place", "SEENALONE-sibling")


def test_the_list_shows_waiting_and_decided_requests(english, second_administrator, pending):
    body = english(second_administrator).get(reverse("privacy:erasure_requests")).content.decode()
    assert "Mia Parent" in body and reverse("privacy:erasure_request", args=[pending.pk]) in body


def test_an_empty_list_says_so(english, administrator):
    body = english(administrator).get(reverse("privacy:erasure_requests")).content.decode()
    assert "No request is waiting." in body and "No request has been decided yet." in body


def test_the_subject_access_search_offers_an_erasure_request(english, administrator, member):
    body = english(administrator).get(reverse("subject_access"), {"q": "Mia"}).content.decode()
    assert new_url("member", member.pk) in body


def test_an_unknown_person_or_kind_is_404(english, administrator, member):
    client = english(administrator)
    assert client.get(new_url("member", 999999)).status_code == 404
    assert client.get(new_url("team", member.pk)).status_code == 404
    assert client.get(reverse("privacy:erasure_request", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police", "parent", "outsider"])
def test_other_personas_get_404_on_every_erasure_page(request, english, pending, member, persona):
    client = english(request.getfixturevalue(persona))
    assert client.get(reverse("privacy:erasure_requests")).status_code == 404
    assert client.get(new_url("member", member.pk)).status_code == 404
    assert record(client, "member", member.pk).status_code == 404
    assert client.get(reverse("privacy:erasure_request", args=[pending.pk])).status_code == 404
    assert decide(client, pending, "approve").status_code == 404
    pending.refresh_from_db()
    assert pending.is_pending and ErasureRequest.objects.count() == 1


def test_opening_the_request_form_is_a_logged_read(english, administrator, member):
    assert english(administrator).get(new_url("member", member.pk)).status_code == 200
    read = AuditEvent.objects.get(action=AuditAction.CASE_VIEWED, actor=administrator)
    assert read.family_id == member.family_id and read.detail["access"] == "erasure"


def test_erasing_a_parent_removes_their_name_from_their_ratings_and_keeps_the_scores(
    english, second_administrator, pending, member, parent, family, officer
):
    def rating(given_by: str, source: str, created_by) -> ParentRating:
        return ParentRating.objects.create(
            family=family,
            rated_on=family.referral_on,
            given_by=given_by,
            source=source,
            created_by=created_by,
            understanding_score=2,
            empowerment_score=3,
            resilience_score=1,
        )

    in_portal = rating(parent.full_name, RatingSource.PORTAL, parent)
    typed = rating("mia PARENT", RatingSource.VISIT, officer)
    other = rating("Piet Father", RatingSource.VISIT, officer)
    decide(english(second_administrator), pending, "approve")
    for rating in (in_portal, typed, other):
        rating.refresh_from_db()
    assert in_portal.given_by == typed.given_by == ERASED_NAME
    assert other.given_by == "Piet Father"
    assert (in_portal.understanding_score, typed.resilience_score) == (2, 1)
