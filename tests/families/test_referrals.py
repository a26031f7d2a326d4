"""Referral to another agency with a "tell it once" summary the parents consented to, and
consent when a parent may be the exploiter (issue 19, issue 25).

The summary is searched, on the page and in the PDF, for markers put in every police-only
and staff-only text of the plan, the people of concern, the incidents, the criminal case,
the screen, the concern, the Meldcode steps and the staff's evidence and contact notes:
for every part that can be chosen, none of them may appear. The parents' own plan
statements do appear, so the search is known to find what is there."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from families.models import (
    AgencyInvolvement,
    Consent,
    ConsentManner,
    ConsentPurpose,
    ConsentRoute,
    ContactEntry,
    CriminalCase,
    Incident,
    ProgressReview,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    SummaryPart,
)
from families.services import concerns, referrals
from liaison.audit.models import AuditEvent
from liaison.privacy.subject_access import as_json, subject_access_for_member
from liaison.staff.referral_summary import BUILDERS
from tests.factories import ChildFactory, HouseholdMemberFactory
from tests.families.concerns_helpers import screen_answers
from tests.safety_plans.conftest import (  # noqa: F401
    HIDDEN_MARKERS,
    VISIBLE_TO_PARENTS,
    active_plan,
    agreed_plan,
    child,
    draft,
    filled_draft,
    shared_plan,
)

pytestmark = pytest.mark.django_db

SECRET = "NEVERINSUMMARY"
FORBIDDEN = (*HIDDEN_MARKERS, SECRET)


def hidden(field: str) -> str:
    return f"{SECRET}{field}"


def forbidden_in(text: str) -> list[str]:
    return sorted(set(re.findall(rf"(?:{'|'.join(FORBIDDEN)})[-\w]*", text)))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.fixture
def member(parent):
    return parent.household_memberships.get()


@pytest.fixture
def suspect_member(suspect_caregiver):
    return suspect_caregiver.household_memberships.get()


@pytest.fixture
def marked_case(family, officer, police, child, active_plan):  # noqa: F811
    """Every sensitive text of the case carries a marker: the plan's staff and police parts
    (the plan fixtures), an incident's person of concern, a criminal case's police note and
    people of concern, a contact's summary, a review's evidence, the screen, the concern
    and a Meldcode step. The plan is active: the parents agreed to it."""
    now = timezone.now()
    Incident.objects.create(
        family=family,
        occurred_at=now - timedelta(days=3),
        kind="threat",
        description=hidden("incident"),
        person_of_concern=hidden("incidentperson"),
        created_by=officer,
    )
    CriminalCase.objects.create(
        family=family,
        child=child,
        police_reference="ZP-1",
        opened_on=timezone.localdate(),
        people_of_concern=hidden("casepeople"),
        staff_detail=hidden("casestaff"),
        police_note=hidden("casepolice"),
        created_by=police,
    )
    ContactEntry.objects.create(
        family=family,
        occurred_at=now - timedelta(days=1),
        kind="home_visit",
        with_whom=hidden("withwhom"),
        summary=hidden("contactsummary"),
        created_by=officer,
    )
    ProgressReview.objects.create(
        family=family,
        reviewed_on=timezone.localdate(),
        understanding_score=3,
        understanding_evidence=hidden("understanding"),
        empowerment_score=4,
        empowerment_evidence=hidden("empowerment"),
        resilience_score=2,
        resilience_evidence=hidden("resilience"),
        created_by=officer,
    )
    AgencyInvolvement.objects.create(
        family=family,
        agency="school",
        worker_name="Sara School",
        worker_contact=hidden("workercontact"),
        started_on=timezone.localdate() - timedelta(days=30),
        created_by=officer,
    )
    concerns.screen_record(family=family, created_by=officer, note=hidden("screen"), **screen_answers("serious"))
    concern = concerns.open_concern_of(family)
    concerns.meldcode_step_record(
        concern=concern,
        created_by=officer,
        kind="signals",
        taken_on=timezone.localdate(),
        taken_by=hidden("takenby"),
        note=hidden("meldcode"),
    )
    return family


def make_referral(family, officer, member, *, parts, **changes) -> Referral:
    fields = {
        "family": family,
        "created_by": officer,
        "agency": "youth_care",
        "question": "Support for the parents at home.",
        "parts": parts,
        "situation": "The parents ask for help at home.",
        "sent_on": timezone.localdate(),
        "consent_route": ConsentRoute.CAREGIVER,
        "consent_on": timezone.localdate(),
        "consent_given_by": member,
        "consent_manner": ConsentManner.SPOKEN,
    }
    return referrals.referral_create(**{**fields, **changes})


def form_data(member, **changes) -> dict:
    today = timezone.localdate().isoformat()
    data = {
        "agency": "youth_care",
        "question": "Support for the parents at home.",
        "parts": ["situation", "safety_plan"],
        "situation": "The parents ask for help at home.",
        "sent_on": today,
        "consent_route": "caregiver",
        "consent_given_by": member.pk,
        "consent_manner": "written",
        "consent_on": today,
    }
    return {**data, **changes}


# The summary carries only what is on the allow-list.


def test_every_part_on_the_allow_list_has_one_builder_and_nothing_else_does():
    assert set(BUILDERS) == set(SummaryPart.values)


@pytest.mark.parametrize("part", SummaryPart.values)
def test_no_hidden_detail_reaches_the_summary_page_or_pdf(part, marked_case, officer, member, login):
    concern_open = concerns.open_concern_of(marked_case)
    assert concern_open is not None
    referral = make_referral(marked_case, officer, member, parts=[part], confirm_despite_concern=True)
    client = login(officer)
    page = client.get(reverse("families:referral", args=[marked_case.pk, referral.pk]))
    pdf = client.get(reverse("families:referral_pdf", args=[marked_case.pk, referral.pk]))
    assert page.status_code == pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert forbidden_in(page.content.decode()) == []
    assert forbidden_in(pdf_text(pdf.content)) == []


def test_every_part_together_shows_what_the_parents_may_know_and_nothing_hidden(marked_case, officer, member, login):
    referral = make_referral(marked_case, officer, member, parts=list(SummaryPart.values), confirm_despite_concern=True)
    text = pdf_text(login(officer).get(reverse("families:referral_pdf", args=[marked_case.pk, referral.pk])).content)
    assert f"{VISIBLE_TO_PARENTS}-sign" in text
    assert "Sara School" in text and "The parents ask for help at home." in text
    assert forbidden_in(text) == []


def test_a_part_not_consented_to_is_not_shown(family, officer, member, login):
    referral = make_referral(family, officer, member, parts=["situation", "agencies"])
    Consent.objects.filter(pk=referral.consent_id).update(parts=["agencies"])
    page = login(officer).get(reverse("families:referral", args=[family.pk, referral.pk]))
    assert "The parents ask for help at home." not in page.content.decode()


def test_a_part_off_the_allow_list_is_refused(family, officer, member):
    with pytest.raises(ValidationError) as refused:
        make_referral(family, officer, member, parts=["situation", "police_note"])
    assert "parts" in refused.value.error_dict
    assert not Referral.objects.exists()


def test_the_pdf_comes_in_the_language_chosen(family, officer, member, login):
    referral = make_referral(family, officer, member, parts=["situation"])
    url = reverse("families:referral_pdf", args=[family.pk, referral.pk])
    client = login(officer)
    assert "Referral summary" in pdf_text(client.get(url, {"language": "en"}).content)
    assert "Samenvatting bij de verwijzing" in pdf_text(client.get(url, {"language": "nl"}).content)


# Who sees a referral.


def test_the_police_partner_of_the_family_reads_the_referral_but_not_why_consent_was_not_asked(
    family, officer, police, member, login
):
    other = HouseholdMemberFactory(family=family, full_name="Ben Other", relation="father", user=None)
    referral = make_referral(
        family,
        officer,
        member,
        parts=["situation"],
        consent_route=ConsentRoute.OTHER_CAREGIVER,
        consent_given_by=other,
        consent_reason=hidden("routereason"),
    )
    page = login(police).get(reverse("families:referral", args=[family.pk, referral.pk]))
    assert page.status_code == 200
    assert forbidden_in(page.content.decode()) == []
    officer_page = login(officer).get(reverse("families:referral", args=[family.pk, referral.pk]))
    assert hidden("routereason") in officer_page.content.decode()


@pytest.mark.parametrize("persona", ["parent", "suspect_caregiver", "outsider", "other_officer"])
def test_parents_and_outsiders_never_reach_a_referral(request, persona, family, officer, member, login):
    referral = make_referral(family, officer, member, parts=["situation"])
    client = login(request.getfixturevalue(persona))
    for name in ("families:referral", "families:referral_pdf"):
        assert client.get(reverse(name, args=[family.pk, referral.pk])).status_code == 404


def test_a_referral_of_another_family_is_404(family, officer, member, login):
    other = type(family).objects.create(display_name="Other", team=family.team, liaison_officer=officer)
    referral = make_referral(family, officer, member, parts=["situation"])
    assert login(officer).get(reverse("families:referral", args=[other.pk, referral.pk])).status_code == 404


# Consent when a parent may be the exploiter.


def test_consent_is_never_asked_of_a_suspected_caregiver(family, officer, suspect_member):
    with pytest.raises(ValidationError) as refused:
        make_referral(family, officer, suspect_member, parts=["situation"])
    assert "als verdacht gemarkeerd" in str(refused.value.error_dict["consent_given_by"])
    with pytest.raises(ValidationError):
        referrals.consent_record(
            family=family,
            created_by=officer,
            purpose=ConsentPurpose.VICTIM_REGISTRATION,
            route=ConsentRoute.CAREGIVER,
            given_by=suspect_member,
            manner=ConsentManner.WRITTEN,
            given_on=timezone.localdate(),
            child=ChildFactory(family=family, born_on=timezone.localdate() - timedelta(days=365 * 12)),
        )
    assert not Referral.objects.exists() and not Consent.objects.exists()


def test_the_form_does_not_even_offer_a_suspected_caregiver(family, officer, member, suspect_member, login):
    client = login(officer)
    page = client.get(reverse("families:referral_add", args=[family.pk]))
    assert "Sid Suspect" not in page.content.decode()
    response = client.post(
        reverse("families:referral_add", args=[family.pk]), form_data(member, consent_given_by=suspect_member.pk)
    )
    assert response.status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "route, fields",
    [
        (ConsentRoute.OTHER_CAREGIVER, {"manner": ConsentManner.WRITTEN}),
        (ConsentRoute.CHILD_PROTECTION_BOARD, {"decided_by": "Raad voor de Kinderbescherming, J. Smit"}),
        (ConsentRoute.COURT, {"decided_by": "Rechtbank Amsterdam"}),
        (ConsentRoute.WITHOUT_CONSENT, {}),
    ],
)
def test_the_other_route_is_recorded_with_who_when_and_why(route, fields, family, officer, suspect_member, login):
    other = HouseholdMemberFactory(family=family, full_name="Ben Other", relation="father", user=None)
    victim = ChildFactory(family=family, born_on=timezone.localdate() - timedelta(days=365 * 13))
    consent = referrals.consent_record(
        family=family,
        created_by=officer,
        purpose=ConsentPurpose.VICTIM_REGISTRATION,
        route=route,
        given_by=other,
        given_on=timezone.localdate(),
        reason="The stepfather is suspected; he is not asked.",
        child=victim,
        victim_register="Slachtofferhulp",
        **fields,
    )
    assert consent.is_alternative_route
    assert consent.given_by == (other if route == ConsentRoute.OTHER_CAREGIVER else None)
    event = AuditEvent.objects.filter(detail__what="consent_recorded").get()
    assert event.detail["alternative_route"] is True and event.detail["route"] == route
    page = login(officer).get(reverse("families:consents", args=[family.pk])).content.decode()
    assert "The stepfather is suspected; he is not asked." in page


def test_the_other_route_needs_a_reason(family, officer):
    with pytest.raises(ValidationError) as refused:
        referrals.consent_record(
            family=family,
            created_by=officer,
            purpose=ConsentPurpose.PORTAL_INVITATION,
            route=ConsentRoute.WITHOUT_CONSENT,
            given_on=timezone.localdate(),
            about_member=HouseholdMemberFactory(family=family, user=None),
        )
    assert "reason" in refused.value.error_dict


def test_a_decision_of_the_board_names_who_took_it(family, officer):
    with pytest.raises(ValidationError) as refused:
        referrals.consent_record(
            family=family,
            created_by=officer,
            purpose=ConsentPurpose.PORTAL_INVITATION,
            route=ConsentRoute.CHILD_PROTECTION_BOARD,
            given_on=timezone.localdate(),
            reason="A parent is suspected.",
            about_member=HouseholdMemberFactory(family=family, user=None),
        )
    assert "decided_by" in refused.value.error_dict


def test_a_portal_invitation_is_never_consented_for_a_suspected_caregiver(family, officer, member, suspect_member):
    with pytest.raises(ValidationError) as refused:
        referrals.consent_record(
            family=family,
            created_by=officer,
            purpose=ConsentPurpose.PORTAL_INVITATION,
            route=ConsentRoute.CAREGIVER,
            given_by=member,
            manner=ConsentManner.SPOKEN,
            given_on=timezone.localdate(),
            about_member=suspect_member,
        )
    assert "about_member" in refused.value.error_dict


def test_while_a_concern_is_open_asking_a_caregiver_needs_a_confirmation(family, officer, member, login):
    concern = concerns.concern_raise(family=family, raised_by=officer, reason="The child is afraid to go home.")
    client = login(officer)
    page = client.get(reverse("families:referral_add", args=[family.pk]))
    assert "Er staat een zorg open" in page.content.decode()
    response = client.post(reverse("families:referral_add", args=[family.pk]), form_data(member))
    assert response.status_code == 400
    assert not Referral.objects.exists()
    referral = make_referral(family, officer, member, parts=["situation"], confirm_despite_concern=True)
    event = AuditEvent.objects.filter(detail__what="consent_recorded").get()
    assert event.detail["despite_open_concern"] == concern.pk
    assert referral.consent.given_by == member


def test_a_victim_of_16_or_older_is_not_registered_on_the_parents_consent(family, officer, member):
    victim = ChildFactory(family=family, born_on=date(2005, 1, 1))
    with pytest.raises(ValidationError) as refused:
        referrals.consent_record(
            family=family,
            created_by=officer,
            purpose=ConsentPurpose.VICTIM_REGISTRATION,
            route=ConsentRoute.CAREGIVER,
            given_by=member,
            manner=ConsentManner.SPOKEN,
            given_on=timezone.localdate(),
            child=victim,
        )
    assert "child" in refused.value.error_dict


def test_consent_for_a_victim_registration_is_recorded_on_the_page(family, officer, member, login):
    victim = ChildFactory(
        family=family, full_name="Noa Jansen", born_on=timezone.localdate() - timedelta(days=365 * 14)
    )
    response = login(officer).post(
        reverse("families:consent_add", args=[family.pk]),
        {
            "purpose": "victim_registration",
            "child": victim.pk,
            "victim_register": "Slachtofferhulp Nederland",
            "route": "caregiver",
            "given_by": member.pk,
            "manner": "written",
            "given_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.child, consent.given_by, consent.manner) == (victim, member, "written")


# Bad input saves nothing.


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"parts": []}, "parts"),
        ({"consent_route": ""}, "consent_route"),
        ({"consent_given_by": ""}, "consent_given_by"),
        ({"consent_manner": ""}, "consent_manner"),
        ({"sent_on": "9999-01-01"}, "sent_on"),
        ({"sent_on": "1850-01-01"}, "sent_on"),
        ({"consent_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "consent_on"),
        ({"situation": ""}, "situation"),
        ({"consent_route": "without_consent", "consent_reason": ""}, "consent_reason"),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(changes, field, family, officer, member, login):
    response = login(officer).post(reverse("families:referral_add", args=[family.pk]), form_data(member, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Referral.objects.exists() and not Consent.objects.exists()


def test_consent_after_the_referral_was_sent_is_refused(family, officer, member):
    with pytest.raises(ValidationError) as refused:
        make_referral(family, officer, member, parts=["situation"], sent_on=timezone.localdate() - timedelta(days=2))
    assert "consent_on" in refused.value.error_dict


def test_a_double_submit_makes_one_referral(family, officer, member, login):
    client = login(officer)
    page = client.get(reverse("families:referral_add", args=[family.pk]))
    token = page.context["form"].initial["submission"]
    data = form_data(member, submission=token)
    first = client.post(reverse("families:referral_add", args=[family.pk]), data)
    second = client.post(reverse("families:referral_add", args=[family.pk]), data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Referral.objects.count() == Consent.objects.count() == 1


# The referral's way: sent, accepted, declined, closed.


def test_an_accepted_referral_starts_an_involvement_and_keeps_its_history(family, officer, member, login):
    referral = make_referral(family, officer, member, parts=["situation"])
    response = login(officer).post(
        reverse("families:referral_status", args=[family.pk, referral.pk]),
        {
            "status": "accepted",
            "changed_on": timezone.localdate().isoformat(),
            "note": "Intake next week.",
            "start_involvement": "on",
            "worker_name": "Ilse Intake",
            "revision": referral.revision,
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.involvement.worker_name == "Ilse Intake" and referral.involvement.agency == "youth_care"
    assert list(referral.status_changes.values_list("status", flat=True)) == ["sent", "accepted"]
    whats = list(AuditEvent.objects.filter(detail__has_key="what").values_list("detail__what", flat=True))
    assert {"referral_sent", "referral_status_changed", "agency_involvement_added"} <= set(whats)
    timeline = login(officer).get(reverse("families:agencies", args=[family.pk])).content.decode()
    assert "Ilse Intake" in timeline and reverse("families:referral", args=[family.pk, referral.pk]) in timeline


def test_a_stale_status_change_is_refused_with_409(family, officer, supervisor, member, login):
    referral = make_referral(family, officer, member, parts=["situation"])
    seen = referral.revision
    referrals.referral_status_change(
        referral=referral, changed_by=supervisor, status="declined", changed_on=timezone.localdate(), revision=seen
    )
    referral.refresh_from_db()
    with pytest.raises(ValidationError):
        referrals.referral_status_change(
            referral=referral, changed_by=officer, status="closed", changed_on=timezone.localdate(), revision=seen
        )
    referral.status = ReferralStatus.SENT
    referral.save(update_fields=["status"])
    response = login(officer).post(
        reverse("families:referral_status", args=[family.pk, referral.pk]),
        {"status": "accepted", "changed_on": timezone.localdate().isoformat(), "revision": seen},
    )
    assert response.status_code == 409
    assert ReferralStatusChange.objects.filter(referral=referral).count() == 2


def test_a_finished_referral_takes_no_new_status(family, officer, member, login):
    referral = make_referral(family, officer, member, parts=["situation"])
    referrals.referral_status_change(
        referral=referral, changed_by=officer, status="declined", changed_on=timezone.localdate(), revision=1
    )
    url = reverse("families:referral_status", args=[family.pk, referral.pk])
    assert login(officer).get(url).status_code == 404


def test_a_status_before_the_current_one_is_refused(family, officer, member):
    referral = make_referral(family, officer, member, parts=["situation"])
    with pytest.raises(ValidationError) as refused:
        referrals.referral_status_change(
            referral=referral,
            changed_by=officer,
            status="accepted",
            changed_on=timezone.localdate() - timedelta(days=1),
            revision=1,
        )
    assert "changed_on" in refused.value.error_dict


def test_only_an_accepted_referral_starts_an_involvement(family, officer, member):
    referral = make_referral(family, officer, member, parts=["situation"])
    with pytest.raises(ValidationError):
        referrals.referral_status_change(
            referral=referral,
            changed_by=officer,
            status="declined",
            changed_on=timezone.localdate(),
            revision=1,
            start_involvement=True,
            worker_name="Someone",
        )
    assert not AgencyInvolvement.objects.exists()


# A constant number of queries.


def test_the_agency_timeline_costs_the_same_for_many_referrals(
    family, officer, member, login, django_assert_max_num_queries
):
    client = login(officer)
    make_referral(family, officer, member, parts=["situation"])
    url = reverse("families:agencies", args=[family.pk])
    client.get(url)
    for _ in range(8):
        make_referral(family, officer, member, parts=["agencies"])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    counted = len(few.captured_queries)
    for _ in range(8):
        make_referral(family, officer, member, parts=["agencies"])
    with django_assert_max_num_queries(counted):
        assert client.get(url).status_code == 200


def test_the_consents_page_costs_the_same_for_many_consents(
    family, officer, member, login, django_assert_max_num_queries
):
    client = login(officer)
    for _ in range(3):
        make_referral(family, officer, member, parts=["situation"])
    url = reverse("families:consents", args=[family.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    counted = len(few.captured_queries)
    for _ in range(6):
        make_referral(family, officer, member, parts=["situation"])
    with django_assert_max_num_queries(counted):
        assert client.get(url).status_code == 200


def test_the_consents_page_is_paginated_by_25_newest_first(family, officer, member, english):
    today = timezone.localdate()
    for days_ago in range(30):
        Consent.objects.create(
            family=family,
            purpose=ConsentPurpose.PORTAL_INVITATION,
            route=ConsentRoute.CAREGIVER,
            given_by=member,
            manner=ConsentManner.SPOKEN,
            about_member=member,
            given_on=today - timedelta(days=days_ago),
            created_by=officer,
        )
    client = english(officer)
    url = reverse("families:consents", args=[family.pk])
    first = client.get(url)
    assert [consent.given_on for consent in first.context["page"].object_list][:2] == [today, today - timedelta(1)]
    assert len(first.context["page"].object_list) == 25
    body = first.content.decode()
    assert "Page 1 of 2" in body and "?page=2" in body
    second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert second.context["page"].object_list[4].given_on == today - timedelta(days=29)
    # A page past the end shows the last one.
    assert client.get(url, {"page": 9}).context["page"].number == 2


# Subject access and retention.


def test_a_parents_export_holds_the_referral_and_never_the_other_route(family, officer, member):
    make_referral(family, officer, member, parts=["situation"], question="QUESTION-for-youth-care")
    other = HouseholdMemberFactory(family=family, full_name="Ben Other", relation="father", user=None)
    make_referral(
        family,
        officer,
        member,
        parts=["agencies"],
        consent_route=ConsentRoute.OTHER_CAREGIVER,
        consent_given_by=other,
        consent_reason=hidden("routereason"),
    )
    text = as_json(subject_access_for_member(member))
    assert "QUESTION-for-youth-care" in text and "Mia Parent" in text
    assert forbidden_in(text) == []


def test_the_chronology_shows_the_referral_to_its_police_and_the_consent_to_staff_only(
    family, officer, police, member, english
):
    make_referral(family, officer, member, parts=["situation"])
    url = reverse("families:chronology", args=[family.pk])
    for_officer = english(officer).get(url).content.decode()
    for_police = english(police).get(url).content.decode()
    assert "Referral to Youth care: Sent" in for_officer and "Referral to Youth care: Sent" in for_police
    assert "Consent for sharing a summary" in for_officer
    assert "Consent for sharing a summary" not in for_police
