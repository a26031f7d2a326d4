"""Reads of incidents and missing episodes of one family, each list in a fixed number of
queries however long the history."""

from django.db.models import QuerySet

from families.models import Family, Incident, MissingEpisode


def incidents_of(family: Family) -> QuerySet[Incident]:
    """Newest first."""
    return family.incidents.select_related("created_by").order_by("-occurred_at", "-pk")


def missing_now(family: Family) -> QuerySet[MissingEpisode]:
    """Episodes of a child who has not returned yet: what needs attention first."""
    return (
        family.missing_episodes.filter(ended_at__isnull=True)
        .select_related("child", "created_by")
        .order_by("-started_at", "-pk")
    )


def missing_returned(family: Family) -> QuerySet[MissingEpisode]:
    """Episodes that ended, newest first, with the return conversation held or due."""
    return (
        family.missing_episodes.filter(ended_at__isnull=False)
        .select_related("child", "created_by")
        .order_by("-started_at", "-pk")
    )


def missing_episode_of(family: Family, episode_pk: int) -> MissingEpisode | None:
    """One episode, only through its own family: another family's episode is absent."""
    return family.missing_episodes.select_related("child").filter(pk=episode_pk).first()
