"""Every URL of the project in one table, and the four answers each must give: the
persona it is for gets the page, a signed-in persona without access gets 404, a method
the view does not take gets 405, and someone signed out is sent to the sign-in page
(except on the few public pages). A URL added without a row here fails the last test.

A row names the URL, the arguments it needs (fixtures, of which the primary key is
used, or a plain word), the fixtures that put the case in the state the page needs,
the persona it is for, every other persona who gets it too, and the methods the view
takes. The URL names of our apps are written out in full in the table only, so renaming
them is one search and replace."""

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from families.models import (
    AgencyInvolvement,
    AgendaItem,
    ConsentManner,
    ConsentRoute,
    ContactEntry,
    ContextHit,
    DateToCheck,
    FollowUpAction,
    Meeting,
    MissingEpisode,
    ProgressReview,
    SharedInformation,
    SummaryPart,
)
from families.services import concerns, contexts, events, justice, library, meetings, needs, referrals
from families.services.case import family_archive, family_close, handover_create
from families.services.closure import closure_request
from families.services.protection import protective_mode_start
from liaison.accounts.models import Invitation, Role
from liaison.privacy.services import erasure_request_create
from liaison.staff import services as accounts
from liaison.uploads import private_storage
from safety_plans import services as plans
from safety_plans.models import MissingProfile, PlanStatement, Visibility
from tests.factories import FamilyFactory, HouseholdMemberFactory, UserFactory, confirmed_totp
from tests.safety_plans import conftest as plan_states

pytestmark = pytest.mark.django_db

# The plans in each state and the child, made as the safety plan tests make them.
child = plan_states.child
draft = plan_states.draft
filled_draft = plan_states.filled_draft
shared_plan = plan_states.shared_plan
agreed_plan = plan_states.agreed_plan
active_plan = plan_states.active_plan

# The apps whose URLs this table must cover; a URL of Django, allauth or the admin is theirs.
OUR_APPS = ("liaison", "families", "safety_plans", "portal")
METHODS = ("GET", "POST", "PUT", "DELETE")


class Plain(str):
    """A URL argument written as it is (a kind of plan part, a kind of subject), not a fixture."""


@dataclass(frozen=True)
class Row:
    name: str
    args: tuple[str, ...] = ()
    # The persona the page is for; it gets ``status`` from the first of ``methods``.
    persona: str = "officer"
    # The other personas who get the same answer.
    also: tuple[str, ...] = ()
    methods: tuple[str, ...] = ("GET",)
    # Fixtures that put the case in the state the page needs.
    needs: tuple[str, ...] = ()
    # Signed-in personas who must get 404; none where every signed-in person may come.
    denied: tuple[str, ...] = ("outsider",)
    status: int = 200
    public: bool = False
    # Whether the persona passed the second factor in this session.
    verified: bool = True

    def __str__(self) -> str:
        return self.name

    @property
    def seen_by(self) -> tuple[str, ...]:
        """Every persona who gets the page."""
        return (self.persona, *self.also)


GET_POST = ("GET", "POST")
POST = ("POST",)


# Every persona of tests/conftest.py, and the staff of the teams among them.
PERSONAS = (
    "officer",
    "other_officer",
    "next_officer",
    "supervisor",
    "police",
    "other_police",
    "analyst",
    "outsider",
    "administrator",
    "parent",
    "suspect_caregiver",
)
TEAMS = ("officer", "other_officer", "next_officer", "supervisor")
STAFF = (*TEAMS, "police", "outsider", "administrator")
# Beside the family's officer: the supervisor of their team, and the family's police partners.
SUPERVISOR = ("supervisor",)
SUPERVISOR_AND_POLICE = ("supervisor", "police")


def others(persona: str, among: tuple[str, ...] = PERSONAS) -> tuple[str, ...]:
    return tuple(other for other in among if other != persona)


# Pages of a case for the family's officer and supervisor only: never the police, a parent
# (suspected or not) or anyone outside the family's team.
STAFF_ONLY = ("outsider", "police", "parent", "suspect_caregiver", "other_officer")
# Pages of a case for the family's staff and its police partners: never a parent.
NOT_FOR_PARENTS = ("outsider", "parent", "suspect_caregiver", "other_officer")


# The staff's library: never the police or a parent (who read it in the portal); only
# administrators change it.
LIBRARY_READERS_ONLY = ("outsider", "police", "parent", "suspect_caregiver")
LIBRARY_EDITORS_ONLY = (*LIBRARY_READERS_ONLY, "officer", "supervisor")


# Multi-agency meetings: for the supervisors of a team and the police partners of a unit;
# a meeting of the team is not the unit's (nor another unit's), and never an officer's or
# a parent's. The outsider, a partner of another unit, keeps that unit's meetings.
NOT_MEETING_KEEPERS = ("officer", "other_officer", "parent", "suspect_caregiver")
NOT_THE_TEAMS_MEETING = (*NOT_MEETING_KEEPERS, "police", "outsider")
# Asking the parents and writing their note: never the police of another unit or a parent.
NOT_ASKING_PARENTS = ("police", "other_police", "other_officer", "outsider", "parent", "suspect_caregiver")


