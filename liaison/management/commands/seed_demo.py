"""Demo data for one team: a supervisor, two liaison officers, a police partner, an
administrator and the parents of three families. Safe to run again: accounts are
reused and fresh backup codes are printed each time."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from families.models import Family, FamilyStatus, HouseholdMember
from liaison.accounts.models import PoliceUnit, Role, Team, User
from liaison.accounts.second_factor import backup_device_for, secret_as_text

DEMO_PASSWORD = "demo-Liaison-2026"  # noqa: S105 (demo accounts only)
DEMO_DOMAIN = "demo.liaison.test"
CODES_SHOWN = 3


def _user(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, **fields)
    return user


def _authenticator(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


class Command(BaseCommand):
    help = "Load demo accounts and families, and print one login per role."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        team, _ = Team.objects.get_or_create(name="Team Noord")
        unit, _ = PoliceUnit.objects.get_or_create(name="Zedenpolitie Noord")
        people = {
            Role.SUPERVISOR: _user(
                f"supervisor@{DEMO_DOMAIN}", full_name="Sanne de Vries", role=Role.SUPERVISOR, team=team
            ),
            Role.OFFICER: _user(
                f"officer@{DEMO_DOMAIN}", full_name="Ayla Demir", role=Role.OFFICER, team=team, phone="06 1234 5678"
            ),
            "officer2": _user(f"officer2@{DEMO_DOMAIN}", full_name="Bram Visser", role=Role.OFFICER, team=team),
            Role.POLICE: _user(
                f"police@{DEMO_DOMAIN}", full_name="Inspecteur Karim El Amrani", role=Role.POLICE, police_unit=unit
            ),
            Role.ADMINISTRATOR: _user(f"admin@{DEMO_DOMAIN}", full_name="Joost Admin", role=Role.ADMINISTRATOR),
        }
        families = [
            ("Familie Jansen", people[Role.OFFICER], FamilyStatus.ACTIVE, [("Marieke Jansen", "moeder", "parent")]),
            (
                "Familie Bakker",
                people[Role.OFFICER],
                FamilyStatus.ACTIVE,
                [("Peter Bakker", "vader", "parent2"), ("Ron Bakker", "stiefvader", "suspect")],
            ),
            ("Familie Yilmaz", people["officer2"], FamilyStatus.REFERRED, [("Fatma Yilmaz", "moeder", "parent3")]),
        ]
        for name, officer, status, members in families:
            family = Family.objects.filter(display_name=name).first() or Family.objects.create(
                display_name=name, team=team, liaison_officer=officer, police_unit=unit, status=status
            )
            for full_name, relation, key in members:
                account = _user(f"{key}@{DEMO_DOMAIN}", full_name=full_name, role=Role.PARENT)
                people.setdefault(key, account)
                HouseholdMember.objects.get_or_create(
                    family=family,
                    user=account,
                    defaults={"full_name": full_name, "relation": relation, "is_suspected": key == "suspect"},
                )
        self._print_logins(people)

    def _print_logins(self, people: dict) -> None:
        out = self.stdout
        out.write("")
        out.write(f"Demo logins (password for every account: {DEMO_PASSWORD})")
        out.write("Staff pass the second factor with one of the single-use backup codes shown,")
        out.write("or by adding the key to an authenticator app. Codes are renewed on every run.")
        out.write("")
        for key in (Role.SUPERVISOR, Role.OFFICER, Role.POLICE, Role.ADMINISTRATOR):
            user = people[key]
            device = _authenticator(user)
            codes = backup_device_for(user).issue_codes(CODES_SHOWN)
            out.write(f"  {user.get_role_display():<16} {user.email:<32} backup codes: {' '.join(codes)}")
            out.write(f"  {'':<16} {'':<32} authenticator key: {secret_as_text(device)}")
        out.write(f"  {'Parent':<16} {people['parent'].email:<32} (no second factor unless the parent adds one)")
        out.write(f"  {'Suspected carer':<16} {people['suspect'].email:<32} (signs in, but reaches no family)")
        out.write("")
