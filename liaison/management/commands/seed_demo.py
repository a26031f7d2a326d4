"""Demo data for one team: a supervisor, two liaison officers, a police partner, an
administrator and the parents of three families with months of history. Safe to run
again: existing demo data is kept and fresh backup codes are printed each time.

With ``--families N`` it generates a national service's worth of demo data instead
(``liaison/demo/bulk.py``), for measuring speed; it refuses a database with real data."""

import sys
from datetime import date, datetime, time, timedelta

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from families.models import (
    AgencyInvolvement,
    ArticleDiscussion,
    ArticleSent,
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
    ParentRating,
    ProgressReview,
    RatingSource,
)
from families.selectors.library import current_versions
from families.services import contexts, justice, needs, referrals
from liaison.accounts.models import PoliceUnit, Role, Team, User
from liaison.accounts.second_factor import backup_device_for, secret_as_text
from liaison.demo import bulk as demo_bulk
from liaison.management.base import LocalisedCommand
from safety_plans import services as plans
from safety_plans.models import PersonOfConcern, PlanContact, PlanStatement, PoliceAction, Visibility

DEMO_PASSWORD = demo_bulk.DEMO_PASSWORD
DEMO_DOMAIN = demo_bulk.DEMO_DOMAIN
CODES_SHOWN = 3


def _user(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, **fields)
    return user


