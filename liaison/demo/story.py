"""The years of history of one generated family, the same for the same seed and number."""

import random
from datetime import date, timedelta

from django.utils import timezone

from families.models import (
    AgencyInvolvement,
    CaregiverSuspicion,
    Child,
    ContactEntry,
    Family,
    FamilyStatus,
    FollowUpAction,
    Handover,
    HouseholdMember,
    Incident,
    LiaisonAssignment,
    MissingEpisode,
    NeedStatus,
    NeedVersion,
    ParentNeed,
    ParentRating,
    ProgressReview,
    RatingSource,
)
from liaison.accounts.models import Role, User
from liaison.demo.batch import Chunk, Staff, _at
from liaison.demo.words import (
    ACTIONS,
    AGENCY_KINDS,
    BOYS,
    CONTACT_KINDS,
    DEMO_DOMAIN,
    FATHERS,
    GIRLS,
    INCIDENTS,
    MOTHERS,
    SCHOOLS,
    STATEMENTS,
    SUMMARIES,
    SURNAMES,
)
from safety_plans.models import (
    MissingProfile,
    PersonOfConcern,
    PlanAgreement,
    PlanContact,
    PlanEndorsement,
    PlanStatement,
    PlanStatus,
    PlanVersion,
    PoliceAction,
    SafetyPlan,
    Visibility,
)


