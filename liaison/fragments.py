"""Rendered parts of heavy staff pages, kept for a short while and thrown away as soon as
anything they may show changes.

Every change of case data writes an audit event (``liaison.audit.services.audit_record``);
that event also gives the changed family's team a new *data mark*, at once and again
after the commit, and a change outside any family (team settings, accounts) gives every
team a new mark. A kept fragment is found only under the marks it was made with, so
after a change it is never served again. What depends on the clock (today, a return
conversation due after 72 hours) is bounded by a short lifetime and by the date in the
key.

- A fragment is kept for the person it was made for only: the user is part of the key,
  and so is the list of families the access policy lets them see at this moment (asked
  anew on every request), so a family that comes or goes changes the key.
- Fragments live in the memory of the app process (the ``fragments`` cache), never in a
  table or on disk; the marks live in the shared cache, so every app server sees a change.
- A mark is a random token, not a counter: two changes at once can never end on the
  same mark, and a lost mark (a cleared cache) only means that everything is made anew.
"""

import hashlib
from collections.abc import Callable, Iterable
from uuid import uuid4

from django.core.cache import BaseCache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

FRAGMENT_SECONDS = 60
EVERY_TEAM = "all"


def _mark_key(scope: str | int) -> str:
    return f"liaison:data-mark:{scope}"


def _marks() -> BaseCache:
    return caches["default"]


def _fragments() -> BaseCache:
    return caches["fragments"]


def data_changed(*, team_id: int | None) -> None:
    """Throw away every fragment that may show the change: the team's, or every team's
    when the change is not about one family. Now, and again once the change is committed
    (a page made in between from the old data is then not kept either)."""
    scope = team_id if team_id is not None else EVERY_TEAM
    _renew_mark(scope)
    transaction.on_commit(lambda: _renew_mark(scope))


def _renew_mark(scope: str | int) -> None:
    _marks().set(_mark_key(scope), uuid4().hex, None)


def _current_marks(team_ids: Iterable[int]) -> list[str]:
    scopes = [EVERY_TEAM, *sorted(set(team_ids))]
    keys = [_mark_key(scope) for scope in scopes]
    found = _marks().get_many(keys)
    missing = {key: uuid4().hex for key in keys if key not in found}
    for key, mark in missing.items():
        # ``add`` keeps a mark another process set in the meantime; read what won.
        if not _marks().add(key, mark, None):
            missing[key] = _marks().get(key) or mark
    return [found.get(key) or missing[key] for key in keys]


def cached_fragment(
    name: str,
    *,
    user,
    families: Callable[[], list[tuple[int, int]]],
    make: Callable[[], SafeString],
    parts: Iterable = (),
) -> SafeString:
    """The fragment ``name`` for this user, made by ``make`` (a rendered template) unless
    an unchanged copy is kept. ``families()`` gives the id and team of the families the
    access policy lets the user see for this page, now (``liaison.access.visible_families``),
    asked only when fragments are kept: they are part of the key (so a family that comes
    or goes, an emergency access that runs out, changes it), and so are their teams'
    marks, the language and the date. ``parts`` is what else the fragment depends on (the
    query)."""
    if not keeps_fragments():
        return make()
    return _kept(name, user=user, visible=sorted(families()), parts=parts, make=make)


def cached_case_part(
    template: str, *, request: HttpRequest, family, context: Callable[[], dict], parts: Iterable = ()
) -> SafeString:
    """The main part of one family's page, the template rendered with what ``context``
    gives, kept as ``cached_fragment`` keeps a fragment. The family is the one the access
    policy has just let this user read (``get_family_or_404``), so the key needs no query
    to know it."""
    return _kept(
        template,
        user=request.user,
        visible=[(family.pk, family.team_id)],
        parts=parts,
        make=lambda: render_to_string(template, context(), request=request),
    )


def keeps_fragments() -> bool:
    """Whether fragments are kept at all: with none kept (``FRAGMENTS=off``) every page is
    made anew, and the marks and the key, which only find a kept copy, are not read."""
    return not isinstance(_fragments(), DummyCache)


def _kept(name: str, *, user, visible: list, parts: Iterable, make: Callable[[], SafeString]) -> SafeString:
    if not keeps_fragments():
        return make()
    marks = _current_marks(team_id for _, team_id in visible)
    # Who the user is now, as the access policy reads it: a changed role, team or unit
    # (an account change the audit trail does not tie to a team) changes the key.
    person = [user.pk, user.role, user.team_id, user.police_unit_id]
    shown = [get_language(), timezone.localdate(), *parts]
    raw = "|".join(str(part) for part in [name, *person, visible, *marks, *shown])
    key = f"liaison:fragment:{name}:{user.pk}:{hashlib.sha256(raw.encode()).hexdigest()}"
    fragment = _fragments().get(key)
    if fragment is None:
        fragment = make()
        _fragments().set(key, fragment, FRAGMENT_SECONDS)
    return fragment
