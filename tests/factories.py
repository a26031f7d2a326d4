import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from families.models import Child, Family, FamilyStatus, HouseholdMember, LiaisonAssignment, ProgressReview
from families.models.household import ChildRole, ExploitationKind, RiskLevel
from liaison.accounts.models import PoliceUnit, Role, Team, User

PASSWORD = "a-Long-test-password-42"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class PoliceUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceUnit
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Police unit {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.OFFICER
    team = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role in (Role.OFFICER, Role.SUPERVISOR)),
        yes_declaration=factory.SubFactory(TeamFactory),
        no_declaration=None,
    )
    police_unit = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.POLICE),
        yes_declaration=factory.SubFactory(PoliceUnitFactory),
        no_declaration=None,
    )

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family
        skip_postgeneration_save = True

    display_name = factory.Sequence(lambda n: f"Family {n}")
    liaison_officer = factory.SubFactory(UserFactory, role=Role.OFFICER)
    team = factory.LazyAttribute(lambda o: o.liaison_officer.team)
    police_unit = factory.SubFactory(PoliceUnitFactory)
    status = FamilyStatus.ACTIVE

    @factory.post_generation
    def assignment(self, create, extracted, **kwargs):
        """Every family starts with its officer's open assignment, as family_open does."""
        if create:
            LiaisonAssignment.objects.create(
                family=self, officer=self.liaison_officer, started_at=timezone.now(), created_by=self.liaison_officer
            )


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    family = factory.SubFactory(FamilyFactory)
    full_name = factory.Faker("first_name")
    role = ChildRole.EXPLOITED
    exploitation_kind = ExploitationKind.SEXUAL
    risk_level = RiskLevel.HIGH
    risk_set_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.LazyAttribute(lambda o: o.family.liaison_officer)


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    family = factory.SubFactory(FamilyFactory)
    full_name = factory.Faker("name")
    relation = "mother"
    user = factory.SubFactory(UserFactory, role=Role.PARENT)


def confirmed_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def progress_review(family, on, scores: tuple[int, int, int], *, corrects=None, created_by=None) -> ProgressReview:
    """A progress review of the family on that day with these three scores (understanding,
    empowerment, resilience), correcting ``corrects`` when given."""
    understanding, empowerment, resilience = scores
    return ProgressReview.objects.create(
        family=family,
        reviewed_on=on,
        understanding_score=understanding,
        understanding_evidence="evidence",
        empowerment_score=empowerment,
        empowerment_evidence="evidence",
        resilience_score=resilience,
        resilience_evidence="evidence",
        supersedes=corrects,
        correction_reason="Scores were entered in the wrong order" if corrects else "",
        created_by=created_by or family.liaison_officer,
    )


def as_a_request_reads(user):
    """The user as a signed-in request reads them (``user_with_device``): with what that
    one statement answers of them, such as whether a household record is theirs, which
    spares most staff any question of who is untrusted."""
    from liaison.accounts.authentication import NO_DEVICE, user_with_device

    return user_with_device(user.pk, *NO_DEVICE)
