"""The requests domain's messages: how a request came in (its track), in one wording for
everyone who reads about someone else's request and one for the employee reading their own."""

from __future__ import annotations

from mentorship.assistance.states import Track
from mentorship.lib.messages import Catalogue, Message, word

ASSISTANCE = Catalogue(
    "assistance",
    {
        "track.voluntary": "Asked for help themselves",
        "track.referred": "Referred by a supervisor",
        "track.voluntary.own": "You asked for help yourself",
        "track.referred.own": "Your supervisor referred you",
    },
)


def how_it_came_in(track: Track, *, own: bool = False) -> Message:
    """How a request came in: for its own employee (`own`), or for anyone else."""
    return ASSISTANCE(f"track.{track.value}" + (".own" if own else ""))


def track_words(*, own: bool = False) -> dict[Track, str]:
    """Each track in English words, for pages and files that show a track beside a request."""
    return {track: word(how_it_came_in(track, own=own)) for track in Track}
