"""Directory lookups: wrap-up codes, queues, users and the organization."""

from __future__ import annotations

from tests.sandbox.conftest import Harness
from wrapup_desktop.sandbox import ORG_NAME, SandboxOrg

CODES = "/api/v2/routing/wrapupcodes"


async def test_codes_listing_pages(harness: Harness) -> None:
    first = (await harness.get(CODES, pageSize=10)).json()
    assert first["total"] == 25
    assert first["pageCount"] == 3
    assert len(first["entities"]) == 10
    assert first["nextUri"] == "/api/v2/routing/wrapupcodes?pageSize=10&pageNumber=2"
    assert "previousUri" not in first
    last = (await harness.get(CODES, pageSize=10, pageNumber=3)).json()
    assert len(last["entities"]) == 5
    assert "nextUri" not in last
    assert last["previousUri"] == "/api/v2/routing/wrapupcodes?pageSize=10&pageNumber=2"


async def test_codes_default_page_size(harness: Harness) -> None:
    listing = (await harness.get(CODES)).json()
    assert listing["pageSize"] == 25
    assert "nextUri" not in listing
    entity = listing["entities"][0]
    assert set(entity) >= {"id", "name", "division", "selfUri"}


async def test_follow_next_uri(harness: Harness) -> None:
    listing = (await harness.get(CODES, pageSize=20)).json()
    following = await harness.client.get(listing["nextUri"], headers=harness.headers)
    assert following.json()["pageNumber"] == 2
    assert len(following.json()["entities"]) == 5


async def test_codes_id_filter(harness: Harness, org: SandboxOrg) -> None:
    wanted = [org.wrapup_codes[1].id, org.wrapup_codes[2].id, org.deleted_code_id]
    response = await harness.client.get(
        CODES, params=[("id", w) for w in wanted], headers=harness.headers
    )
    ids = {entity["id"] for entity in response.json()["entities"]}
    assert ids == set(wanted[:2])


async def test_codes_name_filter(harness: Harness) -> None:
    listing = (await harness.get(CODES, name="refund")).json()
    assert [entity["name"] for entity in listing["entities"]] == ["Refund issued"]


async def test_deleted_code_is_404(harness: Harness, org: SandboxOrg) -> None:
    response = await harness.get(f"{CODES}/{org.deleted_code_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "not.found"
    listed = await harness.get(f"{CODES}/{org.wrapup_codes[0].id}")
    assert listed.json()["name"] == org.wrapup_codes[0].name


async def test_bad_page_size_rejected(harness: Harness) -> None:
    response = await harness.get(CODES, pageSize="ten")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid.query.param.value"


async def test_queues_carry_acw_settings(harness: Harness) -> None:
    queues = (await harness.get("/api/v2/routing/queues")).json()["entities"]
    prompts = {queue["acwSettings"]["wrapupPrompt"] for queue in queues}
    assert len(queues) == 6
    assert "AGENT_REQUESTED" in prompts
    timed = [q for q in queues if q["acwSettings"]["wrapupPrompt"] == "MANDATORY_TIMEOUT"]
    assert timed[0]["acwSettings"]["timeoutMs"] == 30_000


async def test_queue_by_id(harness: Harness, org: SandboxOrg) -> None:
    queue = org.queues[2]
    response = await harness.get(f"/api/v2/routing/queues/{queue.id}")
    assert response.json()["name"] == queue.name
    filtered = await harness.get("/api/v2/routing/queues", id=queue.id)
    assert [q["id"] for q in filtered.json()["entities"]] == [queue.id]


async def test_users_hide_deleted_by_default(harness: Harness, org: SandboxOrg) -> None:
    ids = {u["id"] for u in (await harness.get("/api/v2/users", pageSize=100)).json()["entities"]}
    assert org.deleted_user_id not in ids
    assert len(ids) == 38


async def test_users_state_any(harness: Harness, org: SandboxOrg) -> None:
    listing = (await harness.get("/api/v2/users", pageSize=100, state="any")).json()
    ids = {user["id"] for user in listing["entities"]}
    assert org.deleted_user_id in ids
    assert listing["total"] == 41
    deleted = (await harness.get("/api/v2/users", state="deleted")).json()["entities"]
    assert [user["id"] for user in deleted] == [org.deleted_user_id]


async def test_users_bulk_id_filter(harness: Harness, org: SandboxOrg) -> None:
    wanted = [org.users[0].id, org.deleted_user_id]
    response = await harness.get("/api/v2/users", id=",".join(wanted), state="any")
    names = {user["name"] for user in response.json()["entities"]}
    assert names == {"José Núñez", "Björn Åkesson"}


async def test_users_over_100_ids_rejected(harness: Harness) -> None:
    ids = ",".join(f"id-{n}" for n in range(101))
    response = await harness.get("/api/v2/users", id=ids)
    assert response.status_code == 400
    assert "At most 100" in response.json()["message"]


async def test_single_deleted_user(harness: Harness, org: SandboxOrg) -> None:
    path = f"/api/v2/users/{org.deleted_user_id}"
    assert (await harness.get(path)).status_code == 404
    assert (await harness.get(path, state="deleted")).json()["state"] == "deleted"


async def test_organization_me(harness: Harness) -> None:
    response = await harness.get("/api/v2/organizations/me")
    assert response.json()["name"] == ORG_NAME == "Sandbox Org (demo)"


async def test_unknown_path_error_body(harness: Harness) -> None:
    response = await harness.get("/api/v2/routing/skills")
    assert response.status_code == 404
    assert response.json()["code"] == "not.found"
    assert "/api/v2/routing/skills" in response.json()["message"]


async def test_wrong_method_error_body(harness: Harness) -> None:
    response = await harness.client.delete("/api/v2/routing/queues", headers=harness.headers)
    assert response.status_code == 405
    assert response.json()["status"] == 405
