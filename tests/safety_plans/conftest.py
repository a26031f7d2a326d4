"""Plans in each state, written through the services as people would.

``filled_draft`` holds one part of every kind at every visibility the writer may set.
Each text field of a part that parents must never see carries a marker
(``STAFFONLY-…`` or ``POLICEONLY-…``), so a test can search any page, PDF or e-mail
for ``HIDDEN_MARKERS`` and prove that nothing hidden leaked.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from safety_plans import services
from safety_plans.models import (
    MissingProfile,
    PersonOfConcern,
    PlanContact,
    PlanStatement,
    PoliceAction,
    Visibility,
)
from tests.factories import ChildFactory

HIDDEN_MARKERS = ("STAFFONLY", "POLICEONLY")
VISIBLE_TO_PARENTS = "FORPARENTS"


def marker(visibility: str, field: str) -> str:
    prefix = {Visibility.PARENTS: VISIBLE_TO_PARENTS, Visibility.STAFF: "STAFFONLY", Visibility.POLICE: "POLICEONLY"}
    return f"{prefix[visibility]}-{field}"


def add_part(version, part, actor):
    return services.plan_part_save(version=version, part=part, base_revision=version.revision, actor=actor)


def add_every_kind(version, actor, visibility: str, child) -> None:
    """One part of each kind, its text fields marked with the visibility."""
    m = lambda field: marker(visibility, field)  # noqa: E731
    if visibility != Visibility.PARENTS:
        add_part(
            version,
            PersonOfConcern(
                version=version,
                visibility=visibility,
                name=m("name"),
                nicknames=m("nicknames"),
                age="about 25",
                description=m("description"),
                vehicles=m("vehicles"),
                phone_numbers=m("phones"),
                social_media=m("social"),
                places=m("places"),
                concern=m("concern"),
            ),
            actor,
        )
    add_part(
        version, PlanStatement(version=version, visibility=visibility, section="warning_signs", text=m("sign")), actor
    )
    add_part(version, PlanStatement(version=version, visibility=visibility, section="parents_do", text=m("do")), actor)
    add_part(
        version,
        PoliceAction(
            version=version, visibility=visibility, kind="address_marker", description=m("action"), owner=m("owner")
        ),
        actor,
    )
    add_part(
        version,
        MissingProfile(
            version=version,
            visibility=visibility,
            child=child,
            description=m("profile"),
            friends=m("friends"),
            who_calls_police=m("caller"),
        ),
        actor,
    )
    add_part(
        version,
        PlanContact(version=version, visibility=visibility, kind="support_line", name=m("contact"), phone="0800-1234"),
        actor,
    )


@pytest.fixture
def child(family):
    return ChildFactory(family=family, full_name="Noor Jansen")


@pytest.fixture
def draft(family, officer):
    return services.plan_version_start(family=family, created_by=officer)


@pytest.fixture
def filled_draft(draft, officer, police, child):
    add_every_kind(draft, officer, Visibility.PARENTS, child)
    add_every_kind(draft, officer, Visibility.STAFF, child)
    add_every_kind(draft, police, Visibility.POLICE, child)
    return services.plan_review_date_set(
        version=draft, review_on=timezone.localdate() + timedelta(weeks=12), base_revision=draft.revision, actor=officer
    )


@pytest.fixture
def shared_plan(filled_draft, officer):
    return services.plan_share(version=filled_draft, base_revision=filled_draft.revision, actor=officer)


@pytest.fixture
def agreed_plan(shared_plan, parent, officer):
    member = parent.household_memberships.get()
    services.plan_agree(version=shared_plan, agreed_by=member, words="We agree.", recorded_by=parent)
    shared_plan.refresh_from_db()
    return shared_plan


@pytest.fixture
def active_plan(agreed_plan, police):
    services.plan_endorse(version=agreed_plan, officer=police, note="Endorsed for the unit.")
    agreed_plan.refresh_from_db()
    return agreed_plan
