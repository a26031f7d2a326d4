"""Every URL of the project in one table, and the four answers each must give: the
persona it is for gets the page, a signed-in persona without access gets 404, a method
the view does not take gets 405, and someone signed out is sent to the sign-in page
(except on the few public pages). A URL added without a row here fails the last test.

A row names the URL, the arguments it needs (fixtures, of which the primary key is
used, or a plain word), the fixtures that put the case in the state the page needs,
the persona it is for and the methods the view takes. URL names are written out in
full here and nowhere else in this file, so renaming them is one search and replace."""

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
    ContactEntry,
    FollowUpAction,
    MissingEpisode,
    ProgressReview,
    SharedInformation,
)
from families.services import justice
from families.services.case import family_close, handover_create
from liaison.accounts import services as accounts
from liaison.accounts.models import Invitation, Role
from liaison.privacy.erasure import erasure_request_create
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
class Page:
    name: str
    args: tuple[str, ...] = ()
    # The persona the page is for; it gets ``status`` from the first of ``methods``.
    persona: str = "officer"
    methods: tuple[str, ...] = ("GET",)
    # Fixtures that put the case in the state the page needs.
    needs: tuple[str, ...] = ()
    # A signed-in persona who must get 404; None where every signed-in person may come.
    denied: str | None = "outsider"
    status: int = 200
    public: bool = False
    # Whether the persona passed the second factor in this session.
    verified: bool = True

    def __str__(self) -> str:
        return self.name


GET_POST = ("GET", "POST")
POST = ("POST",)

