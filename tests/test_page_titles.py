"""Every page has a title of its own: what the page is, which family for a page of a
case (by its reference, as the case header shows it), and the product. A person with
many tabs open, or a screen-reader user who hears the title first, knows where they are.
After a failed submit the title starts with "Error:", so the first thing heard is that
something went wrong.

The pages come from the table of every URL (tests/test_url_table.py); the titles they
must have are written out below, so two pages can never drift to the same title."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests import test_url_table as url_table
from tests.test_url_table import FILE_ANSWERS, ROWS, Row, client_of, url_of

pytestmark = pytest.mark.django_db

# The fixtures the rows of the table need, as the table has them.
active_plan = url_table.active_plan
agreed_plan = url_table.agreed_plan
archived_family = url_table.archived_family
article = url_table.article
child = url_table.child
closed_case = url_table.closed_case
closure_asked = url_table.closure_asked
concern = url_table.concern
criminal_case = url_table.criminal_case
date_to_check = url_table.date_to_check
draft = url_table.draft
episode = url_table.episode
erasure = url_table.erasure
filled_draft = url_table.filled_draft
follow_up = url_table.follow_up
handover = url_table.handover
invitation = url_table.invitation
invitation_links = url_table.invitation_links
invitation_token = url_table.invitation_token
involvement = url_table.involvement
meeting = url_table.meeting
meeting_item = url_table.meeting_item
voice_question = url_table.voice_question
held_item = url_table.held_item
outcome_note_item = url_table.outcome_note_item
minuted_meeting = url_table.minuted_meeting
minuted_item = url_table.minuted_item
minuted_action = url_table.minuted_action
member = url_table.member
milestone = url_table.milestone
next_officer = url_table.next_officer
parent_need = url_table.parent_need
context_link = url_table.context_link
context_mention = url_table.context_mention
incident = url_table.incident
shared_hit = url_table.shared_hit
context_access = url_table.context_access
photo_profile = url_table.photo_profile
protective_mode = url_table.protective_mode
referral = url_table.referral
review = url_table.review
shared_item = url_table.shared_item
shared_plan = url_table.shared_plan
statement = url_table.statement
suspect_member = url_table.suspect_member

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


# The title of every page in English, as its persona sees it, its parts separated by " | "
# here (by an en dash on the page); ``{reference}`` is the family's case reference. The
# parents' pages name themselves by the portal's neutral name.
TITLES = {
    "library": "Library for parents | Liaison",
    "library_article": "Do's and don'ts | Liaison",
    "library_article_version": "Version 1 of Do's and don'ts | Liaison",
    "library_article_new": "Write a new article | Liaison",
    "library_article_edit": "Change the article | Liaison",
    "library_article_publish": "Take the article out of the portal | Liaison",
    "families:library": "Library for parents | {reference} | Liaison",
    "families:article_send": "Send an article to the parents | {reference} | Liaison",
    "families:article_discussed": "Record an article you talked about | {reference} | Liaison",
    "families:needs": "Parents' needs | {reference} | Liaison",
    "families:need_add": "Record a need of the parents | {reference} | Liaison",
    "families:need_change": "Change a need of the parents | {reference} | Liaison",
    "families:referral_add": "Refer the family to another agency | {reference} | Liaison",
    "families:referral": "Referral: Youth care | {reference} | Liaison",
    "families:referral_status": "Change the status of the referral | {reference} | Liaison",
    "families:consents": "Consents | {reference} | Liaison",
    "families:consent_add": "Record consent | {reference} | Liaison",
    "portal:library": "Library | Mijn overzicht",
    "portal:article": "Do's and don'ts | Mijn overzicht",
    "access_log": "Who looked at file {reference} | Liaison",
    "access_log_find": "Who looked at a family's file | Liaison",
    "account_changes": "Changes to accounts | Liaison",
    "break_glass": "Emergency access | Liaison",
    "contact_details": "How parents reach you | Liaison",
    "dashboard": "Team dashboard | Liaison",
    "attention_list": "No contact for too long | Liaison",
    "context_patterns": "Patterns across families | Liaison",
    "context_hit": "A hit across families | Liaison",
    "context_access_ask": "Ask another unit for access | Liaison",
    "context_access_requests": "Requests for access to hits | Liaison",
    "context_access_decide": "Decide on a request for access | Liaison",
    "families:agencies": "Agencies | {reference} | Liaison",
    "families:agency_add": "Add an agency involvement | {reference} | Liaison",
    "families:agency_change_worker": "Change worker | {reference} | Liaison",
    "families:agency_end": "End an agency involvement | {reference} | Liaison",
    "families:caseload": "Families | Liaison",
    "families:child_add": "Add a child | {reference} | Liaison",
    "families:child_edit": "Change the child's details | {reference} | Liaison",
    "families:chronology": "Chronology | {reference} | Liaison",
    "families:close": "Close the case | {reference} | Liaison",
    "families:closure_decide": "Decide on closing the case | {reference} | Liaison",
    "families:concern_close": "Close the concern | {reference} | Liaison",
    "families:concern_raise": "Raise a concern that a caregiver may be involved | {reference} | Liaison",
    "families:concerns": "Concerns within the family | {reference} | Liaison",
    "families:contact_add": "Log a contact | {reference} | Liaison",
    "families:contexts": "Contexts | {reference} | Liaison",
    "families:context_add": "Record a context: Vehicle | {reference} | Liaison",
    "families:context_review": "Review a context | {reference} | Liaison",
    "families:context_end": "End a context | {reference} | Liaison",
    "families:context_mention_add": "Link a context to the incident | {reference} | Liaison",
    "families:context_mention_record": "Record and link a context: Vehicle | {reference} | Liaison",
    "families:contacts": "Contact log | {reference} | Liaison",
    "families:criminal_case_add": "Record a criminal case | {reference} | Liaison",
    "families:criminal_case_edit": "Change the criminal case | {reference} | Liaison",
    "families:date_correct": "Give the right date | {reference} | Liaison",
    "families:dates_to_check": "Dates to check | {reference} | Liaison",
    "families:detail": "Case overview | {reference} | Liaison",
    "families:edit": "Edit the case | {reference} | Liaison",
    "families:follow_up_done": "Mark a follow-up action as done | {reference} | Liaison",
    "families:handover_acknowledge": "Acknowledge the handover | {reference} | Liaison",
    "families:handover_create": "Hand the case to another officer | {reference} | Liaison",
    "families:incident_add": "Record an incident | {reference} | Liaison",
    "families:incidents": "Incidents and threats | {reference} | Liaison",
    "families:justice": "Police and court | {reference} | Liaison",
    "families:meldcode_step_add": "Record a Meldcode step | {reference} | Liaison",
    "families:member_add": "Add a parent or caregiver | {reference} | Liaison",
    "families:member_edit": "Change the caregiver's details | {reference} | Liaison",
    "families:messages": "Messages | {reference} | Liaison",
    "families:milestone_add": "Record a step of the case | {reference} | Liaison",
    "families:milestone_approve": "Approve the text for the parents | {reference} | Liaison",
    "families:milestone_edit": "Change a step of the case | {reference} | Liaison",
    "families:missing": "Missing episodes | {reference} | Liaison",
    "families:missing_add": "Record a missing episode | {reference} | Liaison",
    "families:missing_return": "Record the return | {reference} | Liaison",
    "families:open": "Open a new case | Liaison",
    "families:parent_rating_add": "Record the parents' own rating | {reference} | Liaison",
    "families:parent_ratings": "The parents' own ratings | {reference} | Liaison",
    "families:progress": "Progress | {reference} | Liaison",
    "families:progress_settings": "Progress settings | {reference} | Liaison",
    "families:protective_mode": "Protective mode | {reference} | Liaison",
    "families:protective_mode_close": "End protective mode | {reference} | Liaison",
    "families:protective_mode_confirm": "Confirm protective mode | {reference} | Liaison",
    "families:reopen": "Reopen the case | {reference} | Liaison",
    "families:return_conversation": "Record the return conversation | {reference} | Liaison",
    "families:review_add": "Intake review (baseline) | {reference} | Liaison",
    "families:review_correct": "Correct a progress review | {reference} | Liaison",
    "families:screen_add": "Screen for exploitation within the family | {reference} | Liaison",
    "families:screens": "Screen for exploitation within the family: history | {reference} | Liaison",
    "families:seen_alone": "Children seen alone | {reference} | Liaison",
    "families:seen_alone_add": "Record that a child was seen alone | {reference} | Liaison",
    "families:shared": "Shared by the parents | {reference} | Liaison",
    "families:shared_acknowledge": "Answer the parents | {reference} | Liaison",
    "families:shared_waiting": "Waiting for the police | Liaison",
    "families:supervision_add": "Supervision note | {reference} | Liaison",
    "families:suspicion_lift": "Lift a suspicion mark | {reference} | Liaison",
    "families:suspicion_mark": "Mark a caregiver as suspected | {reference} | Liaison",
    "family_access_log": "Who looked at this file | {reference} | Liaison",
    "home": "Start | Liaison",
    "invitation_accept": "Accept your invitation | Liaison",
    "invitation_create": "Invite someone | Liaison",
    "invitation_list": "Invitations | Liaison",
    "invitation_revoke": "Withdraw invitation | Liaison",
    "meeting": "Meeting and agenda | Liaison",
    "meeting_edit": "Change the meeting | Liaison",
    "meeting_pack": "Pack for an agency | Liaison",
    "meeting_item_add": "Put an item on the agenda | Liaison",
    "meeting_minutes": "Minutes of the meeting | Liaison",
    "meeting_decision_add": "Record a decision | Liaison",
    "meeting_action_add": "Agree an action | Liaison",
    "meeting_action_done": "Mark an action done | Liaison",
    "meeting_overdue_actions": "Overdue actions of meetings | Liaison",
    "meeting_notes_not_sent": "Notes for the parents not yet sent | Liaison",
    "meeting_schedule": "Schedule a meeting | Liaison",
    "meetings": "Multi-agency meetings | Liaison",
    "family_meetings": "Meetings about the family | {reference} | Liaison",
    "meeting_voice_ask": "Ask the parents before the meeting | {reference} | Liaison",
    "outcome_note_write": "Write the note for the parents | {reference} | Liaison",
    "outcome_note_change": "Change the note for the parents | {reference} | Liaison",
    "outcome_note_approve": "Approve the note for the parents | {reference} | Liaison",
    "outcome_note_send": "Send the note to the parents | {reference} | Liaison",
    "portal:meetings": "Meetings about your family | Mijn overzicht",
    "portal:meeting_answer": "What do you want the meeting to know? | Mijn overzicht",
    "portal:meeting_notes": "What the meeting decided | Mijn overzicht",
    "portal:about": "About this site | Mijn overzicht",
    "portal:home": "My page | Mijn overzicht",
    "portal:justice": "News | Mijn overzicht",
    "portal:messages": "Messages | Mijn overzicht",
    "portal:notifications": "How we tell you about something new | Mijn overzicht",
    "portal:plan": "My plan | Mijn overzicht",
    "portal:plan_agree": "Do you agree with this plan? | Mijn overzicht",
    "portal:plan_shared": "Read the plan | Mijn overzicht",
    "portal:rating": "How are you doing? | Mijn overzicht",
    "portal:share": "Share information | Mijn overzicht",
    "portal:shared": "What you shared | Mijn overzicht",
    "privacy:archive": "Archive of closed cases | Liaison",
    "privacy:archived_case": "Archived case | {reference} | Liaison",
    "privacy:erasure_request": "Erasure request | Liaison",
    "privacy:erasure_request_new": "Record an erasure request | Liaison",
    "privacy:erasure_requests": "Erasure requests | Liaison",
    "privacy:retention": "Retention periods | Liaison",
    "refused_reads": "Refused reads of case files | Liaison",
    "report": "Team report | Liaison",
    "safety_plans:agreement": "Record the parents' agreement | {reference} | Liaison",
    "safety_plans:compare": "Compare two versions of the safety plan | {reference} | Liaison",
    "safety_plans:endorse": "Endorse the plan on behalf of the police | {reference} | Liaison",
    "safety_plans:part_add": "Add to the plan: statement | {reference} | Liaison",
    "safety_plans:part_edit": "Change: statement | {reference} | Liaison",
    "safety_plans:part_remove": "Remove this from the draft? | {reference} | Liaison",
    "safety_plans:plan": "Safety plan | {reference} | Liaison",
    "safety_plans:reopen": "Take the plan back to draft | {reference} | Liaison",
    "safety_plans:review_date": "Review date of the plan | {reference} | Liaison",
    "second_factor_enrol": "Set up sign-in with a code from your phone | Mijn overzicht",
    "second_factor_verify": "Enter your code | Liaison",
    "security": "Security | Liaison",
    "sign_out_everywhere": "Sign out everywhere | Liaison",
    "subject_access": "Subject access requests | Liaison",
    "team_settings": "Team settings | Liaison",
}

PAGES = [row for row in ROWS if row.methods[0] == "GET" and row.status == 200 and row.name not in FILE_ANSWERS]


SEPARATOR = " \N{EN DASH} "


def expected_title(name: str, reference: str) -> str:
    return TITLES[name].format(reference=reference).replace(" | ", SEPARATOR)


def title_of(html: str) -> str:
    found = TITLE.findall(html)
    assert len(found) == 1, f"{len(found)} titles on the page"
    return " ".join(unescape(found[0]).split())


def reference_of(request, row: Row) -> str:
    for arg in row.args:
        if arg in ("family", "archived_family"):
            return request.getfixturevalue(arg).reference
    return request.getfixturevalue("family").reference


@pytest.mark.parametrize("row", PAGES, ids=str)
def test_every_page_has_its_own_title(request, login, row: Row):
    client = client_of(request, login, row, row.persona)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(url_of(request, row))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert title_of(response.content.decode()) == expected_title(row.name, reference_of(request, row))


def test_no_two_pages_share_a_title():
    assert sorted(TITLES) == sorted(row.name for row in PAGES)
    shared = {title for title in TITLES.values() if list(TITLES.values()).count(title) > 1}
    assert not shared


def test_a_case_page_names_the_family_by_its_reference_only(request, login, family, child, officer):
    """Not by the family's name or a child's: a title shows in tabs, history and bookmarks."""
    html = login(officer).get(reverse("families:detail", args=[family.pk])).content.decode()
    title = title_of(html)
    assert family.reference in title
    assert family.display_name not in title
    assert child.full_name not in title
