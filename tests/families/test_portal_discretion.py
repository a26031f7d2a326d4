"""Nothing the staff or the police keep for themselves reaches the parents: a marker is
placed in every staff-only and police-only field of a family, then every portal page,
the parents' PDF and every notification e-mail is searched for it."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from families.models import (
    AgencyInvolvement,
    CaregiverSuspicion,
    ContactEntry,
    FollowUpAction,
    Handover,
    Incident,
    MissingEpisode,
    ProgressReview,
)
from families.services.messages import portal_message_send
from families.services.shared import shared_information_acknowledge, shared_information_record
from liaison.accounts.models import Role
from safety_plans import services as plans
from safety_plans.models import Visibility
from tests.factories import ChildFactory, HouseholdMemberFactory, UserFactory
from tests.safety_plans.conftest import add_every_kind

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "STAFFONLY"
PORTAL_PAGES = [
    "portal:home",
    "portal:about",
    "portal:rating",
    "portal:messages",
    "portal:notifications",
    "portal:shared",
    "portal:share",
    "portal:plan",
    "portal:plan_shared",
    "portal:plan_agree",
]


def m(field: str) -> str:
    return f"{MARKER}-{field}"


def fill_the_case_with_markers(family, officer, supervisor, police) -> None:
    """One marker in every free-text field that only staff or police may read."""
    family.referral_note = m("referral")
    family.save()
    child = ChildFactory(family=family, full_name="Noor", school=m("school"))
    HouseholdMemberFactory(family=family, full_name=m("member"), phone=m("phone"), safe_times=m("times"), user=None)
    suspect = HouseholdMemberFactory(family=family, full_name=m("suspect"), relation="stepfather", user=None)
    CaregiverSuspicion.objects.create(member=suspect, reason=m("suspicion"), marked_by=officer)
    contact = ContactEntry.objects.create(
        family=family,
        occurred_at=timezone.now(),
        kind="home_visit",
        with_whom=m("with"),
        summary=m("summary"),
        next_contact_on=timezone.localdate() + timedelta(days=2),
        created_by=officer,
    )
    FollowUpAction.objects.create(
        family=family,
        contact=contact,
        description=m("action"),
        owner=m("owner"),
        due_on=timezone.localdate(),
        created_by=officer,
    )
    AgencyInvolvement.objects.create(
        family=family,
        agency="youth_care",
        worker_name=m("worker"),
        worker_contact=m("reach"),
        started_on=family.referral_on,
        created_by=officer,
    )
    Incident.objects.create(
        family=family,
        occurred_at=timezone.now(),
        kind="intimidation",
        description=m("incident"),
        person_of_concern=m("concern"),
        police_reference=m("ref"),
        created_by=officer,
    )
    MissingEpisode.objects.create(
        family=family,
        child=child,
        started_at=timezone.now() - timedelta(days=2),
        ended_at=timezone.now() - timedelta(days=1),
        where_found=m("found"),
        police_reference=m("missingref"),
        created_by=officer,
    )
    ProgressReview.objects.create(
        family=family,
        reviewed_on=timezone.localdate(),
        understanding_score=2,
        understanding_evidence=m("evidence"),
        understanding_plan=m("plan"),
        empowerment_score=2,
        empowerment_evidence=m("evidence2"),
        resilience_score=2,
        resilience_evidence=m("evidence3"),
        created_by=officer,
    )
    colleague = UserFactory(role=Role.OFFICER, team=family.team)
    Handover.objects.create(
        family=family,
        from_officer=colleague,
        to_officer=officer,
        reason=m("handover"),
        note=m("handovernote"),
        created_by=supervisor,
        acknowledged_at=timezone.now(),
    )
    _plan_with_hidden_parts(family, officer, police, child)


def _plan_with_hidden_parts(family, officer, police, child) -> None:
    """An active plan and a newer version shared with the parents, both holding staff-only
    and police-only parts (marked STAFFONLY and POLICEONLY)."""
    version = plans.plan_version_start(family=family, created_by=officer)
    for visibility, writer in ((Visibility.PARENTS, officer), (Visibility.STAFF, officer), (Visibility.POLICE, police)):
        add_every_kind(version, writer, visibility, child)
    version = plans.plan_review_date_set(
        version=version,
        review_on=timezone.localdate() + timedelta(weeks=8),
        base_revision=version.revision,
        actor=officer,
    )
    version = plans.plan_share(version=version, base_revision=version.revision, actor=officer)
    member = family.household_members.filter(user__isnull=False, is_suspected=False).first()
    plans.plan_agree(version=version, agreed_by=member, words="", recorded_by=officer)
    plans.plan_endorse(version=version, officer=police, note=m("endorsement"))
    newer = plans.plan_version_start(family=family, created_by=officer)
    plans.plan_share(version=newer, base_revision=newer.revision, actor=officer)
    plans.plan_comment_add(version=newer, actor=police, text=m("comment"), by_parent=False)
    plans.plan_reopen(version=newer, actor=officer, reason=m("reopen"))
    newer.refresh_from_db()
    plans.plan_share(version=newer, base_revision=newer.revision, actor=officer)


def hidden_markers_in(text: str) -> list[str]:
    return sorted({word for word in text.split() if "STAFFONLY" in word or "POLICEONLY" in word})


def test_no_portal_page_pdf_or_e_mail_shows_what_staff_and_police_keep(
    login, parent, family, officer, supervisor, police, mailoutbox
):
    fill_the_case_with_markers(family, officer, supervisor, police)
    item = shared_information_record(family=family, shared_by=parent, text="A car outside")
    shared_information_acknowledge(item=item, officer=police, status="acted_on", feedback="We spoke to them.")
    portal_message_send(family=family, author=officer, text="How are you?", from_parent=False)
    client = login(parent)

    for name in PORTAL_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert hidden_markers_in(response.content.decode()) == [], name

    for query in ("", "?shared=1"):
        pdf = client.get(reverse("portal:plan_pdf") + query)
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
        assert "FORPARENTS" in text
        assert hidden_markers_in(text) == [], query

    assert mailoutbox, "the parents were told that there is something new"
    for mail in mailoutbox:
        assert hidden_markers_in(f"{mail.subject} {mail.body}") == []
        assert family.reference not in mail.body and family.display_name not in mail.body
