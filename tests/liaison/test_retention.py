"""Retention: a period per kind of record (default 20 years after closing), set by
administrators; `apply_retention` shows what is due (a dry run that changes nothing)
and with --apply deletes or anonymises it, each case in the audit trail."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import (
    AgencyInvolvement,
    CaseMilestone,
    Child,
    Consent,
    ContactEntry,
    CriminalCase,
    Family,
    FamilyConcern,
    FollowUpAction,
    Handover,
    HouseholdMember,
    Incident,
    IntrafamilialScreen,
    MeldcodeStep,
    MissingEpisode,
    NeedVersion,
    ParentNeed,
    ParentRating,
    PortalMessage,
    ProgressReview,
    ProtectiveMode,
    Referral,
    SeenAlone,
    SharedInformation,
    SupervisionNote,
)
from families.services.case import family_archive, family_close
from families.services.referrals import referral_create
from liaison.audit.models import AuditAction, AuditEvent
from liaison.privacy.models import RecordKind, RetentionApplied, RetentionPeriod
from liaison.privacy.retention import cutoff, retention_due, years_after
from liaison.uploads import private_storage
from safety_plans.models import MissingProfile, PlanVersion, SafetyPlan
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db

# Every marker the history fixture (tests/liaison/conftest.py) writes into the case.
MARKERS = (
    "HOMEVISIT",
    "FOLLOWUP",
    "INCIDENT",
    "MISSING-where",
    "REVIEW-evidence",
    "AGENCY-worker",
    "SHARED-by",
    "CONFIDENTIAL",
    "PIET-shared",
    "MESSAGE-from",
    "STAFFONLY",
    "POLICEONLY",
    "SUSPICION",
    "OTHERPARENT",
    "FORPARENTS",
    "Noor Jansen",
    "Mia Parent",
    "Family Jansen",
    "JUSTICE",
    "INFAMILY",
    "SEENALONE",
    "NEEDS",
)
DELETED_MODELS = (
    ContactEntry,
    FollowUpAction,
    Incident,
    MissingEpisode,
    AgencyInvolvement,
    SharedInformation,
    PortalMessage,
    SupervisionNote,
    SafetyPlan,
    CriminalCase,
    FamilyConcern,
    IntrafamilialScreen,
    SeenAlone,
    ProtectiveMode,
    ParentNeed,
    Referral,
    Consent,
)


@pytest.fixture
def archived(history, officer, child):
    case = CriminalCase.objects.create(
        family=history,
        child=child,
        opened_on=timezone.localdate(),
        people_of_concern="POLICEONLY-justice-person",
        staff_detail="STAFFONLY-justice-detail",
        created_by=officer,
    )
    CaseMilestone.objects.create(
        case=case,
        kind="report_made",
        occurs_on=timezone.localdate(),
        parents_text="JUSTICE-parents-text",
        created_by=officer,
    )
    referral_create(
        family=history,
        created_by=officer,
        agency="youth_care",
        question="STAFFONLY-referral-question",
        parts=["situation"],
        situation="STAFFONLY-referral-situation",
        sent_on=timezone.localdate(),
        consent_route="without_consent",
        consent_on=timezone.localdate(),
        consent_reason="SUSPICION-consent-route",
    )
    family_close(family=history, closed_by=officer, closing_reason="STAFFONLY-closing-reason")
    return family_archive(family=history)


def years_later(years: int) -> date:
    return years_after(timezone.localdate(), years)


def every_text_of_the_case() -> str:
    """Every value of every row the case apps hold, decrypted, as one string."""
    from django.apps import apps

    values = []
    for model in [*apps.get_app_config("families").get_models(), *apps.get_app_config("safety_plans").get_models()]:
        for row in model.objects.all():
            values += [str(getattr(row, field.attname)) for field in model._meta.concrete_fields]
    return "\n".join(values)


def row_counts() -> dict[str, int]:
    from django.apps import apps

    models = [*apps.get_app_config("families").get_models(), *apps.get_app_config("safety_plans").get_models()]
    return {model.__name__: model.objects.count() for model in models}


def test_the_default_period_is_twenty_years_for_every_kind(archived):
    due = retention_due(years_later(19))
    assert [entry.years for entry in due] == [20] * len(RecordKind.values)
    assert not any(entry.families for entry in due)
    due = retention_due(years_later(20))
    assert all(entry.families == [archived.pk] for entry in due)


def test_the_period_counts_from_the_day_of_closing(archived):
    Family.objects.filter(pk=archived.pk).update(closed_on=timezone.localdate() - timedelta(days=1))
    today = years_later(20) - timedelta(days=1)
    assert all(entry.families == [archived.pk] for entry in retention_due(today))
    assert not any(entry.families for entry in retention_due(today - timedelta(days=1)))


def test_29_february_has_a_day_in_every_year():
    assert cutoff(1, date(2028, 2, 29)) == date(2027, 2, 28)


def test_the_dry_run_shows_what_is_due_and_changes_nothing(archived, capsys):
    before, audit_before = row_counts(), AuditEvent.objects.count()
    call_command("apply_retention", today=years_later(21), language="en")
    output = capsys.readouterr().out
    assert "Dry run: nothing was changed" in output
    assert "Contact log and follow-up actions" in output and "delete" in output and "anonymise" in output
    assert row_counts() == before
    assert AuditEvent.objects.count() == audit_before
    assert not RetentionApplied.objects.exists()
    assert "HOMEVISIT-summary" in every_text_of_the_case()


def test_apply_without_confirmation_changes_nothing(archived, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    before = row_counts()
    with pytest.raises(CommandError, match="Not confirmed"):
        call_command("apply_retention", apply=True, today=years_later(21), language="en")
    assert row_counts() == before


def test_apply_deletes_and_anonymises_every_kind_of_record(archived, django_capture_on_commit_callbacks, capsys):
    parent_member = HouseholdMember.objects.filter(family=archived, user__email="parent@example.org").get()
    parent = parent_member.user
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", apply=True, no_input=True, today=years_later(21), language="en")
    assert "Retention applied" in capsys.readouterr().out

    for model in DELETED_MODELS:
        assert not model.objects.filter(family=archived).exists(), model.__name__
    assert not PlanVersion.objects.exists()
    assert not MeldcodeStep.objects.exists()
    assert not NeedVersion.objects.exists()
    review = ProgressReview.objects.get(family=archived)
    assert (review.understanding_score, review.understanding_evidence) == (3, "")
    assert ParentRating.objects.get(family=archived).comment == ""
    assert set(Child.objects.filter(family=archived).values_list("full_name", flat=True)) == {"—"}
    assert set(HouseholdMember.objects.filter(family=archived).values_list("full_name", flat=True)) == {"—"}
    parent.refresh_from_db()
    assert not parent.is_active and parent.email.endswith("@erased.invalid") and not parent.has_usable_password()
    archived.refresh_from_db()
    assert archived.anonymised_at is not None and archived.display_name == "" and archived.referral_note == ""
    assert Handover.objects.get(family=archived).note == ""

    text = every_text_of_the_case()
    assert [marker for marker in MARKERS if marker in text] == []


def test_every_case_and_kind_is_in_the_audit_trail_and_the_chain_holds(archived, capsys):
    call_command("apply_retention", apply=True, no_input=True, today=years_later(21))
    events = AuditEvent.objects.filter(action=AuditAction.RETENTION_APPLIED, family_id=archived.pk)
    assert sorted(event.detail["record_kind"] for event in events) == sorted(RecordKind.values)
    assert all("HOMEVISIT" not in str(event.detail) for event in events)
    call_command("verify_audit")


def test_a_second_run_finds_nothing_left_to_do(archived, capsys):
    call_command("apply_retention", apply=True, no_input=True, today=years_later(21))
    capsys.readouterr()
    call_command("apply_retention", apply=True, no_input=True, today=years_later(22), language="en")
    assert "Nothing is due." in capsys.readouterr().out
    assert RetentionApplied.objects.filter(family=archived).count() == len(RecordKind.values)


def test_each_kind_keeps_its_own_period(archived, administrator):
    RetentionPeriod.objects.create(record_kind=RecordKind.CONTACTS, years=5, changed_by=administrator)
    call_command("apply_retention", apply=True, no_input=True, today=years_later(6))
    assert not ContactEntry.objects.filter(family=archived).exists()
    assert Incident.objects.filter(family=archived).exists()
    archived.refresh_from_db()
    assert archived.anonymised_at is None and archived.display_name == "Family Jansen"


def test_the_concerns_go_with_their_own_period_and_nothing_of_them_is_left(archived, administrator):
    """The screen, the concerns, the Meldcode steps, the children seen alone and protective
    mode are one kind of record with its own period: deleted when it has passed, audited."""
    RetentionPeriod.objects.create(record_kind=RecordKind.CONCERNS, years=5, changed_by=administrator)
    due = {entry.kind: entry for entry in retention_due(years_later(6))}
    # One step, one screen, two children seen alone, two concerns, one protective mode.
    assert (due[RecordKind.CONCERNS].families, due[RecordKind.CONCERNS].records) == ([archived.pk], 7)
    assert due[RecordKind.CONCERNS].action == "delete"
    assert not due[RecordKind.CONTACTS].families

    call_command("apply_retention", apply=True, no_input=True, today=years_later(6))
    for model in (MeldcodeStep, IntrafamilialScreen, SeenAlone, FamilyConcern, ProtectiveMode):
        assert not model.objects.exists(), model.__name__
    text = every_text_of_the_case()
    assert "INFAMILY" not in text and "SEENALONE" not in text
    assert "HOMEVISIT-summary" in text  # the rest waits for its own period
    event = AuditEvent.objects.get(action=AuditAction.RETENTION_APPLIED, family_id=archived.pk)
    assert event.detail == {"record_kind": "concerns", "action": "delete", "records": 7, "years": 5}


def test_children_anonymised_first_take_what_they_said_alone_with_them(archived, administrator):
    """When the children and caregivers are anonymised before the concerns are due, what
    the child could discuss alone and where goes with the child's name; the record that
    the child was seen alone stays until its own period."""
    RetentionPeriod.objects.create(record_kind=RecordKind.HOUSEHOLD, years=5, changed_by=administrator)
    call_command("apply_retention", apply=True, no_input=True, today=years_later(6))
    seen = SeenAlone.objects.select_related("child").order_by("seen_on")
    assert [(record.child.full_name, record.place, record.discussed) for record in seen] == [("—", "—", "—")] * 2
    text = every_text_of_the_case()
    for gone in ("SEENALONE-place", "SEENALONE-discussed", "OTHERPARENT-sibling-seen", "Noor Jansen"):
        assert gone not in text, gone
    assert "INFAMILY-screen-note" in text  # the concerns wait for their own period


def test_the_concerns_of_a_case_done_before_they_had_a_period_are_still_due(archived, administrator):
    """A case whose every other kind was carried out earlier still has its concerns done."""
    for kind in RecordKind.values:
        if kind != RecordKind.CONCERNS:
            RetentionApplied.objects.create(family=archived, record_kind=kind, records=0)
    due = {entry.kind: entry for entry in retention_due(years_later(21))}
    assert due[RecordKind.CONCERNS].families == [archived.pk]
    assert not any(entry.families for kind, entry in due.items() if kind != RecordKind.CONCERNS)


def test_open_cases_are_never_touched_however_old(history, officer):
    Family.objects.filter(pk=history.pk).update(referral_on=date(1990, 1, 1))
    before = row_counts()
    call_command("apply_retention", apply=True, no_input=True, today=years_later(50))
    assert row_counts() == before


def test_files_of_deleted_records_are_removed(archived, parent, django_capture_on_commit_callbacks):
    shared = SharedInformation.objects.create(family=archived, text="With a photo", created_by=parent)
    shared.attachment.save("photo.jpg", ContentFile(b"not really a photo"), save=True)
    profile = MissingProfile.objects.filter(version__plan__family=archived).first()
    profile.photo.save("child.jpg", ContentFile(b"not really a photo either"), save=True)
    names = [shared.attachment.name, profile.photo.name]
    assert all(private_storage().exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", apply=True, no_input=True, today=years_later(21))
    assert not any(private_storage().exists(name) for name in names)


def test_working_out_what_is_due_costs_the_same_queries_for_few_and_many_cases(officer):
    def archive_some(count):
        for _number in range(count):
            family = FamilyFactory(liaison_officer=officer, team=officer.team)
            family_archive(family=family_close(family=family, closed_by=officer, closing_reason="Done."))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            retention_due(years_later(21))
        return len(captured)

    archive_some(2)
    few = queries()
    archive_some(15)
    assert queries() == few


# The administrators' page.
def test_administrators_see_the_periods_and_what_is_due(english, administrator, archived):
    response = english(administrator).get(reverse("privacy:retention"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="20"' in body and "Nothing is due" in body


@pytest.mark.parametrize(
    "value, message",
    [("0", "at least 1 year"), ("101", "at most 100 years"), ("ten", "whole number"), ("", "Enter the number")],
)
def test_a_wrong_period_gets_a_clear_error_and_nothing_is_saved(english, administrator, value, message):
    data = dict.fromkeys(RecordKind.values, "20") | {RecordKind.CONTACTS: value}
    response = english(administrator).post(reverse("privacy:retention"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RetentionPeriod.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.RETENTION_CHANGED).exists()


def test_a_changed_period_is_saved_and_audited_with_before_and_after(english, administrator):
    data = dict.fromkeys(RecordKind.values, "20") | {RecordKind.PORTAL: "7"}
    response = english(administrator).post(reverse("privacy:retention"), data)
    assert response.status_code == 302
    assert RetentionPeriod.objects.get().years == 7
    event = AuditEvent.objects.get(action=AuditAction.RETENTION_CHANGED)
    assert event.actor == administrator
    assert event.detail["changed"] == {"portal": {"before": 20, "after": 7}}


def test_saving_unchanged_periods_records_nothing(english, administrator):
    data = dict.fromkeys(RecordKind.values, "20")
    assert english(administrator).post(reverse("privacy:retention"), data).status_code == 302
    assert not RetentionPeriod.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.RETENTION_CHANGED).exists()


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police", "parent", "outsider"])
def test_other_personas_get_404(request, english, persona):
    client = english(request.getfixturevalue(persona))
    assert client.get(reverse("privacy:retention")).status_code == 404
    data = dict.fromkeys(RecordKind.values, "1")
    assert client.post(reverse("privacy:retention"), data).status_code == 404
    assert not RetentionPeriod.objects.exists()


def test_a_case_that_retention_has_touched_cannot_be_reopened(english, administrator, archived):
    RetentionPeriod.objects.create(record_kind=RecordKind.CONTACTS, years=1, changed_by=administrator)
    call_command("apply_retention", apply=True, no_input=True, today=years_later(2))
    url = reverse("privacy:archived_case_reopen", args=[archived.pk])
    response = english(administrator).post(url, {"reason": "The family was referred again by the police."})
    assert response.status_code == 400
    assert "cannot be reopened" in response.content.decode()
    archived.refresh_from_db()
    assert archived.archived_at is not None


def test_contexts_linked_to_incidents_missing_episodes_and_shared_items_do_not_stop_retention(
    history, officer, django_capture_on_commit_callbacks, capsys
):
    from families.models import ContextMention
    from families.services import contexts

    link = contexts.context_link_record(
        family=history,
        created_by=officer,
        kind="phone",
        label="06 1234 5678",
        incident=Incident.objects.filter(family=history).first(),
    )
    contexts.context_mention_add(
        link=link, created_by=officer, missing_episode=MissingEpisode.objects.filter(family=history).first()
    )
    contexts.context_mention_add(
        link=link, created_by=officer, shared_information=SharedInformation.objects.filter(family=history).first()
    )
    assert ContextMention.objects.count() == 3
    family_close(family=history, closed_by=officer, closing_reason="Done.")
    family_archive(family=history)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", apply=True, no_input=True, today=years_later(21), language="en")
    assert "Retention applied" in capsys.readouterr().out
    for model in (Incident, MissingEpisode, SharedInformation):
        assert not model.objects.filter(family=history).exists(), model.__name__
    assert not ContextMention.objects.exists()
    link.refresh_from_db()
    assert link.incident_id is None


def test_the_contexts_the_case_named_lose_their_names_and_never_match_again(history, officer, administrator):
    """A context is kept (a meeting may have discussed it) but loses every word that names
    it, and its match keys go: another family naming the same person no longer matches it."""
    from families.models import ContextKey, ContextLink
    from families.services import contexts

    RetentionPeriod.objects.create(record_kind=RecordKind.CONTEXTS, years=5, changed_by=administrator)
    named = {"kind": "person", "label": "Dex Vermeer", "aliases": "Dexie\nD-man"}
    link = contexts.context_link_record(
        family=history, created_by=officer, area="CONTEXT-area", note="CONTEXT-note", **named
    )
    other = contexts.context_link_record(family=FamilyFactory(team=history.team), created_by=officer, **named)
    other_keys = set(ContextKey.objects.filter(link=other).values_list("match_key", flat=True))
    assert set(ContextKey.objects.filter(link=link).values_list("match_key", flat=True)) == other_keys
    family_close(family=history, closed_by=officer, closing_reason="Done.")
    family_archive(family=history)

    due = {entry.kind: entry for entry in retention_due(years_later(6))}
    assert due[RecordKind.CONTEXTS].families == [history.pk]
    assert due[RecordKind.CONTEXTS].records == len(other_keys) + 1
    assert due[RecordKind.CONTEXTS].action == "anonymise"
    call_command("apply_retention", apply=True, no_input=True, today=years_later(6))

    link = ContextLink.objects.get(pk=link.pk)
    assert (link.label, link.aliases, link.area, link.note) == ("—", "", "", "")
    assert not ContextKey.objects.filter(link=link).exists()
    assert set(ContextKey.objects.filter(link=other).values_list("match_key", flat=True)) == other_keys
    assert ContextLink.objects.get(pk=other.pk).label == "Dex Vermeer"
    text = every_text_of_the_case().replace("Dex Vermeer", "").replace("Dexie\nD-man", "")
    assert "CONTEXT-" not in text
    assert "HOMEVISIT-summary" in text  # the rest waits for its own period
    event = AuditEvent.objects.get(action=AuditAction.RETENTION_APPLIED, family_id=history.pk)
    assert event.detail == {
        "record_kind": "contexts",
        "action": "anonymise",
        "records": len(other_keys) + 1,
        "years": 5,
    }
