"""Wire formats shared by the generator and the emulator: GUIDs and ISO-8601 UTC timestamps.

Times inside the sandbox are integer milliseconds since the Unix epoch; they become strings
such as `2026-11-30T14:02:11.512Z` only when a conversation is built.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

DAY_MS = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DATE = date(1970, 1, 1)


def new_guid(rng: random.Random) -> str:
    """Draw a version-4 style GUID from `rng`, so the same seed gives the same ids."""
    text = f"{rng.getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-a{text[17:20]}-{text[20:]}"


@lru_cache(maxsize=512)
def _day_prefix(day_number: int) -> str:
    return (_EPOCH_DATE + timedelta(days=day_number)).isoformat() + "T"


@lru_cache(maxsize=1)
def _time_of_day_texts() -> tuple[str, ...]:
    # "HH:MM:SS." for each second of a day: formatting is the generator's hottest step.
    return tuple(
        f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}."
        for second in range(86_400)
    )


_MILLIS_TEXTS = tuple(f"{millis:03d}Z" for millis in range(1000))


def iso_ms(epoch_ms: int) -> str:
    """Format epoch milliseconds the way Genesys does: `yyyy-MM-ddTHH:mm:ss.SSSZ`."""
    day_number, rest = divmod(epoch_ms, DAY_MS)
    seconds, millis = divmod(rest, 1000)
    return _day_prefix(day_number) + _time_of_day_texts()[seconds] + _MILLIS_TEXTS[millis]


def to_ms(moment: datetime) -> int:
    """Convert an aware datetime to epoch milliseconds (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def from_ms(epoch_ms: int) -> datetime:
    """Convert epoch milliseconds to an aware UTC datetime."""
    return _EPOCH + timedelta(milliseconds=epoch_ms)


def day_start_ms(day: date) -> int:
    """Epoch milliseconds of 00:00 UTC on `day`."""
    return (day - _EPOCH_DATE).days * DAY_MS


def day_of_ms(epoch_ms: int) -> date:
    """Return the UTC date that contains the instant `epoch_ms`."""
    return _EPOCH_DATE + timedelta(days=epoch_ms // DAY_MS)


def parse_instant(text: str) -> datetime:
    """Parse one ISO-8601 instant as the analytics API accepts it.

    `Z`, an offset, or no zone at all (read as UTC) are accepted, as are a date alone and times
    without milliseconds. Raises ValueError for anything else.
    """
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        # NOTE: Genesys documents only zoned instants; a naive one is read as UTC here.
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
