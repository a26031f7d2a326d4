"""Subject access: an administrator exports everything held about one parent or child,
as PDF and JSON, without what must be withheld, and with the withheld kinds listed.

Every field that must be withheld carries a marker (STAFFONLY-, POLICEONLY-, SUSPICION-,
CONFIDENTIAL-, OTHERPARENT-, DRAFTONLY-, in the criminal cases JUSTICE-UNAPPROVED- and
JUSTICE-SUSPECTCASE-, and in the screen, the concerns, the Meldcode steps and protective
mode INFAMILY-) so that a test can prove none of them reaches the PDF text or the JSON.
When a child was seen alone carries SEENALONE-: only in that child's export, never what
was discussed."""

import json
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from families.models import (
    AgencyInvolvement,
    Article,
    ArticleDiscussion,
    ArticleSent,
    ArticleVersion,
    CaseMilestone,
    Consent,
    ContactEntry,
    CriminalCase,
    FollowUpAction,
    HouseholdMember,
    Incident,
    MissingEpisode,
    PortalMessage,
    ProgressReview,
    SharedInformation,
    SupervisionNote,
)
from families.services import concerns, justice, library, referrals
from families.services.protection import protective_mode_close, protective_mode_start
from liaison.audit.models import AuditAction, AuditEvent
from liaison.privacy.subject_access import as_json, subject_access_for_child, subject_access_for_member
from tests.factories import ChildFactory, FamilyFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

# Never in any export.
ALWAYS_HIDDEN = (
    "STAFFONLY",
    "POLICEONLY",
    "SUSPICION",
    "OTHERPARENT",
    "0612999888",
    "DRAFTONLY",
    "UNAPPROVED",
    "SUSPECTCASE",
    "INFAMILY",
    "SEENALONE-discussed",
)
# What the police approved for the parents in the history's criminal cases.
JUSTICE_APPROVED = ("JUSTICE-approved-report", "JUSTICE-approved-hearing")
# Listed in every export, whoever it is about, without a count.
JUSTICE_NEITHER_CONFIRM_NOR_DENY = (
    "Criminal cases, or steps of them, that the police have not approved for the parents to read about",
    "Whether a parent or caregiver is the suspect in a criminal case",
)
# Listed in every export, whoever it is about, without a count: what is recorded when a
# parent may be the exploiter is in no export.
CONCERN_NEITHER_CONFIRM_NOR_DENY = (
    "Whether there is a concern that a parent or caregiver is involved: the screen for exploitation "
    "within the family, the concern, the steps of the Meldcode, the protective measures taken and "
    "what was recorded while they hold"
)
PLAN_FOR_PARENTS = ("FORPARENTS-sign", "FORPARENTS-do", "FORPARENTS-action", "FORPARENTS-profile", "FORPARENTS-contact")


@pytest.fixture(autouse=True)
def in_english():
    """What is made outside a request is made in English (pages: the ``english`` client)."""
    with translation.override("en"):
        yield


