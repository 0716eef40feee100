"""Name lookups: listing pages, deleted codes, missing permissions and bulk users."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import httpx
import pytest

from tests.genesys.fakeorg import FakeOrg, error, make_conversation
from wrapup_desktop.domain.decode import convert_conversation
from wrapup_desktop.domain.directory import LookupState
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.genesys import load_directory

START = datetime(2026, 11, 2, 9, tzinfo=UTC)


def conversation(cid: str, **kwargs: str | None) -> Conversation:
    converted = convert_conversation(make_conversation(cid, START, **kwargs))  # type: ignore[arg-type]
    assert isinstance(converted, Conversation)
    return converted


def forbid(prefix: str, permission: str):  # type: ignore[no-untyped-def]
    def fault(request: httpx.Request, body: object, org: FakeOrg) -> httpx.Response | None:
        if request.url.path.startswith(prefix):
            return error(
                403,
                "missing.any.permissions",
                "You must have at least one of the following permissions assigned: "
                f"[{permission}]",
            )
        return None

    return fault


async def test_names_found_across_listing_pages() -> None:
    org = FakeOrg(codes={"code-1": "Sale", "code-2": "Refund", "code-3": "Other"})
    conversations = [
        conversation("a", code="code-1"),
        conversation("b", code="code-3"),
        conversation("c", code="ININ-WRAP-UP-TIMEOUT"),
    ]
    async with org.session() as session:
        directory = await load_directory(session, conversations, remembered_code_names={"x": "X"})
    assert directory.wrapup_codes == {"code-1": "Sale", "code-3": "Other"}
    assert directory.wrapup_codes_state == LookupState.FOUND
    assert directory.queues["queue-1"].name == "Support"
    assert directory.queues["queue-1"].wrapup_prompt == "MANDATORY_TIMEOUT"
    assert directory.queues["queue-1"].acw_timeout_ms == 30000
    assert directory.users == {"user-1": "Ada Agent"}
    assert directory.remembered_code_names == {"x": "X"}
    listing = [r for r in org.requests if r.url.path == "/api/v2/routing/wrapupcodes"]
    assert len(listing) == 3
    assert not any("ININ-" in str(r.url) for r in org.requests)


async def test_deleted_code_marked_deleted() -> None:
    org = FakeOrg(codes={"code-1": "Sale"})
    async with org.session() as session:
        directory = await load_directory(session, [conversation("a", code="code-gone")])
    assert directory.code_misses == {"code-gone": LookupState.DELETED}
    single = [r for r in org.requests if r.url.path == "/api/v2/routing/wrapupcodes/code-gone"]
    assert len(single) == 1


async def test_code_missing_from_listing_fetched_singly() -> None:
    org = FakeOrg(codes={"code-1": "Sale", "code-9": "Hidden"}, deleted_codes={"code-9"})
    async with org.session() as session:
        directory = await load_directory(session, [conversation("a", code="code-9")])
    assert directory.wrapup_codes == {"code-9": "Hidden"}


async def test_403_on_codes_warns(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    org = FakeOrg()
    org.faults.append(forbid("/api/v2/routing/wrapupcodes", "routing:wrapupCode:view"))
    async with org.session() as session:
        directory = await load_directory(session, [conversation("a", code="code-1")])
    assert directory.wrapup_codes == {}
    assert directory.wrapup_codes_state == LookupState.FORBIDDEN
    assert directory.code_misses == {"code-1": LookupState.FORBIDDEN}
    assert directory.users == {"user-1": "Ada Agent"}
    assert "routing:wrapupCode:view" in caplog.text
    single = [r for r in org.requests if r.url.path == "/api/v2/routing/wrapupcodes/code-1"]
    assert single == []


async def test_403_on_queues_and_users() -> None:
    org = FakeOrg()
    org.faults.append(forbid("/api/v2/routing/queues", "routing:queue:view"))
    org.faults.append(forbid("/api/v2/users", "directory:user:view"))
    async with org.session() as session:
        directory = await load_directory(session, [conversation("a")])
    assert directory.queues_state == LookupState.FORBIDDEN
    assert directory.queue_misses == {"queue-1": LookupState.FORBIDDEN}
    assert directory.users_state == LookupState.FORBIDDEN
    assert directory.user_misses == {"user-1": LookupState.FORBIDDEN}
    assert directory.wrapup_codes == {"code-1": "Sale"}


async def test_users_bulk_hundred_per_call() -> None:
    org = FakeOrg(users={f"user-{i:03d}": f"Agent {i}" for i in range(250)})
    conversations = [conversation(f"c{i}", user_id=f"user-{i:03d}") for i in range(251)]
    async with org.session() as session:
        directory = await load_directory(session, conversations)
    calls = [r for r in org.requests if r.url.path == "/api/v2/users"]
    assert [len(r.url.params.get_list("id")) for r in calls] == [100, 100, 51]
    assert all(r.url.params["state"] == "any" for r in calls)
    assert len(directory.users) == 250
    assert directory.user_misses == {"user-250": LookupState.DELETED}


async def test_deleted_queue_and_cache() -> None:
    org = FakeOrg()
    conversations = [conversation("a", queue_id="queue-gone"), conversation("b")]
    async with org.session() as session:
        first = await load_directory(session, conversations)
        count = len(org.requests)
        second = await load_directory(session, conversations)
    assert first.queue_misses == {"queue-gone": LookupState.DELETED}
    assert second.queues == first.queues
    assert len(org.requests) == count