def _authenticator(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _on(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


class Command(LocalisedCommand):
    help = "Load demo accounts and families with history, and print one login per role."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--families",
            type=int,
            help="Generate this many families with teams, officers and police units (for benchmarks).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed of the generated families.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args, **options) -> None:
        if demo_bulk.real_data_present():
            raise CommandError(
                _(
                    "This database holds accounts outside %(domain)s: it may hold real data. "
                    "Load demo data only into an empty database or one with demo data alone."
                )
                % {"domain": DEMO_DOMAIN}
            )
        if options["families"] is not None:
            self._generate(options["families"], options["seed"], progress=not options["no_progress"])
            return
        self._small_demo()

    def _generate(self, families: int, seed: int, *, progress: bool) -> None:
        from tqdm import tqdm

        if families < 1:
            raise CommandError(_("--families must be at least 1."))
        if demo_bulk.generated_data_present():
            raise CommandError(_("This database already holds generated families; use a fresh database."))
        with tqdm(total=families, unit=" " + _("families"), disable=not progress, file=sys.stderr) as bar:
            summary = demo_bulk.generate(families=families, seed=seed, progress=bar.update)
        for model, count in summary.rows.items():
            self.stdout.write(f"  {number_format(count, force_grouping=True):>9} {model._meta.verbose_name_plural}")
        self.stdout.write(
            _(
                "Generated %(families)s families. First officer: %(email)s, password %(password)s; "
                "staff have no second factor device until one is added."
            )
            % {
                "families": number_format(summary.families, force_grouping=True),
                "email": demo_bulk.FIRST_OFFICER_EMAIL,
                "password": DEMO_PASSWORD,
            }
        )

    @transaction.atomic
    def _small_demo(self) -> None:
        team, _created = Team.objects.get_or_create(name="Team Noord")
        unit, _created = PoliceUnit.objects.get_or_create(name="Zedenpolitie Noord")
        people = {
            "supervisor": _user(
                f"supervisor@{DEMO_DOMAIN}", full_name="Sanne de Vries", role=Role.SUPERVISOR, team=team
            ),
            "officer": _user(
                f"officer@{DEMO_DOMAIN}", full_name="Ayla Demir", role=Role.OFFICER, team=team, phone="06 1234 5678"
            ),
            "officer2": _user(f"officer2@{DEMO_DOMAIN}", full_name="Bram Visser", role=Role.OFFICER, team=team),
            "police": _user(f"police@{DEMO_DOMAIN}", full_name="Karim El Amrani", role=Role.POLICE, police_unit=unit),
            "analyst": _user(f"analyst@{DEMO_DOMAIN}", full_name="Iris Mulder", role=Role.ANALYST, police_unit=unit),
            "admin": _user(f"admin@{DEMO_DOMAIN}", full_name="Joost Beheer", role=Role.ADMINISTRATOR),
        }
        for key, name in [("parent", "Marieke Jansen"), ("parent2", "Peter Bakker"), ("parent3", "Fatma Yilmaz")]:
            people[key] = _user(f"{key}@{DEMO_DOMAIN}", full_name=name, role=Role.PARENT)
        people["suspect"] = _user(f"suspect@{DEMO_DOMAIN}", full_name="Ron Bakker", role=Role.PARENT)
        if not Family.objects.filter(display_name__startswith="Familie ").exists():
            self._families(team, unit, people)
        jansen = Family.objects.filter(display_name="Familie Jansen", liaison_officer=people["officer"]).first()
        if jansen is not None and not jansen.criminal_cases.exists():
            self._criminal_case(jansen, people["officer"], people["police"])
        if jansen is not None and not jansen.articles_sent.exists():
            self._library(jansen, people["officer"])
        if jansen is not None and not jansen.referrals.exists():
            self._referral(jansen, people["officer"])
        if jansen is not None and not jansen.context_links.exists():
            self._contexts(jansen, people["officer"], people["police"])
        self._print_logins(people)

    def _contexts(self, jansen: Family, officer: User, police: User) -> None:
        """The same car named by two families of the unit: a hit the police and the analyst
        see. Jansen's officer links it to the evening the house was watched."""
        contexts.context_link_record(
            family=jansen,
            created_by=officer,
            kind="vehicle",
            label="XR-501-K",
            note=_("Dark grey Audi near the school, and again the evening the house was watched"),
            incident=jansen.incidents.order_by("-occurred_at").first(),
        )
        yilmaz = Family.objects.filter(display_name="Familie Yilmaz").first()
        if yilmaz is not None:
            contexts.context_link_record(family=yilmaz, created_by=police, kind="vehicle", label="xr 501 k")

    def _referral(self, family: Family, officer: User) -> None:
        """Marieke agreed in writing to a summary for victim support, who accepted the
        referral a week later: a new worker on the family's agency timeline."""
        mother = family.household_members.filter(user__email=f"parent@{DEMO_DOMAIN}").first()
        if mother is None:
            return
        referral = referrals.referral_create(
            family=family,
            created_by=officer,
            agency="victim_support",
            agency_detail="Slachtofferhulp Nederland, regio Noord",
            contact_person="Ingrid Hoekstra",
            question="Steun voor moeder bij de voorbereiding op de zitting en contact met andere ouders.",
            situation=(
                "Lisa is slachtoffer van seksuele uitbuiting; de zaak ligt bij de officier van justitie. "
                "Moeder wil weten wat haar bij de zitting te wachten staat en zoekt lotgenoten."
            ),
            parts=["situation", "children", "agencies"],
            sent_on=_on(34),
            consent_route="caregiver",
            consent_given_by=mother,
            consent_manner="written",
            consent_on=_on(35),
        )
        referrals.referral_status_change(
            referral=referral,
            changed_by=officer,
            status="accepted",
            changed_on=_on(27),
            revision=referral.revision,
            note="Intake gehad met moeder; Ingrid begeleidt haar naar de zitting.",
            start_involvement=True,
            worker_name="Ingrid Hoekstra",
            worker_contact="0900 0101",
        )

    def _library(self, family: Family, officer: User) -> None:
        """The officer sent the family two articles of the library and talked one through."""
        versions = list(current_versions(published_only=True)[:4])
        for version in versions[:2]:
            ArticleSent.objects.create(family=family, article=version.article, version=version, created_by=officer)
        if versions:
            ArticleDiscussion.objects.create(
                family=family,
                article=versions[0].article,
                version=versions[0],
                discussed_on=_on(4),
                note="Samen gelezen; moeder herkent de stappen van grooming bij Lisa.",
                created_by=officer,
            )

    def _family(self, name: str, officer: User, unit, status: str, days_ago: int, source: str, **extra) -> Family:
        family = Family.objects.create(
            display_name=name,
            team=officer.team,
            liaison_officer=officer,
            police_unit=unit,
            status=status,
            referral_on=_on(days_ago),
            referral_source=source,
            created_by=officer,
            **extra,
        )
        LiaisonAssignment.objects.create(family=family, officer=officer, started_at=_at(days_ago), created_by=officer)
        return family

    def _contacts(self, family: Family, officer: User, days: list[int], next_in: int | None) -> None:
        kinds = ["home_visit", "phone", "with_police", "message", "multi_agency", "meeting"]
        for index, days_ago in enumerate(days):
            contact = ContactEntry.objects.create(
                family=family,
                occurred_at=_at(days_ago, 10 + index % 6),
                kind=kinds[index % len(kinds)],
                with_whom="moeder" if index % 2 else "beide ouders",
                summary=(
                    "Uitleg gegeven over hoe grooming werkt; ouders zien het gedrag van hun dochter nu in een "
                    "ander licht. Afgesproken de deur voor haar open te houden."
                    if index % 2
                    else "Ouders vertelden over nachtelijk telefoongebruik en een oudere jongen op een scooter. "
                    "Samen bewijs leren bewaren (screenshots) en niet de confrontatie aangaan."
                ),
                next_contact_on=_on(-next_in) if (next_in is not None and index == len(days) - 1) else None,
                created_by=officer,
            )
            FollowUpAction.objects.create(
                family=family,
                contact=contact,
                description="Screenshots doorgeven aan de zedenpolitie" if index % 2 else "Contact opnemen met school",
                owner=officer.full_name if index % 2 else "moeder",
                due_on=contact.occurred_at.date() + timedelta(days=7),
                completed_at=None if days_ago < 20 else contact.occurred_at + timedelta(days=5),
                completed_by=None if days_ago < 20 else officer,
                created_by=officer,
            )

    def _families(self, team: Team, unit: PoliceUnit, people: dict) -> None:
        officer, officer2, supervisor = people["officer"], people["officer2"], people["supervisor"]

        jansen = self._family("Familie Jansen", officer, unit, FamilyStatus.ACTIVE, 160, "police")
        lisa = Child.objects.create(
            family=jansen,
            full_name="Lisa Jansen",
            born_on=date(2011, 5, 14),
            school="Noorderpoort College",
            exploitation_kind="sexual",
            risk_level="high",
            risk_set_on=_on(30),
            created_by=officer,
        )
        Child.objects.create(
            family=jansen, full_name="Daan Jansen", born_on=date(2015, 2, 3), role="sibling", created_by=officer
        )
        HouseholdMember.objects.create(
            family=jansen,
            full_name="Marieke Jansen",
            relation="moeder",
            user=people["parent"],
            phone="06 2222 3333",
            safe_times="Doordeweeks 9-12 uur",
            safe_channel="text",
            created_by=officer,
        )
        self._contacts(jansen, officer, [150, 120, 95, 70, 48, 30, 12, 4], next_in=3)
        AgencyInvolvement.objects.create(
            family=jansen,
            agency="youth_care",
            worker_name="Eva Smit",
            started_on=_on(150),
            ended_on=_on(80),
            created_by=officer,
        )
        AgencyInvolvement.objects.create(
            family=jansen, agency="youth_care", worker_name="Koen Mulder", started_on=_on(80), created_by=officer
        )
        AgencyInvolvement.objects.create(
            family=jansen, agency="police_vice", worker_name="Karim El Amrani", started_on=_on(150), created_by=officer
        )
        Incident.objects.create(
            family=jansen,
            occurred_at=_at(40, 22),
            kind="intimidation",
            description="Scooter reed drie keer langzaam langs het huis; bestuurder keek naar binnen.",
            reported_to_police=True,
            police_reference="2026-ZN-0412",
            created_by=officer,
        )
        MissingEpisode.objects.create(
            family=jansen,
            child=lisa,
            started_at=_at(20, 23),
            ended_at=_at(18, 14),
            reported_to_police=True,
            police_reference="VM-88121",
            where_found="Station Zuid, bij een oudere vriendin",
            created_by=officer,
        )

        bakker = self._family("Familie Bakker", officer, unit, FamilyStatus.ACTIVE, 90, "veilig_thuis")
        Child.objects.create(
            family=bakker,
            full_name="Noor Bakker",
            born_on=date(2010, 9, 9),
            school="Het Lyceum",
            exploitation_kind="both",
            risk_level="very_high",
            risk_set_on=_on(10),
            created_by=officer,
        )
        HouseholdMember.objects.create(
            family=bakker,
            full_name="Peter Bakker",
            relation="vader",
            user=people["parent2"],
            safe_channel="phone",
            created_by=officer,
        )
        ron = HouseholdMember.objects.create(
            family=bakker,
            full_name="Ron Bakker",
            relation="stiefvader",
            user=people["suspect"],
            is_suspected=True,
            created_by=officer,
        )
        CaregiverSuspicion.objects.create(member=ron, reason="Noor vertelde over misbruik thuis.", marked_by=officer)
        self._contacts(bakker, officer, [85, 60, 41, 25], next_in=None)

        yilmaz = self._family("Familie Yilmaz", officer, unit, FamilyStatus.REFERRED, 20, "school")
        Child.objects.create(
            family=yilmaz,
            full_name="Selin Yilmaz",
            born_on=date(2012, 1, 20),
            exploitation_kind="criminal",
            risk_level="medium",
            risk_set_on=_on(20),
            created_by=officer,
        )
        HouseholdMember.objects.create(
            family=yilmaz,
            full_name="Fatma Yilmaz",
            relation="moeder",
            user=people["parent3"],
            needs_interpreter=True,
            language="Turks",
            created_by=officer,
        )
        self._contacts(yilmaz, officer, [18], next_in=2)
        # A handover from Ayla to Bram, not yet acknowledged.
        now = timezone.now()
        LiaisonAssignment.objects.filter(family=yilmaz, ended_at__isnull=True).update(ended_at=now)
        LiaisonAssignment.objects.create(family=yilmaz, officer=officer2, started_at=now, created_by=supervisor)
        yilmaz.liaison_officer = officer2
        yilmaz.save(update_fields=["liaison_officer"])
        Handover.objects.create(
            family=yilmaz,
            from_officer=officer,
            to_officer=officer2,
            reason="Verdeling caseload",
            note="Moeder spreekt Turks; tolk regelen. Selin is schuw; via school contact houden.",
            created_by=supervisor,
        )

        closed = self._family(
            "Familie de Groot",
            officer2,
            unit,
            FamilyStatus.CLOSED,
            400,
            "self_referral",
            closing_reason="Dochter is veilig en ouders hebben geen ondersteuning meer nodig.",
            closed_on=_on(30),
        )
        self._contacts(closed, officer2, [390, 300, 200, 100, 40], next_in=None)

        # Jansen climbs out of the vicious circle; Bakker's resilience falls twice in a row.
        self._reviews(jansen, officer, [(150, 2, 1, 2), (105, 3, 2, 2), (60, 3, 3, 3), (15, 4, 4, 3)])
        self._reviews(bakker, officer, [(80, 3, 3, 4), (45, 3, 3, 3), (8, 3, 2, 2)])
        ParentRating.objects.create(
            family=jansen,
            rated_on=_on(14),
            given_by="Marieke Jansen",
            understanding_score=4,
            empowerment_score=3,
            resilience_score=2,
            comment="Het gaat beter met Lisa, maar ik slaap nog slecht.",
            source=RatingSource.PORTAL,
            created_by=people["parent"],
        )
        self._active_plan(jansen, officer, people["police"], people["parent"], lisa)
        self._shared_plan(bakker, officer)
        self._needs(jansen, bakker, officer)

    def _needs(self, jansen: Family, bakker: Family, officer: User) -> None:
        """The parents' own needs: one helped and changed, one without a next step."""
        debts = needs.need_record(
            family=jansen,
            created_by=officer,
            kind="debts",
            since_on=_on(90),
            status="open",
            next_step="Aanmelden bij de schuldhulpverlening van de gemeente",
            next_on=timezone.localdate() + timedelta(days=10),
            note="Moeder heeft betalingsachterstanden sinds Lisa vermist raakte.",
        )
        needs.need_change(
            need=debts,
            changed_by=officer,
            base_revision=debts.revision,
            kind="debts",
            since_on=_on(90),
            status="being_helped",
            agency="other",
            helper="Schuldhulpmaatje Anouk",
            next_step="Eerste gesprek met de schuldhulpverlener",
            next_on=timezone.localdate() + timedelta(days=5),
            note="Aangemeld; eerste gesprek gepland.",
        )
        needs.need_record(
            family=jansen,
            created_by=officer,
            kind="siblings",
            since_on=_on(40),
            status="open",
            note="Opvang voor Daan als moeder naar verhoren en zittingen gaat.",
        )
        needs.need_record(
            family=bakker,
            created_by=officer,
            kind="health",
            since_on=_on(20),
            status="being_helped",
            agency="health_care",
            helper="Huisarts",
            next_step="Verwijzing naar de praktijkondersteuner",
            next_on=timezone.localdate() + timedelta(days=14),
        )

    def _criminal_case(self, family: Family, officer: User, police: User) -> None:
        """Lisa's case: the report, her interview, an arrest, and a hearing planned ahead,
        with the texts the police approved for her mother."""
        child = family.children.filter(role="exploited").first()
        case = justice.criminal_case_record(
            family=family,
            created_by=police,
            child=child,
            police_reference="ZP-N-2026-0412",
            opened_on=_on(140),
            people_of_concern="'Dino' (zwarte scooter), ca. 20 jaar",
            staff_detail="Aangifte door moeder samen met Lisa.",
            police_note="Telefoon van verdachte in beslag genomen; onderzoek loopt.",
            impact_statement_wanted=True,
            victim_support_involved=True,
        )
        steps = [
            ("report_made", _on(140), "De aangifte is opgenomen door de zedenpolitie.", True),
            ("child_interview", _on(125), "Lisa is gehoord in de studio. Dat is goed gegaan.", True),
            ("arrested", _on(60), "De politie heeft een verdachte aangehouden.", True),
            ("sent_to_prosecutor", _on(20), "De zaak ligt nu bij de officier van justitie.", False),
        ]
        for kind, on, text, approve in steps:
            milestone = justice.milestone_record(
                case=case, created_by=police, kind=kind, occurs_on=on, parents_text=text
            )
            if approve:
                justice.milestone_approve(milestone=milestone, officer=police, notify=False)
        hearing = justice.milestone_record(
            case=case,
            created_by=officer,
            kind="hearing",
            occurs_on=timezone.localdate() + timedelta(days=7),
            is_planned=True,
            court="Rechtbank Noord-Nederland, Groningen",
            hearing_kind="preliminary",
            parents_text="Er is een eerste zitting bij de rechtbank. Ayla gaat met je mee als je wilt.",
            officer_attends=True,
            separate_waiting_room=True,
        )
        justice.milestone_approve(milestone=hearing, officer=police, parents_see_date=True, notify=False)

    def _reviews(self, family: Family, officer: User, rows: list[tuple[int, int, int, int]]) -> None:
        for days_ago, understanding, empowerment, resilience in rows:
            ProgressReview.objects.create(
                family=family,
                reviewed_on=_on(days_ago),
                understanding_score=understanding,
                understanding_evidence="Ouders beschrijven wat er met hun kind gebeurt.",
                empowerment_score=empowerment,
                empowerment_evidence="Ouders volgen de afspraken uit het plan.",
                resilience_score=resilience,
                resilience_evidence="Ouders vertellen hoe ze de week doorkomen.",
                resilience_plan="Lotgenotencontact aanbieden.",
                created_by=officer,
            )

    def _part(self, version, part, actor):
        return plans.plan_part_save(version=version, part=part, base_revision=version.revision, actor=actor)

    def _plan_draft(self, family: Family, officer: User, concern: str):
        version = plans.plan_version_start(family=family, created_by=officer)
        lines = [
            ("warning_signs", "Nieuwe kleding of telefoon zonder uitleg."),
            ("warning_signs", "Laat thuiskomen, gespannen na telefoontjes."),
            ("parents_do", "Bewijs bewaren: screenshots, kentekens, tijden."),
            ("parents_do", "De deur openhouden: het kind is altijd welkom thuis."),
            ("parents_do_not", "Niet zelf de confrontatie aangaan met de uitbuiter."),
            ("child_can", "Bellen of appen naar mama of naar de ouderbegeleider."),
            ("siblings", "Broertje wordt door opa van school gehaald."),
            ("risks", "Ronselen via sociale media en via oudere vrienden."),
        ]
        for section, text in lines:
            self._part(version, PlanStatement(version=version, section=section, text=text), officer)
        self._part(
            version,
            PersonOfConcern(
                version=version,
                visibility=Visibility.STAFF,
                name="'Dino'",
                age="rond de 24",
                vehicles="Zwarte scooter",
                places="Station Zuid, snackbar aan het plein",
                concern=concern,
            ),
            officer,
        )
        self._part(
            version,
            PlanContact(version=version, kind="emergency", name="Politie (spoed)", phone="112"),
            officer,
        )
        self._part(
            version,
            PlanContact(
                version=version, kind="liaison_officer", name=officer.full_name, phone=officer.phone or "088 123 4567"
            ),
            officer,
        )
        return plans.plan_review_date_set(
            version=version,
            review_on=timezone.localdate() + timedelta(weeks=8),
            base_revision=version.revision,
            actor=officer,
        )

    def _active_plan(self, family: Family, officer: User, police: User, parent: User, child: Child) -> None:
        version = self._plan_draft(family, officer, "Haalt Lisa op bij het station; vermoedelijk ronselaar.")
        self._part(
            version,
            PoliceAction(
                version=version,
                kind="address_marker",
                description="Adres gemarkeerd voor snelle inzet bij een melding.",
                owner=police.full_name,
                status="in_place",
                starts_on=_on(30),
            ),
            police,
        )
        version = plans.plan_share(version=version, base_revision=version.revision, actor=officer)
        member = family.household_members.get(user=parent)
        plans.plan_agree(version=version, agreed_by=member, words="Zo kunnen we het doen.", recorded_by=parent)
        plans.plan_endorse(version=version, officer=police, note="Adresmarkering staat.")

    def _shared_plan(self, family: Family, officer: User) -> None:
        version = self._plan_draft(family, officer, "Stiefvader; contact met Noor alleen onder toezicht.")
        plans.plan_share(version=version, base_revision=version.revision, actor=officer)

    def _print_logins(self, people: dict) -> None:
        out = self.stdout
        out.write("")
        out.write(_("Demo logins (password for every account: %(password)s)") % {"password": DEMO_PASSWORD})
        out.write(_("Staff pass the second factor with one of the single-use backup codes shown,"))
        out.write(_("or by adding the key to an authenticator app. Codes are renewed on every run."))
        out.write("")
        # Each text a message of its own: gettext is never found inside an f-string.
        codes_are, key_is = _("backup codes:"), _("authenticator key:")
        for key in ("supervisor", "officer", "officer2", "police", "analyst", "admin"):
            user = people[key]
            device = _authenticator(user)
            codes = backup_device_for(user).issue_codes(CODES_SHOWN)
            out.write(f"  {user.get_role_display():<16} {user.email:<34} {codes_are} {' '.join(codes)}")
            out.write(f"  {'':<16} {'':<34} {key_is} {secret_as_text(device)}")
        parent_role, parent_note = str(Role.PARENT.label), _("(no second factor unless the parent adds one)")
        suspect_role, suspect_note = _("Suspected carer"), _("(refused at sign-in, as if wrong)")
        out.write(f"  {parent_role:<16} {people['parent'].email:<34} {parent_note}")
        out.write(f"  {suspect_role:<16} {people['suspect'].email:<34} {suspect_note}")
        out.write("")