def parents_row(name: str, *args, **fields) -> Row:
    """A page of the parents' portal: for the parent; a suspected caregiver of the same
    family reaches nothing of it, nor does anyone else."""
    return Row(name, *args, persona="parent", denied=("outsider", "suspect_caregiver"), **fields)


ROWS = [
    # liaison/urls.py
    Row("home", persona="administrator", denied=()),
    Row("health", persona="parent", denied=(), public=True),
    Row("favicon", persona="parent", denied=(), public=True, status=302),
    Row("team_settings", persona="supervisor", methods=GET_POST),
    Row("report", persona="supervisor"),
    Row("report_csv", persona="supervisor"),
    Row("dashboard", persona="supervisor"),
    Row("attention_list", (Plain("no_contact"),), persona="supervisor"),
    Row("quick_exit", persona="parent", methods=POST, denied=(), status=303, public=True),
    Row("break_glass", methods=GET_POST, also=others("officer", TEAMS)),
    Row("access_log_find", persona="administrator"),
    Row("access_log", ("family",), persona="administrator"),
    Row("access_log_csv", ("family",), persona="administrator"),
    Row("refused_reads", persona="administrator"),
    Row("account_changes", persona="administrator"),
    Row("family_access_log", ("family",), persona="supervisor"),
    Row("family_access_log_csv", ("family",), persona="supervisor"),
    Row("subject_access", persona="administrator"),
    # Patterns of contexts across families: police partners and analysts of a unit; the CSV
    # for police partners only. Never liaison officers, supervisors or parents.
    Row("context_patterns", persona="analyst", denied=("officer", "supervisor", "parent", "administrator")),
    Row("context_patterns_csv", persona="police", denied=("analyst", "officer", "supervisor", "parent")),
    Row("context_hit", ("shared_hit",), persona="analyst", denied=("officer", "supervisor", "parent", "outsider")),
    Row(
        "context_access_ask",
        ("shared_hit", "other_unit"),
        persona="police",
        methods=GET_POST,
        denied=("officer", "supervisor", "parent", "outsider"),
    ),
    Row("context_access_requests", persona="analyst", denied=("officer", "supervisor", "parent")),
    Row(
        "context_access_decide",
        ("context_access",),
        persona="other_police",
        methods=GET_POST,
        denied=("police", "analyst", "officer", "parent", "outsider"),
    ),
    # The library for parents: officers and supervisors read it, administrators keep it.
    Row("library", persona="administrator", denied=LIBRARY_READERS_ONLY, also=TEAMS),
    Row("library_article", ("article",), persona="administrator", denied=LIBRARY_READERS_ONLY, also=TEAMS),
    Row(
        "library_article_version",
        ("article", Plain("1")),
        denied=LIBRARY_READERS_ONLY,
        also=(*others("officer", TEAMS), "administrator"),
    ),
    Row("library_article_new", persona="administrator", methods=GET_POST, denied=LIBRARY_EDITORS_ONLY),
    Row("library_article_edit", ("article",), persona="administrator", methods=GET_POST, denied=LIBRARY_EDITORS_ONLY),
    Row(
        "library_article_publish", ("article",), persona="administrator", methods=GET_POST, denied=LIBRARY_EDITORS_ONLY
    ),
    Row("meetings", persona="supervisor", denied=NOT_MEETING_KEEPERS),
    Row("meeting_schedule", persona="supervisor", methods=GET_POST, denied=NOT_MEETING_KEEPERS),
    Row("meeting", ("meeting",), persona="supervisor", denied=NOT_THE_TEAMS_MEETING),
    Row("meeting_edit", ("meeting",), persona="supervisor", methods=GET_POST, denied=NOT_THE_TEAMS_MEETING),
    Row("meeting_pack", ("meeting", Plain("school")), persona="supervisor", denied=NOT_THE_TEAMS_MEETING),
    Row("meeting_pack_pdf", ("meeting", Plain("school")), persona="supervisor", denied=NOT_THE_TEAMS_MEETING),
    Row("meeting_item_add", ("meeting",), persona="supervisor", methods=GET_POST, denied=NOT_THE_TEAMS_MEETING),
    # The parents' part of a meeting, on the family's case: the family's officer and supervisor
    # ask the parents and write and send the note; a police partner of the family's unit
    # approves a note about police work. Never another team, another unit or a parent.
    Row("family_meetings", ("family",), also=SUPERVISOR_AND_POLICE, denied=(*NOT_FOR_PARENTS, "other_police")),
    Row("meeting_voice_ask", ("meeting_item",), methods=GET_POST, also=SUPERVISOR, denied=NOT_ASKING_PARENTS),
    Row("outcome_note_write", ("held_item",), methods=GET_POST, also=SUPERVISOR, denied=NOT_ASKING_PARENTS),
    Row("outcome_note_change", ("outcome_note_item",), methods=GET_POST, also=SUPERVISOR, denied=NOT_ASKING_PARENTS),
    Row("outcome_note_send", ("outcome_note_item",), methods=GET_POST, also=SUPERVISOR, denied=NOT_ASKING_PARENTS),
    Row(
        "outcome_note_approve",
        ("outcome_note_item",),
        persona="police",
        methods=GET_POST,
        denied=(*NOT_FOR_PARENTS, "officer", "supervisor", "other_police"),
    ),
    # The minutes of a meeting that took place, and the full lists of what of the meetings waits.
    Row("meeting_minutes", ("minuted_meeting",), persona="supervisor", denied=NOT_THE_TEAMS_MEETING),
    Row(
        "meeting_decision_add",
        ("minuted_meeting", "minuted_item"),
        persona="supervisor",
        methods=GET_POST,
        denied=NOT_THE_TEAMS_MEETING,
    ),
    Row(
        "meeting_action_add",
        ("minuted_meeting", "minuted_item"),
        persona="supervisor",
        methods=GET_POST,
        denied=NOT_THE_TEAMS_MEETING,
    ),
    Row(
        "meeting_action_done",
        ("minuted_meeting", "minuted_action"),
        persona="supervisor",
        methods=GET_POST,
        denied=NOT_THE_TEAMS_MEETING,
    ),
    Row("meeting_overdue_actions", persona="supervisor", also=("police", "outsider"), denied=NOT_MEETING_KEEPERS),
    Row("meeting_notes_not_sent", persona="supervisor", also=("police", "outsider"), denied=NOT_MEETING_KEEPERS),
    Row("subject_access_pdf", (Plain("member"), "member"), persona="administrator"),
    Row("subject_access_json", (Plain("member"), "member"), persona="administrator"),
    # liaison/privacy/urls.py
    Row("privacy:archive", persona="administrator"),
    Row("privacy:archived_case", ("archived_family",), persona="administrator"),
    Row("privacy:archived_case_pdf", ("archived_family",), persona="administrator"),
    Row("privacy:archived_case_reopen", ("archived_family",), persona="administrator", methods=POST, status=400),
    Row("privacy:retention", persona="administrator", methods=GET_POST),
    Row("privacy:erasure_requests", persona="administrator"),
    Row("privacy:erasure_request", ("erasure",), persona="administrator", methods=GET_POST),
    Row("privacy:erasure_request_new", (Plain("member"), "member"), persona="administrator", methods=GET_POST),
    # liaison/accounts/urls.py
    Row("security", denied=(), also=others("officer")),
    Row("contact_details", methods=GET_POST, denied=("parent",), also=others("officer", STAFF)),
    Row("second_factor_enrol", persona="parent", methods=GET_POST, denied=(), also=others("parent")),
    Row("second_factor_verify", methods=GET_POST, denied=(), verified=False, also=others("officer", STAFF)),
    Row("backup_codes_regenerate", methods=POST, denied=("parent",)),
    Row("sign_out_everywhere", methods=GET_POST, denied=(), also=others("officer")),
    Row("invitation_list", also=(*others("officer", TEAMS), "administrator")),
    Row("invitation_create", methods=GET_POST, also=(*others("officer", TEAMS), "administrator")),
    Row("invitation_revoke", ("invitation",), methods=GET_POST, also=("administrator",)),
    Row("invitation_accept", ("invitation_token",), persona="parent", methods=GET_POST, denied=(), public=True),
    # families/urls.py
    Row("families:caseload", denied=("parent",), also=(*others("officer", TEAMS), "police", "outsider")),
    Row("families:open", methods=GET_POST, also=others("officer", TEAMS)),
    Row("families:detail", ("family",), also=SUPERVISOR_AND_POLICE),
    Row("families:edit", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:close", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row(
        "families:closure_decide",
        ("family",),
        persona="supervisor",
        methods=GET_POST,
        needs=("closure_asked",),
        denied=("outsider", "parent", "police", "officer"),
    ),
    Row(
        "families:reopen",
        ("family",),
        persona="supervisor",
        methods=GET_POST,
        needs=("closed_case",),
        denied=("outsider", "parent", "police", "officer"),
    ),
    Row(
        "families:dates_to_check",
        ("family",),
        denied=("outsider", "parent", "other_officer"),
        also=SUPERVISOR_AND_POLICE,
    ),
    Row(
        "families:protective_mode",
        ("family",),
        methods=GET_POST,
        denied=("outsider", "parent", "police"),
        also=SUPERVISOR,
    ),
    Row(
        "families:protective_mode_confirm",
        ("family",),
        persona="supervisor",
        methods=GET_POST,
        needs=("protective_mode",),
        denied=("outsider", "parent", "police", "officer"),
    ),
    Row(
        "families:protective_mode_close",
        ("family",),
        methods=GET_POST,
        needs=("protective_mode",),
        denied=("outsider", "parent", "police"),
        also=SUPERVISOR,
    ),
    Row(
        "families:date_correct",
        ("family", "date_to_check"),
        methods=GET_POST,
        denied=("outsider", "parent", "police", "other_officer"),
        also=SUPERVISOR,
    ),
    Row("families:handover_create", ("family",), persona="supervisor", methods=GET_POST),
    Row("families:handover_acknowledge", ("family",), persona="next_officer", methods=GET_POST, needs=("handover",)),
    Row("families:handover_pack", ("family",)),
    Row("families:child_add", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:child_edit", ("family", "child"), methods=GET_POST, also=SUPERVISOR),
    Row("families:member_add", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:member_edit", ("family", "member"), methods=GET_POST, also=SUPERVISOR),
    Row("families:suspicion_mark", ("family", "member"), methods=GET_POST, also=SUPERVISOR),
    Row("families:suspicion_lift", ("family", "suspect_member"), persona="supervisor", methods=GET_POST),
    Row("families:progress", ("family",), also=SUPERVISOR),
    Row("families:review_add", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:review_correct", ("family", "review"), methods=GET_POST, also=SUPERVISOR),
    Row("families:parent_rating_add", ("family",), methods=GET_POST, also=SUPERVISOR),
    # The parents' own words: never for police partners, not even when progress is shared.
    Row(
        "families:parent_ratings",
        ("family",),
        denied=("outsider", "parent", "police", "other_officer"),
        also=SUPERVISOR,
    ),
    Row("families:progress_settings", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:supervision_add", ("family",), persona="supervisor", methods=GET_POST),
    Row("families:messages", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:shared", ("family",), also=SUPERVISOR_AND_POLICE),
    # The library for parents in the case: never for police partners.
    Row("families:library", ("family",), denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:article_send", ("family",), methods=GET_POST, needs=("article",), denied=STAFF_ONLY, also=SUPERVISOR),
    Row(
        "families:article_discussed",
        ("family",),
        methods=GET_POST,
        needs=("article",),
        denied=STAFF_ONLY,
        also=SUPERVISOR,
    ),
    Row("families:shared_acknowledge", ("family", "shared_item"), persona="police", methods=GET_POST),
    Row("families:shared_attachment", ("family", "shared_item")),
    Row("families:shared_waiting", denied=("parent",), also=(*others("officer", TEAMS), "police", "outsider")),
    # families/urls_contacts.py
    Row("families:contacts", ("family",), also=SUPERVISOR),
    Row("families:contact_add", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:follow_up_done", ("family", "follow_up"), methods=GET_POST, also=SUPERVISOR),
    Row("families:agencies", ("family",), also=SUPERVISOR_AND_POLICE),
    Row("families:agency_add", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:agency_change_worker", ("family", "involvement"), methods=GET_POST, also=SUPERVISOR),
    Row("families:agency_end", ("family", "involvement"), methods=GET_POST, also=SUPERVISOR),
    # families/urls_events.py
    Row("families:incidents", ("family",), also=SUPERVISOR_AND_POLICE),
    Row("families:incident_add", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:missing", ("family",), also=SUPERVISOR_AND_POLICE),
    Row("families:missing_add", ("family",), methods=GET_POST, also=SUPERVISOR),
    Row("families:missing_return", ("family", "episode"), methods=GET_POST, also=SUPERVISOR),
    Row("families:return_conversation", ("family", "episode"), methods=GET_POST, also=SUPERVISOR),
    Row("families:chronology", ("family",), also=SUPERVISOR_AND_POLICE),
    # families/urls_justice.py
    Row("families:justice", ("family",), also=SUPERVISOR_AND_POLICE),
    Row("families:criminal_case_add", ("family",), methods=GET_POST, also=SUPERVISOR_AND_POLICE),
    Row("families:criminal_case_edit", ("family", "criminal_case"), methods=GET_POST, also=SUPERVISOR_AND_POLICE),
    Row("families:milestone_add", ("family", "criminal_case"), methods=GET_POST, also=SUPERVISOR_AND_POLICE),
    Row("families:milestone_edit", ("family", "milestone"), methods=GET_POST, also=SUPERVISOR_AND_POLICE),
    Row("families:milestone_approve", ("family", "milestone"), persona="police", methods=GET_POST),
    Row("families:milestone_approval_withdraw", ("family", "milestone"), persona="police", methods=POST, status=302),
    # families/urls_concerns.py: staff only; police partners learn no more than that a concern is open.
    Row("families:concerns", ("family",), denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:concern_raise", ("family",), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:concern_close", ("family", "concern"), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:meldcode_step_add", ("family", "concern"), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:screens", ("family",), denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:screen_add", ("family",), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:seen_alone", ("family",), denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:seen_alone_add", ("family",), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:needs", ("family",), denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:need_add", ("family",), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:need_change", ("family", "parent_need"), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    # families/urls_contexts.py: the staff of the family and its police partners; never a parent.
    Row("families:contexts", ("family",), denied=NOT_FOR_PARENTS),
    Row("families:context_add", ("family", Plain("vehicle")), methods=GET_POST, denied=NOT_FOR_PARENTS),
    Row("families:context_review", ("family", "context_link"), methods=GET_POST, denied=NOT_FOR_PARENTS),
    Row("families:context_end", ("family", "context_link"), methods=GET_POST, denied=NOT_FOR_PARENTS),
    # Linking a context to an incident, a missing episode or what the parents shared.
    Row(
        "families:context_mention_add",
        ("family", Plain("incident"), "incident"),
        methods=GET_POST,
        needs=("context_link",),
        also=SUPERVISOR_AND_POLICE,
        denied=NOT_FOR_PARENTS,
    ),
    Row(
        "families:context_mention_record",
        ("family", Plain("missing_episode"), "episode", Plain("vehicle")),
        methods=GET_POST,
        also=SUPERVISOR_AND_POLICE,
        denied=NOT_FOR_PARENTS,
    ),
    Row(
        "families:context_mention_end",
        ("family", "context_mention"),
        methods=POST,
        status=302,
        denied=NOT_FOR_PARENTS,
    ),
    # families/urls_referrals.py: the police partners of the family read its referrals.
    Row("families:referral_add", ("family",), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:referral", ("family", "referral"), denied=NOT_FOR_PARENTS, also=SUPERVISOR_AND_POLICE),
    Row("families:referral_pdf", ("family", "referral"), denied=NOT_FOR_PARENTS),
    Row("families:referral_status", ("family", "referral"), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:consents", ("family",), denied=STAFF_ONLY, also=SUPERVISOR),
    Row("families:consent_add", ("family",), methods=GET_POST, denied=STAFF_ONLY, also=SUPERVISOR),
    # safety_plans/urls.py
    Row("safety_plans:plan", ("family",), also=SUPERVISOR_AND_POLICE),
    Row("safety_plans:start", ("family",), methods=POST, status=302),
    Row("safety_plans:review_date", ("family",), methods=GET_POST, needs=("draft",), also=SUPERVISOR),
    Row("safety_plans:share", ("family",), methods=POST, needs=("draft",), status=302),
    Row("safety_plans:reopen", ("family",), methods=GET_POST, needs=("shared_plan",), also=SUPERVISOR_AND_POLICE),
    Row("safety_plans:agreement", ("family",), methods=GET_POST, needs=("shared_plan",), also=SUPERVISOR),
    Row("safety_plans:endorse", ("family",), persona="police", methods=GET_POST, needs=("agreed_plan",)),
    Row("safety_plans:comment", ("family",), methods=POST, needs=("shared_plan",), status=400),
    Row("safety_plans:compare", ("family",), also=SUPERVISOR_AND_POLICE),
    Row("safety_plans:pdf", ("family",), needs=("draft",)),
    Row("safety_plans:photo", ("family", "photo_profile")),
    Row("safety_plans:part_add", ("family", Plain("statement")), methods=GET_POST, needs=("draft",), also=SUPERVISOR),
    Row("safety_plans:part_edit", ("family", Plain("statement"), "statement"), methods=GET_POST, also=SUPERVISOR),
    Row("safety_plans:part_remove", ("family", Plain("statement"), "statement"), methods=GET_POST, also=SUPERVISOR),
    # The parents' portal.
    parents_row("portal:home"),
    parents_row("portal:about"),
    parents_row("portal:rating", methods=GET_POST),
    parents_row("portal:meetings"),
    parents_row("portal:meeting_answer", ("voice_question",), methods=GET_POST),
    parents_row("portal:meeting_notes"),
    parents_row("portal:messages", methods=GET_POST),
    parents_row("portal:notifications", methods=GET_POST),
    parents_row("portal:shared"),
    parents_row("portal:share", methods=GET_POST),
    parents_row("portal:shared_attachment", ("shared_item",)),
    parents_row("portal:justice"),
    parents_row("portal:plan"),
    parents_row("portal:plan_shared", needs=("shared_plan",)),
    parents_row("portal:plan_comment", methods=POST, needs=("shared_plan",), status=400),
    parents_row("portal:plan_agree", methods=GET_POST, needs=("shared_plan",)),
    parents_row("portal:plan_pdf", needs=("active_plan",)),
    parents_row("portal:plan_photo", ("photo_profile",)),
    parents_row("portal:library"),
    parents_row("portal:article", ("article",)),
]

# Pages of allauth and Django that must also open signed out.
# Answers that are files, not pages (CSV, PDF, JSON, photos, attachments, the health text
# and the icon): the checks of every page's title and accessibility pass them by.
FILE_ANSWERS = frozenset(
    {
        "health",
        "favicon",
        "report_csv",
        "context_patterns_csv",
        "access_log_csv",
        "family_access_log_csv",
        "subject_access_pdf",
        "meeting_pack_pdf",
        "subject_access_json",
        "privacy:archived_case_pdf",
        "families:handover_pack",
        "families:shared_attachment",
        "families:referral_pdf",
        "safety_plans:pdf",
        "safety_plans:photo",
        "portal:shared_attachment",
        "portal:plan_pdf",
        "portal:plan_photo",
    }
)

PUBLIC_ELSEWHERE = ["account_login", "account_reset_password"]
# Our URLs that are not pages: each has its own test below.
NOT_PAGES = {
    "admin_login_redirect": "the admin's login, sent to the one sign-in page for every method",
    "set_language": "Django's language switch, tested signed out below",
}


# What the rows need.


@pytest.fixture
def member(parent):
    return parent.household_memberships.get()


@pytest.fixture
def article(administrator):
    """A published article of the library for parents."""
    article = library.article_create(
        author=administrator,
        title_nl="Wat je wel en niet doet",
        title_en="Do's and don'ts",
        body_nl="Houd de deur open.",
        body_en="Keep the door open.",
    )
    return library.article_publish(article=article, actor=administrator)


@pytest.fixture
def suspect_member(suspect_caregiver):
    return suspect_caregiver.household_memberships.get()


@pytest.fixture
def next_officer(team):
    """The officer of the team a supervisor hands the case to."""
    user = UserFactory(role=Role.OFFICER, team=team, full_name="Nina Next", email="next@example.org")
    confirmed_totp(user)
    return user


@pytest.fixture
def handover(family, supervisor, next_officer):
    return handover_create(
        family=family, supervisor=supervisor, to_officer=next_officer, reason="Leave", note="Visit on Mondays."
    )


@pytest.fixture
def date_to_check(family, officer):
    contact = ContactEntry.objects.create(
        family=family, occurred_at=timezone.now(), kind="phone", with_whom="Mother", summary="Met.", created_by=officer
    )
    return DateToCheck.objects.create(
        family=family,
        record="families.ContactEntry",
        record_pk=contact.pk,
        field_name="occurred_at",
        found="0001-01-01",
    )


@pytest.fixture
def protective_mode(family, officer):
    return protective_mode_start(family=family, started_by=officer, reason="The child cannot talk at home.")


@pytest.fixture
def closure_asked(family, officer):
    return closure_request(family=family, requested_by=officer, closing_reason="The child is safe and settled.")


@pytest.fixture
def closed_case(family, supervisor):
    closure_request(family=family, requested_by=supervisor, closing_reason="The child is safe and settled.")
    family.refresh_from_db()
    return family


@pytest.fixture
def archived_family(officer):
    family = FamilyFactory(liaison_officer=officer, display_name="Family Archived")
    family_close(family=family, closed_by=officer, closing_reason="The child is safe and settled.")
    return family_archive(family=family)


@pytest.fixture
def erasure(administrator, member):
    return erasure_request_create(
        requested_by=administrator,
        asked_by="The mother herself",
        grounds="She asked in writing on 3 March to erase everything about her.",
        member=member,
    )


@pytest.fixture
def invitation_links(officer, family) -> list[str]:
    """An officer invites a caregiver recorded without an account; the link is kept here."""
    mira = HouseholdMemberFactory(family=family, full_name="Mira Jansen", email="mira@example.org", user=None)
    links: list[str] = []
    accounts.invitation_create(
        created_by=officer,
        email=mira.email,
        role=Role.PARENT,
        member=mira,
        build_url=lambda path: links.append(path) or path,
    )
    return links


@pytest.fixture
def invitation(invitation_links):
    return Invitation.objects.get()


@pytest.fixture
def invitation_token(invitation_links) -> str:
    return invitation_links[0].rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def review(family, officer):
    return ProgressReview.objects.create(
        family=family,
        reviewed_on=timezone.localdate(),
        understanding_score=3,
        understanding_evidence="Knows the signs",
        empowerment_score=3,
        empowerment_evidence="Keeps a log",
        resilience_score=2,
        resilience_evidence="Sleeps badly",
        created_by=officer,
    )


@pytest.fixture
def follow_up(family, officer):
    visit = ContactEntry.objects.create(
        family=family,
        occurred_at=timezone.now() - timedelta(days=1),
        kind="home_visit",
        with_whom="Mia",
        summary="Talked about the plan.",
        created_by=officer,
    )
    return FollowUpAction.objects.create(
        family=family,
        contact=visit,
        description="Call the school",
        owner="Olivia",
        due_on=timezone.localdate(),
        created_by=officer,
    )


@pytest.fixture
def involvement(family, officer):
    return AgencyInvolvement.objects.create(
        family=family,
        agency="youth_care",
        worker_name="Anna de Vries",
        started_on=timezone.localdate() - timedelta(days=30),
        created_by=officer,
    )


@pytest.fixture
def episode(family, officer, child):
    return MissingEpisode.objects.create(
        family=family,
        child=child,
        started_at=timezone.now() - timedelta(days=2),
        ended_at=timezone.now() - timedelta(days=1),
        where_found="At a friend's",
        created_by=officer,
    )


@pytest.fixture
def criminal_case(family, police, child):
    return justice.criminal_case_record(
        family=family,
        created_by=police,
        child=child,
        police_reference="ZP-2026-77",
        opened_on=timezone.localdate() - timedelta(days=60),
    )


@pytest.fixture
def milestone(criminal_case, police):
    """A step the police approved for the parents."""
    step = justice.milestone_record(
        case=criminal_case,
        created_by=police,
        kind="report_made",
        occurs_on=timezone.localdate() - timedelta(days=60),
        parents_text="A report was made.",
    )
    return justice.milestone_approve(milestone=step, officer=police, notify=False)


@pytest.fixture
def concern(family, officer):
    return concerns.concern_raise(family=family, raised_by=officer, reason="The child is afraid to go home.")


@pytest.fixture
def parent_need(family, officer):
    return needs.need_record(
        family=family,
        created_by=officer,
        kind="debts",
        since_on=timezone.localdate() - timedelta(days=30),
        status="being_helped",
        agency="other",
        helper="Debt counsellor",
        next_step="Meet the debt counsellor",
        next_on=timezone.localdate() + timedelta(days=7),
        note="NEED-note",
    )


@pytest.fixture
def context_link(family, officer):
    return contexts.context_link_record(
        family=family, created_by=officer, kind="vehicle", label="AB-123-C", note="CONTEXT-note"
    )


@pytest.fixture
def incident(family, officer):
    return events.incident_log(
        family=family,
        created_by=officer,
        occurred_at=timezone.now() - timedelta(hours=3),
        kind="stalking",
        description="A car followed the mother home.",
        person_of_concern="Kevin",
    )


@pytest.fixture
def context_mention(context_link, incident, officer):
    """The family's car, named in its incident."""
    return contexts.context_mention_add(link=context_link, created_by=officer, incident=incident)


@pytest.fixture
def shared_hit(family, officer, other_officer, other_unit):
    """The same car in the family (unit North) and in a family of another team and unit."""
    elsewhere = FamilyFactory(liaison_officer=other_officer, team=other_officer.team, police_unit=other_unit)
    contexts.context_link_record(family=family, created_by=officer, kind="vehicle", label="AB-123-C")
    contexts.context_link_record(family=elsewhere, created_by=other_officer, kind="vehicle", label="AB123C")
    return ContextHit.objects.get()


@pytest.fixture
def context_access(shared_hit, police, other_unit):
    """The police partner of unit North asks unit South for access to the hit."""
    return contexts.context_access_request(
        hit=shared_hit, unit=other_unit, requested_by=police, reason="The same car was seen near both schools."
    )


@pytest.fixture
def meeting(family, supervisor):
    """A meeting of the family's team next week, with the family on the agenda."""
    scheduled = meetings.meeting_schedule(
        scheduled_by=supervisor,
        kind="mace",
        held_on=timezone.localdate() + timedelta(days=7),
        chair="Chris Chair",
        venue="Town hall",
        attendances=[("police_vice", "Pat Police"), ("school", "")],
    )
    meetings.agenda_item_add(
        meeting=scheduled,
        added_by=supervisor,
        kind="family",
        family=family,
        presenter="Olivia Officer",
        minutes_allotted=15,
    )
    return scheduled


@pytest.fixture
def meeting_item(meeting):
    """The family's item on the agenda of the meeting next week."""
    return meeting.items.get()


@pytest.fixture
def voice_question(meeting_item, officer, parent):
    """The officer asked the parents what they want the meeting to know."""
    return meetings.parents_voice_ask(item=meeting_item, asked_by=officer, notify=False)


def _held_item(family, supervisor) -> AgendaItem:
    """The family's item on a meeting of the team that took place last week."""
    scheduled = meetings.meeting_schedule(
        scheduled_by=supervisor,
        kind="strategy",
        held_on=timezone.localdate() + timedelta(days=1),
        chair="Chris Chair",
        venue="Town hall",
        attendances=[("police_vice", "Pat Police")],
    )
    item = meetings.agenda_item_add(
        meeting=scheduled, added_by=supervisor, kind="family", family=family, presenter="O", minutes_allotted=10
    )
    Meeting.objects.filter(pk=scheduled.pk).update(held_on=timezone.localdate() - timedelta(days=7))
    return AgendaItem.objects.get(pk=item.pk)


@pytest.fixture
def held_item(family, supervisor):
    return _held_item(family, supervisor)


@pytest.fixture
def outcome_note_item(family, supervisor, officer):
    """An item of a meeting that took place, with a note about police work, not yet approved."""
    item = _held_item(family, supervisor)
    meetings.outcome_note_write(
        item=item, written_by=officer, text="The police will talk to the school.", touches_police_work=True
    )
    return item


@pytest.fixture
def minuted_meeting(meeting):
    """The meeting of the family's team, three days ago: its minutes can be written."""
    type(meeting).objects.filter(pk=meeting.pk).update(held_on=timezone.localdate() - timedelta(days=3))
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def minuted_item(minuted_meeting):
    """The family's item on the agenda of the meeting that took place."""
    return minuted_meeting.items.get()


@pytest.fixture
def minuted_action(minuted_meeting, minuted_item, supervisor):
    """An action agreed at the meeting, open."""
    return meetings.action_agree(
        meeting=minuted_meeting,
        agreed_by=supervisor,
        item=minuted_item,
        description="Call the school about the bus route.",
        owner_agency="school",
        owner_person="Sue School",
        due_on=minuted_meeting.held_on + timedelta(days=14),
    )


@pytest.fixture
def referral(family, officer, member):
    """A referral to youth care with every part of the summary, on the parent's spoken consent
    (confirmed as safe, for the walks over every page that open a concern first)."""
    return referrals.referral_create(
        family=family,
        created_by=officer,
        agency="youth_care",
        question="Family support at home.",
        parts=list(SummaryPart.values),
        situation="The parents look for help at home.",
        sent_on=timezone.localdate(),
        consent_route=ConsentRoute.CAREGIVER,
        consent_on=timezone.localdate(),
        consent_given_by=member,
        consent_manner=ConsentManner.SPOKEN,
        confirm_despite_concern=True,
    )


def jpeg() -> bytes:
    output = BytesIO()
    Image.new("RGB", (40, 30), "white").save(output, format="JPEG")
    return output.getvalue()


@pytest.fixture
def shared_item(family, parent):
    """What the parent shared, with a photo."""
    item = SharedInformation.objects.create(family=family, text="A grey Golf outside school.", created_by=parent)
    name = private_storage().save("shared-information/test", ContentFile(jpeg()))
    SharedInformation.objects.filter(pk=item.pk).update(attachment=name, attachment_type="image/jpeg")
    return item


@pytest.fixture
def photo_profile(shared_plan):
    """The missing-person profile for the parents in the shared plan, with its photo."""
    profile = MissingProfile.objects.get(version=shared_plan, visibility=Visibility.PARENTS)
    name = private_storage().save("missing-profiles/test.jpg", ContentFile(jpeg()))
    MissingProfile.objects.filter(pk=profile.pk).update(photo=name)
    return profile


@pytest.fixture
def statement(draft, officer):
    part = PlanStatement(version=draft, section="warning_signs", text="Comes home late", visibility=Visibility.PARENTS)
    return plans.plan_part_save(version=draft, part=part, base_revision=draft.revision, actor=officer)


# How a row becomes a request.


def url_of(request, row: Row) -> str:
    for need in row.needs:
        request.getfixturevalue(need)
    args = []
    for arg in row.args:
        if isinstance(arg, Plain):
            args.append(str(arg))
        else:
            value = request.getfixturevalue(arg)
            args.append(getattr(value, "pk", value))
    return reverse(row.name, args=args)


def send(client: Client, method: str, url: str):
    return getattr(client, method.lower())(url)


def client_of(request, login, row: Row, persona: str) -> Client:
    return login(request.getfixturevalue(persona), verified=row.verified)


def first_method(row: Row) -> str:
    return row.methods[0]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_the_persona_it_is_for_gets_the_page(request, login, row):
    url = url_of(request, row)
    response = send(client_of(request, login, row, row.persona), first_method(row), url)
    assert response.status_code == row.status


@pytest.mark.parametrize("row, persona", [(row, persona) for row in ROWS for persona in row.also], ids=str)
def test_every_other_persona_it_is_for_gets_the_page_too(request, login, row, persona):
    url = url_of(request, row)
    response = send(client_of(request, login, row, persona), first_method(row), url)
    assert response.status_code == row.status


def test_no_persona_both_gets_a_page_and_is_refused_it():
    assert [(row.name, set(row.seen_by) & set(row.denied)) for row in ROWS if set(row.seen_by) & set(row.denied)] == []
    assert {persona for row in ROWS for persona in (*row.seen_by, *row.denied)} <= set(PERSONAS)


@pytest.mark.parametrize("row, persona", [(row, persona) for row in ROWS for persona in row.denied], ids=str)
def test_a_signed_in_persona_without_access_gets_404(request, login, row, persona):
    url = url_of(request, row)
    response = send(client_of(request, login, row, persona), first_method(row), url)
    assert response.status_code == 404


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_a_method_the_view_does_not_take_gets_405(request, login, row):
    url = url_of(request, row)
    client = Client() if row.public else client_of(request, login, row, row.persona)
    refused = [method for method in METHODS if method not in row.methods]
    assert refused
    assert {method: send(client, method, url).status_code for method in refused} == dict.fromkeys(refused, 405)


@pytest.mark.parametrize("row", [row for row in ROWS if not row.public], ids=str)
def test_signed_out_is_sent_to_sign_in(request, row):
    url = url_of(request, row)
    response = send(Client(), first_method(row), url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("row", [row for row in ROWS if row.public], ids=str)
def test_a_public_page_answers_signed_out(request, row):
    response = send(Client(), first_method(row), url_of(request, row))
    assert response.status_code == row.status


@pytest.mark.parametrize("name", PUBLIC_ELSEWHERE)
def test_signing_in_opens_signed_out(name):
    assert Client().get(reverse(name)).status_code == 200


def test_choosing_the_language_works_signed_out():
    response = Client().post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def ours(module_name: str | None) -> bool:
    return module_name is not None and module_name.split(".")[0] in OUR_APPS


def url_names(resolver: URLResolver, namespace: str = ""):
    """The names of the URLs declared in our URL files or answered by our views, with
    their namespaces (the admin's and allauth's are neither)."""
    declared_here = ours(getattr(resolver.urlconf_module, "__name__", None))
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif pattern.name and (declared_here or ours(pattern.callback.__module__)):
            yield f"{namespace}{pattern.name}"


def test_every_url_of_our_apps_has_one_row():
    names = [row.name for row in ROWS]
    assert len(names) == len(set(names)), "a URL has two rows"
    assert sorted(set(url_names(get_resolver())) - set(NOT_PAGES)) == sorted(names)


def test_the_admins_login_is_the_one_sign_in_page():
    response = Client().get(reverse("admin_login_redirect"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=%2Fadmin%2F"