def pdf_text(content: bytes) -> str:
    """Every page's words with all white space removed, so a line break cannot hide a marker."""
    return "".join("".join(page.extract_text().split()) for page in PdfReader(BytesIO(content)).pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


def withheld_kinds(export) -> dict[str, int | None]:
    return {item.kind: item.count for item in export.withheld}


def pdf_url(kind: str, pk: int) -> str:
    return reverse("subject_access_pdf", args=[kind, pk])


def json_url(kind: str, pk: int) -> str:
    return reverse("subject_access_json", args=[kind, pk])


# Who may use it


def test_administrator_finds_parents_and_children_by_name(english, administrator, history, member, child):
    response = english(administrator).get(reverse("subject_access"), {"q": "Noor"})
    assert response.status_code == 200
    assert response.context["children"] == [child]
    assert pdf_url("child", child.pk) in response.content.decode()
    response = english(administrator).get(reverse("subject_access"), {"q": "mia par"})
    assert response.context["members"] == [member]
    assert json_url("member", member.pk) in response.content.decode()


def test_administrator_finds_everyone_of_a_family_by_reference(english, administrator, history, member, child):
    response = english(administrator).get(reverse("subject_access"), {"q": history.reference})
    body = response.content.decode()
    assert member in response.context["members"]
    assert child in response.context["children"]
    assert history.reference in body
    assert "suspected" not in body.lower()


def test_the_search_page_without_a_query_shows_only_the_form(english, administrator):
    response = english(administrator).get(reverse("subject_access"))
    assert response.status_code == 200
    assert response.context["members"] is None
    assert not AuditEvent.objects.filter(detail__what="subject_access_search").exists()


@pytest.mark.parametrize("query", ["", "a", " b "])
def test_a_too_short_search_gets_a_clear_error(english, administrator, history, query):
    response = english(administrator).get(reverse("subject_access"), {"q": query})
    assert response.status_code == 400
    assert "q" in response.context["form"].errors
    assert "govuk-error-summary" in response.content.decode()
    assert response.context["members"] is None


def test_a_search_is_audited_without_the_words_searched_for(english, administrator, history):
    english(administrator).get(reverse("subject_access"), {"q": "Noor"})
    event = AuditEvent.objects.get(detail__what="subject_access_search")
    assert event.actor == administrator
    assert event.detail == {"what": "subject_access_search", "found": 1}


def test_administrator_downloads_a_parents_pdf_and_json(english, administrator, history, member):
    client = english(administrator)
    response = client.get(pdf_url("member", member.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-member-{member.pk}.pdf"'
    response = client.get(json_url("member", member.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-member-{member.pk}.json"'
    assert json.loads(response.content.decode("utf-8"))["subject"]["name"] == "Mia Parent"


def test_every_export_is_audited(english, administrator, history, member, child):
    client = english(administrator)
    client.get(pdf_url("member", member.pk))
    client.get(json_url("child", child.pk))
    events = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, detail__what="subject_access_export")
    assert [(event.detail["subject"], event.detail["format"]) for event in events.order_by("id")] == [
        (f"member:{member.pk}", "pdf"),
        (f"child:{child.pk}", "json"),
    ]
    assert {event.actor_id for event in events} == {administrator.pk}
    assert {event.family_id for event in events} == {history.pk}


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police", "parent", "suspect_caregiver", "outsider"])
def test_every_other_persona_gets_404(request, english, history, member, child, persona):
    client = english(request.getfixturevalue(persona))
    assert client.get(reverse("subject_access"), {"q": "Noor"}).status_code == 404
    assert client.get(pdf_url("member", member.pk)).status_code == 404
    assert client.get(json_url("child", child.pk)).status_code == 404
    assert not AuditEvent.objects.filter(detail__what="subject_access_export").exists()


def test_an_administrator_without_the_second_factor_is_sent_to_it(english, administrator, member):
    response = english(administrator, verified=False).get(pdf_url("member", member.pk))
    assert response.status_code == 302
    assert "second-factor" in response["Location"]


@pytest.mark.parametrize("url", ["search", "pdf", "json"])
def test_other_methods_are_refused(english, administrator, member, url):
    target = {
        "search": reverse("subject_access"),
        "pdf": pdf_url("member", member.pk),
        "json": json_url("member", member.pk),
    }[url]
    client = english(administrator)
    assert client.post(target).status_code == 405
    assert client.delete(target).status_code == 405


@pytest.mark.parametrize("kind, pk", [("family", 1), ("member", 999999), ("child", 999999)])
def test_an_unknown_person_is_404(english, administrator, member, kind, pk):
    assert english(administrator).get(pdf_url(kind, pk)).status_code == 404


# What a parent's export holds


def test_a_parents_export_holds_what_is_about_them(history, member):
    text = squeeze(as_json(subject_access_for_member(member)))
    for expected in (
        "MiaParent",
        "parent@example.org",
        "HOMEVISIT-summary",
        "FOLLOWUP-action",
        "INCIDENT-description",
        "AGENCY-worker",
        "REVIEW-evidence",
        "SHARED-by-parent",
        "CONFIDENTIAL-shared",  # their own item: the confidence is kept from the child, not from them
        "MESSAGE-from-parent",
        "MESSAGE-from-officer",
        "AGREEMENT-words",
        "PARENTCOMMENT-own",
        "PatPolice",  # who endorsed the plan, as on the parents' copy
        *PLAN_FOR_PARENTS,
        *JUSTICE_APPROVED,
    ):
        assert expected in text, expected


def test_a_parents_export_holds_their_needs_as_they_stand_without_the_staff_notes(history, member):
    export = subject_access_for_member(member)
    text = as_json(export)
    assert "NEEDS-helper-now" in text and "NEEDS-step-now" in text
    assert 'NEEDS-helper"' not in text and "STAFFONLY-need-note" not in text
    assert withheld_kinds(export)["Notes written by staff about the parents' needs"] == 1


def test_a_need_changed_under_protective_mode_stays_out_of_the_parents_export(history, member, officer):
    from families.models import ParentNeed
    from families.services import needs

    need = ParentNeed.objects.get(family=history)
    protective_mode_start(family=history, started_by=officer, reason="INFAMILY-again")
    needs.need_change(
        need=need,
        changed_by=officer,
        base_revision=need.revision,
        kind="debts",
        since_on=need.since_on,
        status="being_helped",
        helper="NEEDS-helper-under-protection",
    )
    text = as_json(subject_access_for_member(member))
    assert "NEEDS-helper-now" in text and "NEEDS-helper-under-protection" not in text


def published_article(administrator, dutch: str, english: str):
    """A published article titled BIEB-<dutch> in Dutch and LIBRARY-<english> in English."""
    article = library.article_create(
        author=administrator, title_nl=f"BIEB-{dutch}", title_en=f"LIBRARY-{english}", body_nl="Tekst", body_en="Text"
    )
    return library.article_publish(article=article, actor=administrator)


@pytest.fixture
def talked_through(history, officer, administrator):
    """The officer sent the family an article of the library, the parents opened it, and
    they talked another one through: LIBRARY- for the titles a parent's export shows,
    STAFFONLY- for the officer's note on the talk (counted, not shown)."""
    sent = published_article(administrator, "verstuurd", "sent")
    talked = published_article(administrator, "besproken", "talked")
    library.article_send(family=history, article=sent, officer=officer)
    ArticleSent.objects.update(read_at=timezone.now())
    library.article_discussion_record(
        family=history,
        article=talked,
        officer=officer,
        discussed_on=timezone.localdate() - timedelta(days=1),
        note="STAFFONLY-talk-note",
    )
    return history


def test_a_parents_export_holds_the_articles_sent_and_talked_through_without_the_note(talked_through, member):
    export = subject_access_for_member(member)
    sections = {section.group: section for section in export.sections}
    sent, talked = sections["Articles sent"], sections["Articles discussed"]
    assert sent.title.startswith("LIBRARY-sent")
    assert {"Article", "Sent at", "Read by the parents at"} <= {label for label, _value in sent.rows}
    assert ("Article", "LIBRARY-talked") in talked.rows
    assert ("Discussed on", timezone.localdate() - timedelta(days=1)) in talked.rows
    assert "STAFFONLY-talk-note" not in as_json(export)
    assert withheld_kinds(export)["Notes written by staff about the articles talked through with the parents"] == 1


def test_a_parents_export_names_the_articles_in_the_language_it_is_made_in(talked_through, member):
    with translation.override("nl"):
        text = as_json(subject_access_for_member(member))
    assert "BIEB-verstuurd" in text and "BIEB-besproken" in text
    assert "LIBRARY-sent" not in text and "Verstuurde artikelen" in text


def test_an_article_talked_through_under_protective_mode_stays_out_of_the_parents_export(
    talked_through, member, officer, administrator
):
    protective_mode_start(family=talked_through, started_by=officer, reason="INFAMILY-again")
    later = published_article(administrator, "later", "later")
    library.article_discussion_record(
        family=talked_through, article=later, officer=officer, discussed_on=timezone.localdate()
    )
    text = as_json(subject_access_for_member(member))
    assert "LIBRARY-talked" in text and "LIBRARY-later" not in text


def test_a_childs_export_counts_the_articles_as_work_with_the_parents(history, child, talked_through):
    export = subject_access_for_child(child)
    assert withheld_kinds(export)["Records of the work with the parents"] == 11  # 9 and the two articles
    assert "LIBRARY-" not in as_json(export)


def test_a_parents_export_holds_the_consents_they_gave_and_never_the_other_route(
    history, officer, member, other_parent
):
    referrals.consent_record(
        family=history,
        created_by=officer,
        purpose="portal_invitation",
        route="caregiver",
        given_by=member,
        manner="written",
        given_on=timezone.localdate(),
        about_member=member,
        confirm_despite_concern=True,
    )
    referrals.consent_record(
        family=history,
        created_by=officer,
        purpose="portal_invitation",
        route="other_caregiver",
        given_by=other_parent,
        manner="spoken",
        reason="SUSPICION-route-reason",
        given_on=timezone.localdate(),
        about_member=other_parent,
    )
    export = subject_access_for_member(member)
    consents = [section for section in export.sections if section.group == "Consents"]
    assert len(consents) == 1
    assert ("Consent for", "Inviting a parent to the portal") in consents[0].rows
    assert ("How", "Written") in consents[0].rows and ("Parent or caregiver", "Mia Parent") in consents[0].rows
    theirs = as_json(subject_access_for_member(other_parent))
    assert "Inviting a parent to the portal" in theirs
    for route in ("The other parent or caregiver", "SUSPICION-route-reason", "Who decided"):
        assert route not in theirs


def test_a_parents_export_leaves_out_the_childrens_records(history, member):
    text = as_json(subject_access_for_member(member))
    assert "MISSING-where-found" not in text
    assert "PIET-shared" not in text  # the other parent's, not hers


def test_a_parents_export_lists_every_kind_withheld(history, member):
    kinds = withheld_kinds(subject_access_for_member(member))
    assert kinds["People of concern"] == 2
    assert kinds["Safety plan parts for the police only"] == 5
    assert kinds["Safety plan parts for staff and police only"] == 5
    assert kinds["Drafts of the safety plan not yet shared with the parents"] == 1
    assert kinds["Police notes on the endorsement of the safety plan"] == 1
    assert kinds["Staff comments on the safety plan"] == 1
    assert kinds["Who the person of concern in an incident is"] == 1
    assert kinds["Notes of contacts with the police and of multi-agency meetings"] == 1
    assert kinds["Supervision notes"] == 1
    assert kinds["Handover notes between liaison officers"] == 1
    assert kinds["Referral and closing notes written by staff"] == 1
    assert kinds["Details of the other members of the household"] == 2
    assert kinds["What other members of the household wrote or shared"] == 3
    assert kinds["Children"] == 2
    assert kinds["Whether a parent or caregiver is suspected of exploitation or abuse, and why"] is None
    assert all(kinds[kind] is None for kind in JUSTICE_NEITHER_CONFIRM_NOR_DENY)


def test_the_suspicion_line_is_the_same_whoever_the_export_is_about(history, member, suspect_caregiver, child):
    suspect = HouseholdMember.objects.get(user=suspect_caregiver)
    lines = [
        [item for item in export.withheld if "suspected" in item.kind]
        for export in (
            subject_access_for_member(member),
            subject_access_for_member(suspect),
            subject_access_for_child(child),
        )
    ]
    assert lines[0] == lines[1] == lines[2]
    assert lines[0][0].count is None


def test_a_suspected_caregiver_gets_their_own_details_not_the_case_file(history, suspect_caregiver):
    suspect = HouseholdMember.objects.get(user=suspect_caregiver)
    export = subject_access_for_member(suspect)
    text = squeeze(as_json(export))
    assert "SidSuspect" in text
    assert "suspect@example.org" in text
    for case_data in (
        "HOMEVISIT",
        "INCIDENT",
        "AGENCY",
        "REVIEW",
        "FORPARENTS",
        "MESSAGE-from-officer",
        "SHARED",
        "JUSTICE",
    ):
        assert case_data not in text, case_data
    assert "SUSPICION-reason" not in text
    assert withheld_kinds(export)["The family's case file"] is None


# When a parent may be the exploiter


def caregivers(history, suspect_caregiver) -> list[HouseholdMember]:
    """Every caregiver of the family: the mother and the father, either of whom may be the
    one the concern is about, and the caregiver marked suspected."""
    return [
        HouseholdMember.objects.get(full_name="Mia Parent"),
        HouseholdMember.objects.get(full_name="Piet OTHERPARENT-name"),
        HouseholdMember.objects.get(user=suspect_caregiver),
    ]


@pytest.mark.parametrize("protective_mode", [False, True])
def test_no_caregivers_export_holds_the_screen_the_concern_or_the_meldcode_log(
    english, administrator, officer, history, suspect_caregiver, protective_mode
):
    """A concern is open and it is not known which parent it is about: neither parent's
    export, nor the suspect's, holds anything of the screen, the concerns, the Meldcode
    steps, protective mode or the children seen alone, in the PDF or the JSON."""
    if protective_mode:
        protective_mode_start(family=history, started_by=officer, reason="INFAMILY-protective-now")
    client = english(administrator)
    for member in caregivers(history, suspect_caregiver):
        pdf = pdf_text(client.get(pdf_url("member", member.pk)).content)
        document = client.get(json_url("member", member.pk)).content.decode("utf-8")
        # The step kinds are named after Veilig Thuis; "Meldcode" itself is in the uncounted line.
        for marker in ("INFAMILY", "SEENALONE", "Veilig Thuis", "VeiligThuis", "seen alone", "seenalone"):
            assert marker not in pdf, (member.full_name, marker)
            assert marker not in document, (member.full_name, marker)
        assert "Whetherthereisaconcern" in pdf


def test_the_concern_line_is_the_same_in_every_export_and_never_counted(history, suspect_caregiver, child, sibling):
    exports = [subject_access_for_member(member) for member in caregivers(history, suspect_caregiver)]
    exports += [subject_access_for_child(child), subject_access_for_child(sibling)]
    lines = [[item for item in export.withheld if item.kind == CONCERN_NEITHER_CONFIRM_NOR_DENY] for export in exports]
    assert all(line == lines[0] for line in lines)
    assert [item.count for item in lines[0]] == [None]


def test_the_concern_line_is_there_for_a_family_without_any_concern(family, parent, child):
    """Its presence says nothing: a family that never had a concern has it too."""
    member = parent.household_memberships.get()
    for export in (subject_access_for_member(member), subject_access_for_child(child)):
        assert withheld_kinds(export)[CONCERN_NEITHER_CONFIRM_NOR_DENY] is None


def test_a_childs_export_says_when_they_were_seen_alone_but_not_what_was_discussed(history, child):
    export = subject_access_for_child(child)
    seen = [dict(section.rows) for section in export.sections if section.group == "When the child was seen alone"]
    assert seen == [
        {
            "Date": timezone.localdate() - timedelta(days=3),
            "Seen by": "SEENALONE-by",
            "Agency": "SEENALONE-agency",
            "Where": "SEENALONE-place",
        }
    ]
    assert withheld_kinds(export)["What it was possible to discuss with the child seen alone"] == 1
    text = as_json(export)
    for hidden in ("SEENALONE-discussed", "OTHERPARENT-sibling-seen", "INFAMILY"):
        assert hidden not in text, hidden


def test_a_siblings_export_holds_their_own_times_seen_alone(history, sibling):
    text = as_json(subject_access_for_child(sibling))
    assert "OTHERPARENT-sibling-seen-place" in text
    assert "OTHERPARENT-sibling-seen-discussed" not in text
    assert "SEENALONE" not in text


def record_after_protective_mode_started(family, officer, supervisor, police, parent, child) -> None:
    """Something new in every part of the case a parent's or child's export reads, each
    text with the marker AFTERMODE-."""
    now = timezone.now()
    visit = ContactEntry.objects.create(
        family=family,
        occurred_at=now,
        kind="home_visit",
        with_whom="Mia",
        summary="AFTERMODE-visit",
        created_by=officer,
    )
    FollowUpAction.objects.create(
        family=family,
        contact=visit,
        description="AFTERMODE-follow-up",
        owner="Olivia",
        due_on=timezone.localdate(),
        created_by=officer,
    )
    ContactEntry.objects.create(
        family=family,
        occurred_at=now,
        kind="with_police",
        with_whom="Vice",
        summary="AFTERMODE-police",
        created_by=officer,
    )
    Incident.objects.create(
        family=family,
        occurred_at=now,
        kind="intimidation",
        description="AFTERMODE-incident",
        person_of_concern="AFTERMODE-person",
        created_by=officer,
    )
    ProgressReview.objects.create(
        family=family,
        reviewed_on=timezone.localdate(),
        understanding_score=1,
        understanding_evidence="AFTERMODE-review",
        empowerment_score=1,
        empowerment_evidence="x",
        resilience_score=1,
        resilience_evidence="x",
        created_by=officer,
    )
    AgencyInvolvement.objects.create(
        family=family,
        agency="school",
        worker_name="AFTERMODE-agency",
        started_on=timezone.localdate(),
        created_by=officer,
    )
    SupervisionNote.objects.create(family=family, officer=officer, note="AFTERMODE-supervision", created_by=supervisor)
    MissingEpisode.objects.create(
        family=family, child=child, started_at=now, where_found="AFTERMODE-missing", created_by=officer
    )
    concerns.seen_alone_record(
        family=family,
        created_by=officer,
        child=child,
        seen_on=timezone.localdate(),
        seen_by="AFTERMODE-seen-by",
        agency="Youth care",
        place="At school",
        discussed="AFTERMODE-discussed",
    )
    own = next(item for item in SharedInformation.objects.filter(created_by=parent) if item.text == "SHARED-by-parent")
    SharedInformation.objects.filter(pk=own.pk).update(
        status="acted_on",
        police_feedback="AFTERMODE-feedback",
        acknowledged_at=now,
        acknowledged_by=police,
        status_changed_at=now,
    )
    ChildFactory(family=family, full_name="AFTERMODE-newborn")


def without_time(document: str) -> dict:
    parsed = json.loads(document)
    del parsed["generated_at"]
    return parsed


def test_while_protective_mode_holds_the_exports_stand_still_as_the_portal_does(
    history, officer, supervisor, police, parent, member, other_parent, child
):
    """Nothing new reaches a parent while protective mode holds, not through an export
    either: a parent's and a child's export stay exactly what they were at its start,
    so that nothing in them gives the mode away. When it ends they catch up."""
    protective_mode_start(family=history, started_by=officer, reason="INFAMILY-now")
    subjects = [
        (subject_access_for_member, member),
        (subject_access_for_member, other_parent),
        (subject_access_for_child, child),
    ]
    at_start = [without_time(as_json(build(subject))) for build, subject in subjects]
    record_after_protective_mode_started(history, officer, supervisor, police, parent, child)
    history.refresh_from_db()
    during = [without_time(as_json(build(subject))) for build, subject in subjects]
    assert during == at_start
    assert "AFTERMODE" not in json.dumps(during)

    protective_mode_close(family=history, ended_by=supervisor, note="The signals had another cause.")
    mother = as_json(subject_access_for_member(member))
    for marker in ("AFTERMODE-visit", "AFTERMODE-follow-up", "AFTERMODE-incident", "AFTERMODE-review"):
        assert marker in mother, marker
    assert "AFTERMODE-agency" in mother and "AFTERMODE-feedback" in mother
    assert "AFTERMODE-police" not in mother and "AFTERMODE-person" not in mother  # withheld as ever
    noor = as_json(subject_access_for_child(child))
    assert "AFTERMODE-missing" in noor and "AFTERMODE-seen-by" in noor
    assert "AFTERMODE-discussed" not in noor


# Criminal cases


def step_with_text(text: str) -> CaseMilestone:
    """The parents' text is encrypted: found in Python, not in SQL."""
    return next(step for step in CaseMilestone.objects.all() if step.parents_text == text)


def approve_for_the_other_parent(marker: str, police) -> None:
    step = step_with_text(marker)
    justice.milestone_approve(
        milestone=step, officer=police, parents_see_date=True, shown_despite_suspect=True, notify=False
    )


def test_a_parents_export_holds_the_police_news_as_the_portal_shows_it(history, member):
    export = subject_access_for_member(member)
    news = {section.title: dict(section.rows) for section in export.sections if section.group == "Police and court"}
    assert [rows["Text for the parents"] for rows in news.values()] == [
        "JUSTICE-approved-hearing",  # newest first, as in the portal
        "JUSTICE-approved-report",
    ]
    hearing = next(rows for rows in news.values() if rows["Text for the parents"] == "JUSTICE-approved-hearing")
    assert "Date" not in hearing  # the police did not release the trial's date
    text = as_json(export)
    trial_on = step_with_text("JUSTICE-approved-hearing").occurs_on
    assert trial_on.isoformat() not in text
    for hidden in ("District court", "JUSTICE-UNAPPROVED", "JUSTICE-SUSPECTCASE", "POLICEONLY-case-reference"):
        assert hidden not in text, hidden


def test_a_step_approved_for_the_other_parent_reaches_the_parents_but_never_the_suspect(
    history, member, police, suspect_caregiver, child
):
    approve_for_the_other_parent("JUSTICE-SUSPECTCASE-arrest", police)
    assert "JUSTICE-SUSPECTCASE-arrest" in as_json(subject_access_for_member(member))
    assert "JUSTICE-SUSPECTCASE-arrest" in as_json(subject_access_for_child(child))
    suspect = subject_access_for_member(HouseholdMember.objects.get(user=suspect_caregiver))
    assert "JUSTICE" not in as_json(suspect)
    assert "Sid Suspect" not in as_json(subject_access_for_child(child))


def test_a_caregiver_named_as_suspect_but_not_marked_never_reads_that_case(history, police, other_parent, child):
    case = justice.criminal_case_record(
        family=history, created_by=police, child=child, opened_on=timezone.localdate(), suspected_caregiver=other_parent
    )
    step = justice.milestone_record(
        case=case,
        created_by=police,
        kind="suspect_identified",
        occurs_on=timezone.localdate(),
        parents_text="JUSTICE-about-piet",
    )
    justice.milestone_approve(milestone=step, officer=police, shown_despite_suspect=True, notify=False)
    text = as_json(subject_access_for_member(other_parent))
    assert "JUSTICE-about-piet" not in text
    # Named as a suspect he is untrusted, as in the portal: no case file, not even the other case.
    assert "JUSTICE-approved-report" not in text
    assert "The family's case file" in text


def test_the_criminal_case_lines_say_the_same_whoever_the_export_is_about(history, member, suspect_caregiver, child):
    exports = [
        subject_access_for_member(member),
        subject_access_for_member(HouseholdMember.objects.get(user=suspect_caregiver)),
        subject_access_for_child(child),
    ]
    lines = [[item for item in export.withheld if item.kind in JUSTICE_NEITHER_CONFIRM_NOR_DENY] for export in exports]
    assert lines[0] == lines[1] == lines[2]
    assert [item.count for item in lines[0]] == [None, None]


# What a child's export holds


def test_a_childs_export_holds_what_is_about_the_child(history, child):
    text = squeeze(as_json(subject_access_for_child(child)))
    for expected in ("NoorJansen", "MISSING-where-found", "AGENCY-worker", "SHARED-by-parent", "PIET-shared"):
        assert expected in text, expected
    # The plan parts about the child: the missing-person profile and the warning signs.
    assert "FORPARENTS-profile" in text
    assert "FORPARENTS-sign" in text


def test_a_childs_export_leaves_out_the_parents_records_and_confidences(history, child):
    export = subject_access_for_child(child)
    text = as_json(export)
    for parents_data in (
        "REVIEW-evidence",  # progress reviews are about the parents
        "HOMEVISIT-summary",
        "MESSAGE-from-parent",
        "FORPARENTS-do",
        "FORPARENTS-contact",
        "CONFIDENTIAL-shared",
        "Mia Parent",
        "parent@example.org",
    ):
        assert parents_data not in text, parents_data
    kinds = withheld_kinds(export)
    assert kinds["Information shared in confidence by a parent"] == 1
    assert kinds["Records of the work with the parents"] == 9  # with the parents' one need
    assert "NEEDS-" not in text
    assert kinds["Details of the members of the household"] == 3
    assert kinds["Details of the other children in the family"] == 1
    assert kinds["People of concern"] == 2
    assert kinds["Safety plan parts for the police only"] == 2  # the child's profile and a warning sign
    assert kinds["Safety plan parts for staff and police only"] == 2


def test_a_childs_export_holds_their_criminal_case_as_far_as_the_police_approved_it(history, child):
    export = subject_access_for_child(child)
    cases = [section for section in export.sections if section.group == "Criminal cases"]
    assert len(cases) == 1  # the case against a caregiver has nothing approved for the parents
    assert ("Victim support organisation involved", True) in cases[0].rows
    steps = {section.title: dict(section.rows) for section in export.sections if section.group == "Milestones"}
    report, trial = steps.values()
    assert report["Step"] == "Report made to the police"
    assert report["Text for the parents"] == "JUSTICE-approved-report"
    assert report["Date"] == step_with_text("JUSTICE-approved-report").occurs_on
    # A planned step whose date the police kept back says neither when nor what it is.
    assert trial == {"Text for the parents": "JUSTICE-approved-hearing"}
    text = as_json(export)
    for hidden in ("District court", "Suspect arrested", "Sid Suspect"):
        assert hidden not in text, hidden


def test_a_childs_export_lists_what_of_the_criminal_cases_was_withheld(history, child):
    kinds = withheld_kinds(subject_access_for_child(child))
    assert kinds["Police references of criminal cases"] == 1
    assert kinds["People of concern in criminal cases"] == 1
    assert kinds["Notes for the police only on criminal cases and their steps"] == 2
    assert kinds["Details for staff on criminal cases and their steps"] == 2
    assert kinds["Texts for the parents that the police have not approved for them to read"] == 1
    assert kinds["The date or the kind of a step of a criminal case, where the police did not release it"] == 1
    assert all(kinds[kind] is None for kind in JUSTICE_NEITHER_CONFIRM_NOR_DENY)


def test_a_childs_export_holds_only_their_own_criminal_cases(history, police, member, sibling, child):
    case = justice.criminal_case_record(
        family=history, created_by=police, child=sibling, opened_on=timezone.localdate()
    )
    step = justice.milestone_record(
        case=case, created_by=police, kind="report_made", occurs_on=timezone.localdate(), parents_text="JUSTICE-sibling"
    )
    justice.milestone_approve(milestone=step, officer=police, notify=False)
    assert "JUSTICE-sibling" not in as_json(subject_access_for_child(child))
    assert "JUSTICE-sibling" in as_json(subject_access_for_child(sibling))
    assert "JUSTICE-sibling" in as_json(subject_access_for_member(member))  # the parents read it in the portal


# Nothing withheld ever leaks


@pytest.mark.parametrize("subject", ["member", "suspect", "child"])
def test_no_withheld_marker_reaches_the_pdf_or_the_json(english, administrator, history, suspect_caregiver, subject):
    if subject == "child":
        kind, pk, hidden = "child", history.children.get(full_name="Noor Jansen").pk, ("CONFIDENTIAL",)
    else:
        user = suspect_caregiver if subject == "suspect" else None
        record = HouseholdMember.objects.get(user=user) if user else HouseholdMember.objects.get(full_name="Mia Parent")
        kind, pk, hidden = "member", record.pk, ("SEENALONE",)
    client = english(administrator)
    pdf = pdf_text(client.get(pdf_url(kind, pk)).content)
    document = client.get(json_url(kind, pk)).content.decode("utf-8")
    for marker in (*ALWAYS_HIDDEN, *hidden):
        assert marker not in pdf, marker
        assert marker not in document, marker
    assert "Whatwaswithheldandwhy" in pdf
    assert ("Peopleofconcern" in pdf) is (subject != "suspect")
    assert "Whetheraparentorcaregiverissuspected" in pdf


def test_the_pdf_shows_what_the_json_holds(english, administrator, history, member):
    client = english(administrator)
    pdf = pdf_text(client.get(pdf_url("member", member.pk)).content)
    for expected in (
        "HOMEVISIT-summary",
        "AGREEMENT-words",
        "FORPARENTS-profile",
        "Contactlog",
        "Safetyplan",
        "Policeandcourt",
        *JUSTICE_APPROVED,
    ):
        assert expected in pdf, expected


# The shape


def test_sections_are_titled_rows_and_withheld_items_are_kind_reason_count(history, member):
    export = subject_access_for_member(member)
    assert export.subject.name == "Mia Parent"
    assert export.generated_at <= timezone.now()
    title, rows = export.sections[0]
    assert title == "Mia Parent"
    assert ("Full name", "Mia Parent") in rows
    assert all(len(row) == 2 for section in export.sections for row in section.rows)
    kind, reason, count = export.withheld[0]
    assert kind and reason and (count is None or count > 0)


# The JSON


def test_the_json_has_stable_keys_iso_dates_and_plain_utf8(history, member):
    HouseholdMember.objects.filter(pk=member.pk).update(language="Türkçe")
    document = as_json(subject_access_for_member(member))
    assert "Türkçe" in document
    parsed = json.loads(document)
    assert list(parsed) == ["generated_at", "sections", "subject", "withheld"]
    assert parsed["subject"] == {
        "family_reference": history.reference,
        "id": member.pk,
        "kind": "member",
        "name": "Mia Parent",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+\d\d:\d\d", parsed["generated_at"])
    assert all(list(section) == ["group", "rows", "title"] for section in parsed["sections"])
    assert all(list(item) == ["count", "kind", "reason"] for item in parsed["withheld"])
    rows = {row["label"]: row["value"] for section in parsed["sections"] for row in section["rows"]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", rows["Date of the review"])
    assert rows["Needs an interpreter"] is False


# A fixed number of queries


def _grow(family, officer, parent, child, times: int) -> None:
    now = timezone.now()
    for n in range(times):
        article = Article.objects.create()
        version = ArticleVersion.objects.create(
            article=article, number=1, title_nl=f"a {n}", title_en=f"a {n}", body_nl="x", body_en="x"
        )
        ArticleSent.objects.create(family=family, article=article, version=version, created_by=officer)
        ArticleDiscussion.objects.create(
            family=family, article=article, version=version, discussed_on=timezone.localdate(), created_by=officer
        )
        Consent.objects.create(
            family=family,
            purpose="portal_invitation",
            route="caregiver",
            given_by=parent.household_memberships.get(family=family),
            manner="spoken",
            given_on=timezone.localdate(),
            created_by=officer,
        )
        contact = ContactEntry.objects.create(
            family=family, occurred_at=now, kind="phone", with_whom="Mia", summary=f"call {n}", created_by=officer
        )
        FollowUpAction.objects.create(
            family=family, contact=contact, description="x", owner="y", due_on=timezone.localdate(), created_by=officer
        )
        Incident.objects.create(family=family, occurred_at=now, kind="other", description="x", created_by=officer)
        MissingEpisode.objects.create(family=family, child=child, started_at=now, created_by=officer)
        SharedInformation.objects.create(family=family, text=f"seen {n}", created_by=parent)
        PortalMessage.objects.create(family=family, text=f"hello {n}", from_parent=True, created_by=parent)
        ProgressReview.objects.create(
            family=family,
            reviewed_on=timezone.localdate(),
            understanding_score=3,
            understanding_evidence="x",
            empowerment_score=3,
            empowerment_evidence="x",
            resilience_score=3,
            resilience_evidence="x",
            created_by=officer,
        )
        AgencyInvolvement.objects.create(
            family=family, agency="school", worker_name=f"w{n}", started_on=timezone.localdate(), created_by=officer
        )
        SupervisionNote.objects.create(family=family, officer=officer, note="x", created_by=officer)
        AuditEvent.objects.create(
            occurred_at=now, actor=parent, action=AuditAction.SIGN_IN, previous_hash="0", hash=f"grow-{n}"
        )
        case = CriminalCase.objects.create(
            family=family, child=child, opened_on=timezone.localdate() - timedelta(days=1), created_by=officer
        )
        for kind in ("report_made", "arrested"):
            CaseMilestone.objects.create(
                case=case,
                kind=kind,
                occurs_on=timezone.localdate(),
                parents_text=f"news {n}",
                approved_at=now,
                approved_by=officer,
                parents_see_date=True,
                created_by=officer,
            )


def _queries(build, record) -> int:
    with CaptureQueriesContext(connection) as context:
        build(record)
    return len(context.captured_queries)


@pytest.mark.parametrize("build", [subject_access_for_member, subject_access_for_child])
def test_an_export_costs_the_same_queries_for_a_long_history(history, officer, parent, member, child, build):
    record = member if build is subject_access_for_member else child
    small = _queries(build, record)
    _grow(history, officer, parent, child, 25)
    assert _queries(build, record) == small
    # Who is untrusted as a person is read in up to four small statements (``untrusted_people``).
    assert small <= 35


def test_one_export_holds_every_record_of_the_person(history, member, parent):
    """The same parent in a second family, with the same account: one export, both
    families named, the account once, whichever record it was asked for."""
    elsewhere = HouseholdMemberFactory(family=FamilyFactory(reference="PL-2026-09999"), full_name="Mia P.", user=parent)
    export = subject_access_for_member(member)
    groups = {section.group for section in export.sections}
    assert any(group.startswith(f"{history.reference} · ") for group in groups)
    assert any(group.startswith("PL-2026-09999 · ") for group in groups)
    assert sum(1 for section in export.sections if section.title == parent.email) == 1
    again = subject_access_for_member(elsewhere)
    assert [section.group for section in again.sections] == [section.group for section in export.sections]
