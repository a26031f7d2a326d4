"""The export about a child: their details, missing episodes, plan parts about them,
what the parents shared and the criminal cases, as far as the police approved."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from families.models import (
    ArticleDiscussion,
    ArticleSent,
    CaseMilestone,
    Child,
    ContactEntry,
    CriminalCase,
    Family,
    HouseholdMember,
    Incident,
    MilestoneKind,
    MissingEpisode,
    ParentNeed,
    ParentRating,
    PortalMessage,
    ProgressReview,
    SeenAlone,
    SharedInformation,
)
from families.selectors.shared import as_parents_saw_it, with_answers
from families.services.justice import visible_to_parents
from liaison.access import parents_see_until
from liaison.privacy.subject_access.case_file import (
    _agencies,
    _plan_parts,
    _plan_parts_section,
    _staff_notes,
    _withhold_case_notes,
    _withhold_criminal_cases,
    _withhold_plan,
    _withhold_suspicion,
    as_it_stood,
)
from liaison.privacy.subject_access.export import (
    CHILD_PLAN_SECTIONS,
    REASON_CRIME,
    REASON_IN_CONFIDENCE,
    REASON_OTHERS,
    REASON_PARENTS_EXPORT,
    REASON_PROTECT_CHILD,
    Subject,
    SubjectAccessExport,
    _label,
    _plural,
    _titled,
)
from safety_plans.models import (
    MissingProfile,
)

# A child


def _child_details(export: SubjectAccessExport, child: Child) -> None:
    export.add(
        _("Personal details"),
        child.full_name,
        (_label(Child, "full_name"), child.full_name),
        (_label(Child, "born_on"), child.born_on),
        (_label(Child, "school"), child.school),
        (_label(Child, "role"), child.get_role_display()),
        (_label(Child, "exploitation_kind"), child.get_exploitation_kind_display() if child.exploitation_kind else ""),
        (_label(Child, "risk_level"), child.get_risk_level_display() if child.risk_level else ""),
        (_label(Child, "risk_set_on"), child.risk_set_on),
        (_label(Family, "reference"), child.family.reference),
        (_label(Family, "liaison_officer"), child.family.liaison_officer.full_name),
        (_label(Child, "created_at"), child.created_at),
        (_label(Child, "updated_at"), child.updated_at),
    )


def _missing(export: SubjectAccessExport, child: Child, until=None) -> None:
    for episode in as_it_stood(MissingEpisode.objects.filter(child=child), until).order_by("started_at", "pk"):
        export.add(
            _plural(MissingEpisode),
            _titled(episode.started_at),
            (_label(MissingEpisode, "started_at"), episode.started_at),
            (_label(MissingEpisode, "ended_at"), episode.ended_at),
            (_label(MissingEpisode, "reported_to_police"), episode.reported_to_police),
            (_label(MissingEpisode, "police_reference"), episode.police_reference),
            (_label(MissingEpisode, "where_found"), episode.where_found),
            (_label(MissingEpisode, "return_conversation_at"), episode.return_conversation_at),
            (_label(MissingEpisode, "return_conversation_note"), episode.return_conversation_note),
        )


def _seen_alone(export: SubjectAccessExport, child: Child, until=None) -> None:
    """When the child was seen without a parent present: the date, by whom, which agency and
    where. What it was possible to discuss is counted, not shown: the child spoke because
    no parent was there, and a child's export is often asked for by and handed to the
    parents, one of whom may be the exploiter."""
    discussed = 0
    for seen in as_it_stood(SeenAlone.objects.filter(child=child), until).order_by("seen_on", "pk"):
        discussed += bool(seen.discussed)
        export.add(
            _("When the child was seen alone"),
            _titled(seen.seen_on),
            (_label(SeenAlone, "seen_on"), seen.seen_on),
            (_label(SeenAlone, "seen_by"), seen.seen_by),
            (_label(SeenAlone, "agency"), seen.agency),
            (_label(SeenAlone, "place"), seen.place),
        )
    export.withhold(_("What it was possible to discuss with the child seen alone"), REASON_PROTECT_CHILD, discussed)


def _child_plan(export: SubjectAccessExport, child: Child) -> None:
    """The parts of the plan about this child: their missing-person profile and the
    statements of the sections about them. People of concern are counted, never shown."""
    sections = CHILD_PLAN_SECTIONS.get(child.role, ())
    plan = _plan_parts(child.family, ("person_of_concern", "statement", "missing_profile"))

    def about_the_child(part) -> bool:
        if isinstance(part, MissingProfile):
            return part.child_id == child.pk
        return part.section in sections

    plan.for_parents = [part for part in plan.for_parents if about_the_child(part)]
    plan.staff_only = [part for part in plan.staff_only if about_the_child(part)]
    plan.police_only = [part for part in plan.police_only if about_the_child(part)]
    _plan_parts_section(export, plan)
    _withhold_plan(export, plan)


def _child_shared(export: SubjectAccessExport, family: Family, until=None) -> None:
    """What the parents passed on to the police, without who passed it on, with what became
    of it as the parents' portal shows it. An item a parent asked to keep from the child
    is left out entirely."""
    in_confidence = feedback = 0
    items = SharedInformation.objects.filter(family=family).order_by("created_at", "pk")
    for item in with_answers(items, until):
        if item.child_must_not_know:
            in_confidence += 1
            continue
        as_parents_saw_it(item, until)
        feedback += bool(item.police_feedback)
        export.add(
            _plural(SharedInformation),
            _titled(item.created_at),
            (_label(SharedInformation, "created_at"), item.created_at),
            (_("What a parent passed on"), item.text),
            (_label(SharedInformation, "happened_on"), item.happened_on),
            (_label(SharedInformation, "happened_where"), item.happened_where),
            (_label(SharedInformation, "status"), item.get_status_display()),
        )
    export.withhold(_("Information shared in confidence by a parent"), REASON_IN_CONFIDENCE, in_confidence)
    export.withhold(_("Police feedback to the parents on what they shared"), REASON_CRIME, feedback)


def _milestone_kind_shown(milestone: CaseMilestone) -> bool:
    """A step that happened says what it was; a planned one only when it is a hearing whose
    date the police released, as the portal shows it (a planned arrest is never told, nor
    that a step is still to come)."""
    if not milestone.is_planned:
        return True
    return milestone.kind == MilestoneKind.HEARING and milestone.parents_see_date


def _criminal_cases(export: SubjectAccessExport, child: Child) -> None:
    """The criminal cases about the child, as far as the police approved them for the
    parents (the child's export often reaches the parents, who hold parental authority):
    a case appears only with at least one step the parents' portal shows, and of its steps
    only those. Of the cases shown, what is left out is counted; a case not shown is
    covered by the uncounted line of every export. Two queries."""
    cases = CriminalCase.objects.filter(child=child).prefetch_related(
        Prefetch("milestones", queryset=CaseMilestone.objects.order_by("occurs_on", "pk"))
    )
    references = concern = police_notes = staff_details = unapproved = not_released = 0
    for case in cases.order_by("opened_on", "pk"):
        milestones = list(case.milestones.all())
        shown = [milestone for milestone in milestones if visible_to_parents(milestone)]
        if not shown:
            continue
        references += bool(case.police_reference)
        concern += bool(case.people_of_concern)
        police_notes += bool(case.police_note) + sum(bool(milestone.police_note) for milestone in milestones)
        staff_details += bool(case.staff_detail) + sum(bool(milestone.staff_detail) for milestone in milestones)
        unapproved += sum(bool(milestone.parents_text) for milestone in milestones if milestone not in shown)
        export.add(
            _plural(CriminalCase),
            _titled(capfirst(CriminalCase._meta.verbose_name), case.opened_on),
            (_label(CriminalCase, "opened_on"), case.opened_on),
            (_label(CriminalCase, "ended_on"), case.ended_on),
            (_label(CriminalCase, "impact_statement_wanted"), case.impact_statement_wanted),
            (_label(CriminalCase, "impact_statement_prepared"), case.impact_statement_prepared),
            (_label(CriminalCase, "compensation_claimed"), case.compensation_claimed),
            (_label(CriminalCase, "victim_support_involved"), case.victim_support_involved),
        )
        for milestone in shown:
            kind = milestone.get_kind_display() if _milestone_kind_shown(milestone) else ""
            on = milestone.occurs_on if milestone.parents_see_date else None
            not_released += not (kind and on)
            export.add(
                _plural(CaseMilestone),
                _titled(kind or _("News from the police"), on),
                (_label(CaseMilestone, "kind"), kind),
                (_label(CaseMilestone, "occurs_on"), on),
                (_label(CaseMilestone, "is_planned"), milestone.is_planned if kind else None),
                (_label(CaseMilestone, "parents_text"), milestone.parents_text),
            )
    export.withhold(_("Police references of criminal cases"), REASON_CRIME, references)
    export.withhold(_("People of concern in criminal cases"), REASON_CRIME, concern)
    export.withhold(_("Notes for the police only on criminal cases and their steps"), REASON_CRIME, police_notes)
    export.withhold(_("Details for staff on criminal cases and their steps"), REASON_PROTECT_CHILD, staff_details)
    export.withhold(
        _("Texts for the parents that the police have not approved for them to read"), REASON_CRIME, unapproved
    )
    export.withhold(
        _("The date or the kind of a step of a criminal case, where the police did not release it"),
        REASON_CRIME,
        not_released,
    )


def subject_access_for_child(child: Child) -> SubjectAccessExport:
    """Everything about one child: their details, missing episodes, when they were seen
    alone (without what was discussed), the parts of the safety plan about them, what
    their parents passed on to the police and their criminal cases as far as the police
    approved them for the parents. The record of the officer's work with the parents
    (contacts, progress reviews, messages) is the parents' and is counted, not shown; the
    screen, the concerns and the Meldcode steps are in no export (``_withhold_suspicion``)."""
    child = Child.objects.select_related("family__liaison_officer").get(pk=child.pk)
    family = child.family
    export = SubjectAccessExport(
        subject=Subject(kind="child", record=child, name=child.full_name, family=family),
        generated_at=timezone.now(),
    )
    # While protective mode holds the export stands still like the parents' portal: it
    # is often handed to the parents.
    until = parents_see_until(family)
    _child_details(export, child)
    _missing(export, child, until)
    _seen_alone(export, child, until)
    _agencies(export, family, until)
    _child_plan(export, child)
    _child_shared(export, family, until)
    _criminal_cases(export, child)
    _withhold_case_notes(export, family)
    _staff_notes(export, family, until=until)
    parents_records = sum(
        as_it_stood(model.objects.filter(family=family), until).count()
        for model in (
            ContactEntry,
            Incident,
            ProgressReview,
            ParentRating,
            PortalMessage,
            ParentNeed,
            ArticleSent,
            ArticleDiscussion,
        )
    )
    export.withhold(_("Records of the work with the parents"), REASON_PARENTS_EXPORT, parents_records)
    export.withhold(
        _("Details of the members of the household"),
        REASON_OTHERS,
        as_it_stood(HouseholdMember.objects.filter(family=family), until).count(),
    )
    export.withhold(
        _("Details of the other children in the family"),
        REASON_OTHERS,
        as_it_stood(Child.objects.filter(family=family), until).exclude(pk=child.pk).count(),
    )
    _withhold_suspicion(export)
    _withhold_criminal_cases(export)
    return export
