"""The project's template tags: Django's own, with what they wrote remembered."""

from collections.abc import Callable, Hashable


def remembered(store: dict, key: Hashable, write: Callable[[], str], most: int) -> str:
    """What ``write`` wrote for ``key``, written once and kept in ``store``; a store that
    holds ``most`` entries forgets them all at once before it takes another."""
    written = store.get(key)
    if written is None:
        if len(store) >= most:
            store.clear()
        written = store[key] = write()
    return written