PAGES = [
    # liaison/urls.py
    Page("home", persona="administrator", denied=None),
    Page("health", persona="parent", denied=None, public=True),
    Page("team_settings", persona="supervisor", methods=GET_POST),
    Page("report", persona="supervisor"),
    Page("report_csv", persona="supervisor"),
    Page("dashboard", persona="supervisor"),
    Page("quick_exit", persona="parent", methods=POST, denied=None, status=303, public=True),
    Page("break_glass", methods=GET_POST),
    Page("access_log_find", persona="administrator"),
    Page("access_log", ("family",), persona="administrator"),
    Page("access_log_csv", ("family",), persona="administrator"),
    Page("family_access_log", ("family",), persona="supervisor"),
    Page("family_access_log_csv", ("family",), persona="supervisor"),
    Page("subject_access", persona="administrator"),
    Page("subject_access_pdf", (Plain("member"), "member"), persona="administrator"),
    Page("subject_access_json", (Plain("member"), "member"), persona="administrator"),
    # liaison/privacy/urls.py
    Page("privacy:archive", persona="administrator"),
    Page("privacy:archived_case", ("archived_family",), persona="administrator"),
    Page("privacy:archived_case_pdf", ("archived_family",), persona="administrator"),
    Page("privacy:archived_case_reopen", ("archived_family",), persona="administrator", methods=POST, status=400),
    Page("privacy:retention", persona="administrator", methods=GET_POST),
    Page("privacy:erasure_requests", persona="administrator"),
    Page("privacy:erasure_request", ("erasure",), persona="administrator", methods=GET_POST),
    Page("privacy:erasure_request_new", (Plain("member"), "member"), persona="administrator", methods=GET_POST),
    # liaison/accounts/urls.py
    Page("security", denied=None),
    Page("contact_details", methods=GET_POST, denied="parent"),
    Page("second_factor_enrol", persona="parent", methods=GET_POST, denied=None),
    Page("second_factor_verify", methods=GET_POST, denied=None, verified=False),
    Page("backup_codes_regenerate", methods=POST, denied="parent"),
    Page("sign_out_everywhere", methods=GET_POST, denied=None),
    Page("invitation_list"),
    Page("invitation_create", methods=GET_POST),
    Page("invitation_revoke", ("invitation",), methods=GET_POST),
    Page("invitation_accept", ("invitation_token",), persona="parent", methods=GET_POST, denied=None, public=True),
    # families/urls.py
    Page("families:caseload", denied="parent"),
    Page("families:open", methods=GET_POST),
    Page("families:detail", ("family",)),
    Page("families:edit", ("family",), methods=GET_POST),
    Page("families:close", ("family",), methods=GET_POST),
    Page("families:handover_create", ("family",), persona="supervisor", methods=GET_POST),
    Page("families:handover_acknowledge", ("family",), persona="next_officer", methods=GET_POST, needs=("handover",)),
    Page("families:handover_pack", ("family",)),
    Page("families:child_add", ("family",), methods=GET_POST),
    Page("families:child_edit", ("family", "child"), methods=GET_POST),
    Page("families:member_add", ("family",), methods=GET_POST),
    Page("families:member_edit", ("family", "member"), methods=GET_POST),
    Page("families:suspicion_mark", ("family", "member"), methods=GET_POST),
    Page("families:suspicion_lift", ("family", "suspect_member"), persona="supervisor", methods=GET_POST),
    Page("families:progress", ("family",)),
    Page("families:review_add", ("family",), methods=GET_POST),
    Page("families:review_correct", ("family", "review"), methods=GET_POST),
    Page("families:parent_rating_add", ("family",), methods=GET_POST),
    Page("families:progress_settings", ("family",), methods=GET_POST),
    Page("families:supervision_add", ("family",), persona="supervisor", methods=GET_POST),
    Page("families:messages", ("family",), methods=GET_POST),
    Page("families:shared", ("family",)),
    Page("families:shared_acknowledge", ("family", "shared_item"), persona="police", methods=GET_POST),
    Page("families:shared_attachment", ("family", "shared_item")),
    Page("families:shared_waiting", denied="parent"),
    # families/urls_contacts.py
    Page("families:contacts", ("family",)),
    Page("families:contact_add", ("family",), methods=GET_POST),
    Page("families:follow_up_done", ("family", "follow_up"), methods=GET_POST),
    Page("families:agencies", ("family",)),
    Page("families:agency_add", ("family",), methods=GET_POST),
    Page("families:agency_change_worker", ("family", "involvement"), methods=GET_POST),
    Page("families:agency_end", ("family", "involvement"), methods=GET_POST),
    # families/urls_events.py
    Page("families:incidents", ("family",)),
    Page("families:incident_add", ("family",), methods=GET_POST),
    Page("families:missing", ("family",)),
    Page("families:missing_add", ("family",), methods=GET_POST),
    Page("families:missing_return", ("family", "episode"), methods=GET_POST),
    Page("families:return_conversation", ("family", "episode"), methods=GET_POST),
    Page("families:chronology", ("family",)),
    # families/urls_justice.py
    Page("families:justice", ("family",)),
    Page("families:criminal_case_add", ("family",), methods=GET_POST),
    Page("families:criminal_case_edit", ("family", "criminal_case"), methods=GET_POST),
    Page("families:milestone_add", ("family", "criminal_case"), methods=GET_POST),
    Page("families:milestone_edit", ("family", "milestone"), methods=GET_POST),
    Page("families:milestone_approve", ("family", "milestone"), persona="police", methods=GET_POST),
    Page("families:milestone_approval_withdraw", ("family", "milestone"), persona="police", methods=POST, status=302),
    # safety_plans/urls.py
    Page("safety_plans:plan", ("family",)),
    Page("safety_plans:start", ("family",), methods=POST, status=302),
    Page("safety_plans:review_date", ("family",), methods=GET_POST, needs=("draft",)),
    Page("safety_plans:share", ("family",), methods=POST, needs=("draft",), status=302),
    Page("safety_plans:reopen", ("family",), methods=GET_POST, needs=("shared_plan",)),
    Page("safety_plans:agreement", ("family",), methods=GET_POST, needs=("shared_plan",)),
    Page("safety_plans:endorse", ("family",), persona="police", methods=GET_POST, needs=("agreed_plan",)),
    Page("safety_plans:comment", ("family",), methods=POST, needs=("shared_plan",), status=400),
    Page("safety_plans:compare", ("family",)),
    Page("safety_plans:pdf", ("family",), needs=("draft",)),
    Page("safety_plans:photo", ("family", "photo_profile")),
    Page("safety_plans:part_add", ("family", Plain("statement")), methods=GET_POST, needs=("draft",)),
    Page("safety_plans:part_edit", ("family", Plain("statement"), "statement"), methods=GET_POST),
    Page("safety_plans:part_remove", ("family", Plain("statement"), "statement"), methods=GET_POST),
    # The parents' portal.
    Page("families:portal_home", persona="parent"),
    Page("families:portal_about", persona="parent"),
    Page("families:portal_rating", persona="parent", methods=GET_POST),
    Page("families:portal_messages", persona="parent", methods=GET_POST),
    Page("families:portal_notifications", persona="parent", methods=GET_POST),
    Page("families:portal_shared", persona="parent"),
    Page("families:portal_share", persona="parent", methods=GET_POST),
    Page("families:portal_shared_attachment", ("shared_item",), persona="parent"),
    Page("families:portal_justice", persona="parent"),
    Page("safety_plans:portal_plan", persona="parent"),
    Page("safety_plans:portal_plan_shared", persona="parent", needs=("shared_plan",)),
    Page("safety_plans:portal_plan_comment", persona="parent", methods=POST, needs=("shared_plan",), status=400),
    Page("safety_plans:portal_plan_agree", persona="parent", methods=GET_POST, needs=("shared_plan",)),
    Page("safety_plans:portal_pdf", persona="parent", needs=("active_plan",)),
    Page("safety_plans:portal_photo", ("photo_profile",), persona="parent"),
]

