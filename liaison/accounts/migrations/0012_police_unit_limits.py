"""The police unit's due dates. The acknowledgement limit moves from the team to the
police unit, its one source of truth: each unit starts from the strictest limit of the
teams whose families it works with (so nothing is shown as overdue later than before),
and 5 working days where it works with none."""

import django.core.validators
from django.db import migrations, models


def limits_from_teams(apps, schema_editor):
    PoliceUnit = apps.get_model("accounts", "PoliceUnit")
    Family = apps.get_model("families", "Family")
    for unit in PoliceUnit.objects.all():
        limits = Family.objects.filter(police_unit=unit).values_list(
            "team__acknowledgement_limit_working_days", flat=True
        )
        strictest = min(limits, default=None)
        if strictest is not None:
            unit.acknowledgement_limit_working_days = min(max(strictest, 1), 30)
            unit.save(update_fields=["acknowledgement_limit_working_days"])


def limits_back_to_teams(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    Family = apps.get_model("families", "Family")
    for team in Team.objects.all():
        limits = Family.objects.filter(team=team, police_unit__isnull=False).values_list(
            "police_unit__acknowledgement_limit_working_days", flat=True
        )
        team.acknowledgement_limit_working_days = min(limits, default=5)
        team.save(update_fields=["acknowledgement_limit_working_days"])


def limit_field(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        default=5,
        help_text="From 1 to 30. Saturdays and Sundays do not count.",
        validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(30)],
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_protective_mode_confirm_hours"),
        ("families", "0013_merge_concerns_and_protective_mode"),
    ]

    operations = [
        migrations.AddField(
            model_name="policeunit",
            name="acknowledgement_limit_working_days",
            field=limit_field("working days to confirm what parents shared"),
        ),
        migrations.AddField(
            model_name="policeunit",
            name="endorsement_limit_working_days",
            field=limit_field("working days to endorse a safety plan the parents agreed to"),
        ),
        migrations.AddField(
            model_name="policeunit",
            name="approval_limit_working_days",
            field=limit_field("working days to approve a text for the parents"),
        ),
        migrations.RunPython(limits_from_teams, limits_back_to_teams),
        migrations.RemoveField(model_name="team", name="acknowledgement_limit_working_days"),
        *[
            migrations.AddConstraint(
                model_name="policeunit",
                constraint=models.CheckConstraint(
                    condition=models.Q(**{f"{limit}__gte": 1, f"{limit}__lte": 30}),
                    name=f"police_unit_{limit}_from_1_to_30",
                ),
            )
            for limit in (
                "acknowledgement_limit_working_days",
                "endorsement_limit_working_days",
                "approval_limit_working_days",
            )
        ],
    ]