class FamilyStory:
    """One family's history, drawn from its own random stream."""

    def __init__(self, index: int, seed: int, staff: Staff, chunk: Chunk, reference: str, today: date) -> None:
        self.rng = random.Random(f"{seed}:{index}")  # nosec B311 - demo data, not secrets
        self.index, self.staff, self.chunk, self.today = index, staff, chunk, today
        self.officer = staff.officer_for(index)
        self.unit = staff.units[staff.unit_number(index)]
        self.reference = reference

    def days(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def build(self) -> None:
        rng = self.rng
        # Most cases are a few months old; some run for years.
        history = int(min(1500, max(21, rng.expovariate(1 / 260))))
        self.referral_on = self.today - timedelta(days=history)
        closed = history > 300 and rng.random() < 0.3
        self.end_on = self.referral_on + timedelta(days=self.days(200, history)) if closed else self.today
        status = FamilyStatus.CLOSED if closed else (FamilyStatus.REFERRED if history < 30 else FamilyStatus.ACTIVE)
        self.surname = SURNAMES[rng.randrange(len(SURNAMES))]
        self.family = self.chunk.add(
            Family(
                reference=self.reference,
                display_name=f"Familie {self.surname}",
                team=self.officer.team,
                liaison_officer=self.officer,
                police_unit=self.unit,
                status=status,
                referral_on=self.referral_on,
                referral_source=rng.choice(["police", "youth_care", "school", "veilig_thuis", "self_referral"]),
                referral_note="Aangemeld na een melding van vermissing en zorgen over oudere contacten.",
                progress_shared_with_police=rng.random() < 0.4,
                closing_reason="Het kind is veilig en de ouders hebben geen ondersteuning meer nodig."
                if closed
                else "",
                closed_on=self.end_on if closed else None,
                created_by=self.officer,
            )
        )
        self.household()
        self.assignments()
        self.contacts()
        self.agencies()
        self.events()
        self.reviews()
        self.needs()
        if history > 45:
            self.plan()

    def household(self) -> None:
        rng, family = self.rng, self.family
        girl = rng.random() < 0.6
        self.child = self.chunk.add(
            Child(
                family=family,
                full_name=f"{rng.choice(GIRLS if girl else BOYS)} {self.surname}",
                born_on=self.today - timedelta(days=self.days(11 * 365, 17 * 365)),
                school=rng.choice(SCHOOLS),
                exploitation_kind=rng.choice(["sexual", "criminal", "both", "unknown"]),
                risk_level=rng.choice(["low", "medium", "high", "high", "very_high"]),
                risk_set_on=self.referral_on + timedelta(days=self.days(0, 20)),
                created_by=self.officer,
            )
        )
        for _ in range(rng.choice([0, 1, 1, 2])):
            self.chunk.add(
                Child(
                    family=family,
                    full_name=f"{rng.choice(GIRLS + BOYS)} {self.surname}",
                    born_on=self.today - timedelta(days=self.days(3 * 365, 15 * 365)),
                    role="sibling",
                    created_by=self.officer,
                )
            )
        mother = f"{rng.choice(MOTHERS)} {self.surname}"
        user = None
        if rng.random() < 0.7:
            user = self.chunk.add(
                User(
                    email=f"parent-{self.index:06d}@{DEMO_DOMAIN}",
                    full_name=mother,
                    role=Role.PARENT,
                    password=self.staff.password,
                )
            )
        self.caregiver = self.chunk.add(
            HouseholdMember(
                family=family,
                full_name=mother,
                relation="moeder",
                user=user,
                phone=f"06 {self.days(1000, 9999)} {self.days(1000, 9999)}",
                safe_times="Doordeweeks 9-12 uur",
                safe_channel=rng.choice(["phone", "text", "in_person", "via_officer"]),
                needs_interpreter=rng.random() < 0.1,
                created_by=self.officer,
            )
        )
        self.parent_user = user
        if rng.random() < 0.6:
            suspected = rng.random() < 0.08
            member = self.chunk.add(
                HouseholdMember(
                    family=family,
                    full_name=f"{rng.choice(FATHERS)} {self.surname}",
                    relation="stiefvader" if suspected else "vader",
                    is_suspected=suspected,
                    created_by=self.officer,
                )
            )
            if suspected:
                self.chunk.add(
                    CaregiverSuspicion(
                        member=member, reason="Het kind vertelde over misbruik thuis.", marked_by=self.officer
                    )
                )

    def assignments(self) -> None:
        """Earlier officers of the same team, each handing over to the next."""
        colleagues = [o for o in self.staff.team_officers(self.index) if o.pk != self.officer.pk]
        total = (self.end_on - self.referral_on).days
        changes = min(len(colleagues), self.rng.choice([0, 0, 0, 1, 1, 2])) if total > 120 else 0
        officers = [*self.rng.sample(colleagues, changes), self.officer]
        changed_on = sorted(self.referral_on + timedelta(days=self.days(30, total - 30)) for _ in range(changes))
        starts = [self.referral_on, *changed_on]
        supervisor = self.staff.supervisor_for(self.index)
        for n, officer in enumerate(officers):
            last = n == len(officers) - 1
            self.chunk.add(
                LiaisonAssignment(
                    family=self.family,
                    officer=officer,
                    started_at=_at(starts[n], 9),
                    ended_at=None if last else _at(starts[n + 1], 9),
                    created_by=supervisor,
                )
            )
            if n:
                self.chunk.add(
                    Handover(
                        family=self.family,
                        from_officer=officers[n - 1],
                        to_officer=officer,
                        reason="Verdeling caseload",
                        note="Ouders zijn op de hoogte; lopende afspraken staan in de chronologie.",
                        created_by=supervisor,
                        acknowledged_at=_at(starts[n] + timedelta(days=2), 11),
                    )
                )

    def contacts(self) -> None:
        rng, day = self.rng, self.referral_on + timedelta(days=self.days(1, 6))
        self.contact_rows = []
        while day <= self.end_on:
            contact = self.chunk.add(
                ContactEntry(
                    family=self.family,
                    occurred_at=_at(day, self.days(9, 19)),
                    kind=rng.choice(CONTACT_KINDS),
                    with_whom=rng.choice(["moeder", "beide ouders", "vader", "school", "jeugdzorg"]),
                    summary=" ".join(rng.sample(SUMMARIES, 2)),
                    created_by=self.officer,
                )
            )
            self.contact_rows.append(contact)
            if rng.random() < 0.4:
                due = day + timedelta(days=7)
                done = due < self.today - timedelta(days=10) or rng.random() < 0.3
                self.chunk.add(
                    FollowUpAction(
                        family=self.family,
                        contact=contact,
                        description=rng.choice(ACTIONS),
                        owner=rng.choice([self.officer.full_name, "moeder", "vader"]),
                        due_on=due,
                        completed_at=_at(due - timedelta(days=2), 15) if done else None,
                        completed_by=self.officer if done else None,
                        created_by=self.officer,
                    )
                )
            day += timedelta(days=self.days(3, 18))
        if self.contact_rows and self.family.status != FamilyStatus.CLOSED:
            self.contact_rows[-1].next_contact_on = self.today + timedelta(days=self.days(-5, 14))

    def agencies(self) -> None:
        for agency in self.rng.sample(AGENCY_KINDS, self.days(1, 4)):
            started = self.referral_on + timedelta(days=self.days(0, 20))
            if (self.end_on - started).days > 120 and self.rng.random() < 0.4:
                change = started + timedelta(days=self.days(40, (self.end_on - started).days - 20))
                self._involvement(agency, started, change)
                started = change
            self._involvement(agency, started, None)

    def _involvement(self, agency: str, started: date, ended: date | None) -> None:
        self.chunk.add(
            AgencyInvolvement(
                family=self.family,
                agency=agency,
                worker_name=f"{self.rng.choice(MOTHERS + FATHERS)} {self.rng.choice(SURNAMES)}",
                worker_contact="088 555 0100",
                started_on=started,
                ended_on=ended,
                created_by=self.officer,
            )
        )

    # The parents' own needs a family may have: (kind, next step, helper).
    NEEDS = (
        ("debts", "Aanmelden bij de schuldhulpverlening", "Schuldhulpverlener"),
        ("health", "Afspraak bij de huisarts", "Huisarts"),
        ("housing", "Urgentieaanvraag bespreken", "Woningcorporatie"),
        ("siblings", "Opvang regelen voor de broertjes en zusjes", ""),
        ("legal", "Gesprek met het Juridisch Loket", "Juridisch Loket"),
    )

    def needs(self) -> None:
        """Up to three needs of the parents; a closed case's needs were met, an open one's
        are being helped or wait for a next step (some past its date)."""
        for kind, step, helper in self.rng.sample(self.NEEDS, self.days(0, 3)):
            since = self.referral_on + timedelta(days=self.days(0, max(0, (self.end_on - self.referral_on).days)))
            status = NeedStatus.MET if self.end_on < self.today else self.rng.choice(list(NeedStatus)[:2])
            is_open = status != NeedStatus.MET
            values = {
                "kind": kind,
                "status": status,
                "helper": helper if status != NeedStatus.OPEN else "",
                "since_on": since,
                "next_step": step if is_open and self.rng.random() < 0.8 else "",
                "note": "",
            }
            values["next_on"] = self.today + timedelta(days=self.days(-7, 30)) if values["next_step"] else None
            if values["next_on"] is not None and values["next_on"] < since:
                values["next_on"] = since
            need = self.chunk.add(
                ParentNeed(family=self.family, created_by=self.officer, updated_by=self.officer, **values)
            )
            self.chunk.add(NeedVersion(need=need, revision=1, created_by=self.officer, **values))

    def _moment(self) -> date:
        return self.referral_on + timedelta(days=self.days(0, (self.end_on - self.referral_on).days))

    def events(self) -> None:
        years = max(0.2, (self.end_on - self.referral_on).days / 365)
        for _ in range(min(8, int(self.rng.expovariate(1 / (1.2 * years))))):
            kind, text = self.rng.choice(INCIDENTS)
            reported = self.rng.random() < 0.7
            self.chunk.add(
                Incident(
                    family=self.family,
                    occurred_at=_at(self._moment(), self.days(8, 23)),
                    kind=kind,
                    description=text,
                    person_of_concern=self.rng.choice(["", "'Dino'", "oudere jongen met scooter"]),
                    reported_to_police=reported,
                    police_reference=f"2026-ZN-{self.days(1000, 9999)}" if reported else "",
                    created_by=self.officer,
                )
            )
        for _ in range(min(6, int(self.rng.expovariate(1 / (1.5 * years))))):
            started = _at(self._moment(), 23)
            ended = started + timedelta(hours=self.days(6, 72))
            recent = ended > timezone.now() - timedelta(days=5)
            conversation = None if recent and self.rng.random() < 0.5 else ended + timedelta(hours=self.days(4, 90))
            self.chunk.add(
                MissingEpisode(
                    family=self.family,
                    child=self.child,
                    started_at=started,
                    ended_at=ended if ended < timezone.now() else None,
                    reported_to_police=True,
                    police_reference=f"VM-{self.days(10000, 99999)}",
                    where_found=self.rng.choice(["Station Zuid", "bij een oudere vriend", "een woning in Oost"]),
                    return_conversation_at=conversation if ended < timezone.now() else None,
                    return_conversation_note="Kind wilde weinig zeggen; afspraak gemaakt voor een tweede gesprek."
                    if conversation
                    else "",
                    created_by=self.officer,
                )
            )

    def reviews(self) -> None:
        """Scores that mostly climb out of the vicious circle, and sometimes fall back."""
        rng = self.rng
        scores = [rng.randint(1, 3) for _ in range(3)]
        trend = rng.choice([0.35, 0.35, 0.2, 0.0, -0.3])
        day = self.referral_on + timedelta(weeks=4)
        while day <= self.end_on:
            scores = [min(5, max(1, round(s + trend + rng.uniform(-0.8, 0.8)))) for s in scores]
            self.chunk.add(
                ProgressReview(
                    family=self.family,
                    reviewed_on=day,
                    understanding_score=scores[0],
                    understanding_evidence="Ouders beschrijven wat er met hun kind gebeurt.",
                    empowerment_score=scores[1],
                    empowerment_evidence="Ouders volgen de afspraken uit het plan.",
                    resilience_score=scores[2],
                    resilience_evidence="Ouders vertellen hoe ze de week doorkomen.",
                    resilience_plan="Lotgenotencontact aanbieden." if scores[2] < 3 else "",
                    created_by=self.officer,
                )
            )
            if self.parent_user is not None and rng.random() < 0.35:
                own = [min(5, max(1, s + rng.choice([-1, 0, 0, 1]))) for s in scores]
                self.chunk.add(
                    ParentRating(
                        family=self.family,
                        rated_on=day + timedelta(days=2),
                        given_by=self.caregiver.full_name,
                        understanding_score=own[0],
                        empowerment_score=own[1],
                        resilience_score=own[2],
                        comment="Het gaat beter, maar ik slaap nog slecht." if own[2] < 3 else "",
                        source=RatingSource.PORTAL,
                        created_by=self.parent_user,
                    )
                )
            day += timedelta(weeks=6 + rng.choice([-1, 0, 0, 1, 3]))

    def plan(self) -> None:
        """Versions of a year apart: the older ones superseded, the newest active (or
        still being worked on), each agreed by the parents and endorsed by the police."""
        rng, officer = self.rng, self.officer
        police = self.staff.police_for(self.index)
        plan = self.chunk.add(SafetyPlan(family=self.family, created_by=officer))
        count = min(3, 1 + (self.end_on - self.referral_on).days // 365)
        last_open = self.family.status != FamilyStatus.CLOSED and rng.random() < 0.2
        previous = None
        for number in range(1, count + 1):
            newest = number == count
            status = PlanStatus.SHARED if newest and last_open else PlanStatus.ACTIVE
            status = status if newest else PlanStatus.SUPERSEDED
            made = self.referral_on + timedelta(days=30 + 365 * (number - 1))
            version = self.chunk.add(
                PlanVersion(
                    plan=plan,
                    number=number,
                    status=status,
                    based_on=previous,
                    review_on=self._plan_review_on(made, newest),
                    shared_at=_at(made, 14),
                    shared_by=officer,
                    activated_at=_at(made + timedelta(days=5), 10) if status != PlanStatus.SHARED else None,
                    superseded_at=None if newest else _at(made + timedelta(days=365), 10),
                    created_by=officer,
                    updated_by=officer,
                )
            )
            self.plan_parts(version, police)
            if status != PlanStatus.SHARED:
                self.chunk.add(
                    PlanAgreement(
                        version=version,
                        agreed_by=self.caregiver,
                        agreed_at=_at(made + timedelta(days=3), 11),
                        words="Zo kunnen we het doen.",
                        recorded_by=officer,
                    )
                )
                self.chunk.add(PlanEndorsement(version=version, endorsed_by=police, note="Adresmarkering staat."))
            previous = version

    def _plan_review_on(self, made: date, newest: bool) -> date:
        """Older versions were reviewed on time; the newest is mostly due in the coming
        weeks, and now and then overdue."""
        if not newest or self.family.status == FamilyStatus.CLOSED:
            return made + timedelta(weeks=self.rng.choice([8, 12, 26]))
        return self.today + timedelta(days=self.days(-20, 120))

    def plan_parts(self, version: PlanVersion, police: User) -> None:
        rng, officer = self.rng, self.officer
        # Between a one-page plan and a plan of three pages and more.
        per_section = rng.choice([1, 2, 2, 3])
        for section, lines in STATEMENTS.items():
            for n in range(per_section):
                text = lines[n % 2] + (" Besproken met de ouders en het kind." if n > 1 else "")
                self.chunk.add(PlanStatement(version=version, section=section, text=text, created_by=officer))
        for _ in range(rng.choice([1, 1, 2])):
            self.chunk.add(
                PersonOfConcern(
                    version=version,
                    visibility=Visibility.STAFF,
                    name=rng.choice(["'Dino'", "'Rocky'", "Onbekende man"]),
                    age="rond de 24",
                    vehicles="Zwarte scooter",
                    places="Station Zuid, snackbar aan het plein",
                    concern="Haalt het kind op bij het station; vermoedelijk ronselaar.",
                    created_by=officer,
                )
            )
        self.chunk.add(
            PoliceAction(
                version=version,
                kind="address_marker",
                description="Adres gemarkeerd voor snelle inzet bij een melding.",
                owner=police.full_name,
                status="in_place",
                created_by=police,
            )
        )
        if rng.random() < 0.5:
            self.chunk.add(
                MissingProfile(
                    version=version,
                    child=self.child,
                    description="Slank, donker haar, draagt vaak een zwarte jas.",
                    height="1,65 m",
                    places="Station Zuid, bij vrienden in Oost",
                    who_calls_police=self.caregiver.full_name,
                    created_by=officer,
                )
            )
        self.chunk.add(
            PlanContact(version=version, kind="emergency", name="Politie (spoed)", phone="112", created_by=officer)
        )
        self.chunk.add(
            PlanContact(
                version=version,
                kind="liaison_officer",
                name=officer.full_name,
                phone="088 123 4567",
                created_by=officer,
            )
        )
