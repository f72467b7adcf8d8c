"""Pure rules of the pre-shift briefing: who counts once among the attendees.

No database here: the service looks the users up and passes (user id, name) pairs in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

Person = tuple[int | None, str]


def person_key(name: str) -> str:
    """The form of a name two entries are compared by: width-folded (NFKC), case-folded,
    inner spaces removed ("王 师傅" and "王师傅" and "ＷＡＮＧ" vs "wang" are the same person)."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def merge_attendees(people: Iterable[Person]) -> list[Person]:
    """Return the attendees with duplicates removed, in the order first given.

    A user counts once however often chosen; a typed name counts once; a typed name that is
    the name of a user also chosen is that user (the crew tapped the chip and typed the name).
    Blank names without a user are dropped.
    """
    people = list(people)
    user_names = {person_key(name) for user_id, name in people if user_id is not None}
    seen_users: set[int] = set()
    seen_names: set[str] = set()
    merged: list[Person] = []
    for user_id, name in people:
        if user_id is not None:
            if user_id not in seen_users:
                seen_users.add(user_id)
                merged.append((user_id, name))
            continue
        key = person_key(name)
        if not key or key in seen_names or key in user_names:
            continue
        seen_names.add(key)
        merged.append((None, name.strip()))
    return merged