# Pages of allauth and Django that must also open signed out.
PUBLIC_ELSEWHERE = ["account_login", "account_reset_password"]


# What the rows need.


@pytest.fixture
def member(parent):
    return parent.household_memberships.get()


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
def archived_family(officer):
    family = FamilyFactory(liaison_officer=officer, display_name="Family Archived")
    return family_close(family=family, closed_by=officer, closing_reason="The child is safe and settled.")


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


def url_of(request, page: Page) -> str:
    for need in page.needs:
        request.getfixturevalue(need)
    args = []
    for arg in page.args:
        if isinstance(arg, Plain):
            args.append(str(arg))
        else:
            value = request.getfixturevalue(arg)
            args.append(getattr(value, "pk", value))
    return reverse(page.name, args=args)


def send(client: Client, method: str, url: str):
    return getattr(client, method.lower())(url)


def client_of(request, login, page: Page, persona: str) -> Client:
    return login(request.getfixturevalue(persona), verified=page.verified)


def first_method(page: Page) -> str:
    return page.methods[0]


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_the_persona_it_is_for_gets_the_page(request, login, page):
    url = url_of(request, page)
    response = send(client_of(request, login, page, page.persona), first_method(page), url)
    assert response.status_code == page.status


@pytest.mark.parametrize("page", [page for page in PAGES if page.denied], ids=str)
def test_a_signed_in_persona_without_access_gets_404(request, login, page):
    url = url_of(request, page)
    response = send(client_of(request, login, page, page.denied), first_method(page), url)
    assert response.status_code == 404


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_method_the_view_does_not_take_gets_405(request, login, page):
    url = url_of(request, page)
    client = Client() if page.public else client_of(request, login, page, page.persona)
    refused = [method for method in METHODS if method not in page.methods]
    assert refused
    assert {method: send(client, method, url).status_code for method in refused} == dict.fromkeys(refused, 405)


@pytest.mark.parametrize("page", [page for page in PAGES if not page.public], ids=str)
def test_signed_out_is_sent_to_sign_in(request, page):
    url = url_of(request, page)
    response = send(Client(), first_method(page), url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("page", [page for page in PAGES if page.public], ids=str)
def test_a_public_page_answers_signed_out(request, page):
    response = send(Client(), first_method(page), url_of(request, page))
    assert response.status_code == page.status


@pytest.mark.parametrize("name", PUBLIC_ELSEWHERE)
def test_signing_in_opens_signed_out(name):
    assert Client().get(reverse(name)).status_code == 200


def test_choosing_the_language_works_signed_out():
    response = Client().post(reverse("set_language"), {"language": "en", "next": reverse("health")})
    assert response.status_code == 302 and response.url == reverse("health")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def url_names(patterns, namespace: str = ""):
    """The names of the URLs our own apps answer, with their namespaces."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif pattern.name and pattern.callback.__module__.split(".")[0] in OUR_APPS:
            yield f"{namespace}{pattern.name}"


def test_every_url_of_our_apps_has_one_row():
    names = [page.name for page in PAGES]
    assert len(names) == len(set(names)), "a URL has two rows"
    assert sorted(set(url_names(get_resolver().url_patterns))) == sorted(names)
