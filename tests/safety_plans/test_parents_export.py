"""What the parents' own export (subject access) holds of the safety plan: only what a
version shared with them held, never a line taken out of the draft before it was shared."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.privacy.subject_access.export import as_json
from liaison.privacy.subject_access.member import subject_access_for_member
from safety_plans import services as plans
from safety_plans.models import PlanStatement
from tests.safety_plans.conftest import add_part

pytestmark = pytest.mark.django_db


def test_a_part_removed_before_the_version_was_shared_is_not_in_the_parents_export(officer, parent, draft):
    kept = add_part(draft, PlanStatement(version=draft, section="warning_signs", text="SHARED-LINE"), officer)
    removed = add_part(draft, PlanStatement(version=draft, section="warning_signs", text="NEVER-SHARED"), officer)
    draft.refresh_from_db()
    plans.plan_part_remove(version=draft, part=removed, base_revision=draft.revision, actor=officer)
    draft.refresh_from_db()
    plans.plan_review_date_set(
        version=draft,
        review_on=timezone.localdate() + timedelta(weeks=4),
        base_revision=draft.revision,
        actor=officer,
    )
    draft.refresh_from_db()
    plans.plan_share(version=draft, base_revision=draft.revision, actor=officer)

    text = as_json(subject_access_for_member(parent.household_memberships.get()))

    assert kept.text in text
    assert "NEVER-SHARED" not in text
