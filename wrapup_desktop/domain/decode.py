"""Decode details pages from JSON bytes into the structs of `model.py`.

The fast path decodes a whole page in one typed pass. When a value has the wrong type, the page
is decoded again without types and each conversation is converted on its own, so one bad
conversation costs only itself: it is kept as a `MalformedConversation` with the JSON path and the
reason msgspec gives (for example "Expected `str`, got `int` - at `$.participants[1].userId`").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from wrapup_desktop.domain.model import Conversation, DetailsPage

_page_decoder = msgspec.json.Decoder(DetailsPage)


class PageDecodeError(ValueError):
    """The bytes are not JSON, or not an object with the shape of a details page."""


@dataclass(slots=True)
class MalformedConversation:
    """A conversation that did not fit the expected shape, kept with the generic decode."""

    raw: Any
    error: str

    @property
    def conversation_id(self) -> str | None:
        if isinstance(self.raw, dict):
            value = self.raw.get("conversationId")
            return value if isinstance(value, str) else None
        return None


@dataclass(slots=True)
class DecodedPage:
    """The conversations of one page, good and malformed, with the paging fields."""

    conversations: list[Conversation] = field(default_factory=list)
    malformed: list[MalformedConversation] = field(default_factory=list)
    total_hits: int | None = None
    cursor: str | None = None
    data_availability_date: datetime | None = None


def decode_page(content: bytes | str) -> DecodedPage:
    """Decode a details-query response or a jobs results page.

    Raises PageDecodeError when the content is not JSON or the top level is not an object with
    the paging fields of the expected type; a wrong value inside one conversation only marks
    that conversation as malformed.
    """
    try:
        page = _page_decoder.decode(content)
    except msgspec.ValidationError:
        return _decode_page_tolerantly(content)
    except msgspec.DecodeError as exc:
        raise PageDecodeError(f"the response is not valid JSON: {exc}") from exc
    return DecodedPage(
        conversations=page.conversations,
        total_hits=page.total_hits,
        cursor=page.cursor,
        data_availability_date=page.data_availability_date,
    )


def convert_conversation(raw: Any) -> Conversation | MalformedConversation:
    """Convert one generically decoded conversation, keeping it as malformed on a type error."""
    try:
        return msgspec.convert(raw, Conversation)
    except msgspec.ValidationError as exc:
        return MalformedConversation(raw=raw, error=str(exc))


def _decode_page_tolerantly(content: bytes | str) -> DecodedPage:
    raw = msgspec.json.decode(content)
    if not isinstance(raw, dict):
        raise PageDecodeError(
            f"expected a JSON object with `conversations`, but got a {type(raw).__name__}"
        )
    try:
        header = msgspec.convert(
            {
                key: raw[key]
                for key in ("totalHits", "cursor", "dataAvailabilityDate")
                if key in raw
            },
            DetailsPage,
        )
    except msgspec.ValidationError as exc:
        raise PageDecodeError(f"the paging fields have the wrong type: {exc}") from exc
    items = raw.get("conversations", [])
    if items is None:
        items = []
    if not isinstance(items, list):
        raise PageDecodeError(
            f"expected `conversations` to be a list, but got a {type(items).__name__}"
        )
    decoded = DecodedPage(
        total_hits=header.total_hits,
        cursor=header.cursor,
        data_availability_date=header.data_availability_date,
    )
    for index, item in enumerate(items):
        result = convert_conversation(item)
        if isinstance(result, MalformedConversation):
            result.error = result.error.replace("at `$", f"at `$.conversations[{index}]", 1)
            decoded.malformed.append(result)
        else:
            decoded.conversations.append(result)
    return decoded
