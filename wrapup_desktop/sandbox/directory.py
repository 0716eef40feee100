"""The sandbox org's fixed directory: divisions, users, queues, wrap-up codes and campaigns.

Everything is drawn from the seed alone, so the same seed always gives the same ids and names.
Entities are plain dicts in the JSON shape of the Genesys routing and users APIs.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from wrapup_desktop.sandbox.formats import new_guid

ORG_NAME = "Sandbox Org (demo)"

# The id Genesys gives the built-in "Default Wrap-up Code" in every org.
DEFAULT_WRAPUP_CODE_ID = "7fb334b0-0e9e-11e4-9191-0800200c9a66"

_FIRST_NAMES = (
    "José",
    "Ana",
    "Chloé",
    "Mateo",
    "Zoë",
    "Liam",
    "Sofía",
    "Noah",
    "Ingrid",
    "Ravi",
    "Amélie",
    "Kenji",
    "Fatima",
    "Oskar",
    "Léa",
    "Tomás",
    "Priya",
    "Jürgen",
    "Maya",
    "Olu",
    "Hélène",
    "Marek",
    "Aoife",
    "Diego",
    "Nadia",
    "Søren",
    "Grace",
    "Élodie",
    "Yusuf",
    "Clara",
)
_LAST_NAMES = (
    "Núñez",
    "García",
    "Müller",
    "O'Brien",
    "Dubois",
    "Kowalski",
    "Şahin",
    "Ito",
    "Okafor",
    "Svensson",
    "Rossi",
    "Nguyen",
    "Fernández",
    "Łukasik",
    "Smith",
    "Brontë",
    "Patel",
    "Kim",
    "Haddad",
    "Costa",
    "Novák",
    "Murphy",
    "Andersen",
    "Lefèvre",
    "Chen",
    "Walsh",
    "Ibáñez",
)

_CODE_NAMES = (
    "Default Wrap-up Code",
    "Sale completed",
    "Refund issued",
    "Information given",
    "Complaint – escalated",
    "Callback scheduled",
    "Wrong number",
    "Billing question",
    "Payment taken",
    "Address changed",
    "Technical fault logged",
    "Claim opened",
    "Claim status update",
    "Promise to pay",
    "Debt disputed",
    "Customer unreachable",
    "Résolu au premier contact",
    "Cancellation – retained",
    "Cancellation – lost",
    "Order tracking",
    "Password reset",
    "Survey declined",
    "Transferred to partner",
    "Spam / abusive",
    "Follow-up e-mail sent",
)

# (name, wrapupPrompt, timeoutMs or None, media the queue serves)
_QUEUE_SPECS: tuple[tuple[str, str, int | None, tuple[str, ...]], ...] = (
    ("Support – Voice", "MANDATORY", None, ("voice", "callback")),
    ("Sales", "OPTIONAL", None, ("voice", "callback")),
    ("Billing", "MANDATORY_TIMEOUT", 30_000, ("voice",)),
    ("Claims", "MANDATORY_FORCED_TIMEOUT", 20_000, ("voice",)),
    ("Atención Digital", "AGENT_REQUESTED", 60_000, ("chat", "message", "email")),
    ("Outbound Collections", "MANDATORY", None, ("voice",)),
)
# Queue indexes by role, used by the scenario generator.
SUPPORT, SALES, BILLING, CLAIMS, DIGITAL, OUTBOUND = range(6)

AGENT_COUNT = 40
DELETED_USER_NAME = "Björn Åkesson"


@dataclass(frozen=True)
class Queue:
    """A routing queue and the after-call-work setting that decides whether a code is due."""

    id: str
    name: str
    wrapup_prompt: str
    timeout_ms: int | None
    media_types: tuple[str, ...]
    division_id: str
    code_ids: tuple[str, ...]
    agent_ids: tuple[str, ...]


@dataclass(frozen=True)
class User:
    """A user; `state` is `active`, `inactive` or `deleted` as `GET /api/v2/users` reports it."""

    id: str
    name: str
    email: str
    state: str
    division_id: str


@dataclass(frozen=True)
class WrapupCode:
    """A wrap-up code as listed by `GET /api/v2/routing/wrapupcodes`."""

    id: str
    name: str
    division_id: str


@dataclass
class OrgDirectory:
    """The seeded directory; `deleted_code_id` appears in data but is in no listing."""

    seed: int
    org_id: str
    divisions: dict[str, str]
    users: list[User]
    queues: list[Queue]
    codes: list[WrapupCode]
    deleted_code_id: str
    deleted_user_id: str
    campaign_ids: tuple[str, ...]
    contact_list_id: str
    ivr_flow_id: str
    users_by_id: dict[str, User] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.users_by_id = {user.id: user for user in self.users}

    def division_name(self, division_id: str) -> str:
        return self.divisions.get(division_id, "Home")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch in ".-"))


def _user_names(rng: random.Random, count: int) -> list[str]:
    names = ["José Núñez"]
    seen = set(names)
    while len(names) < count:
        name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
        if name not in seen and name != DELETED_USER_NAME:
            seen.add(name)
            names.append(name)
    return names


def build_directory(seed: int) -> OrgDirectory:
    """Build the directory of the org with this seed."""
    rng = random.Random(f"wrapup-sandbox-directory:{seed}")
    org_id = new_guid(rng)
    division_ids = [new_guid(rng) for _ in range(3)]
    divisions = dict(zip(division_ids, ("Home", "Customer Care", "Collections"), strict=True))
    home, care, collections = division_ids

    users: list[User] = []
    for index, name in enumerate(_user_names(rng, AGENT_COUNT)):
        # Two agents have left but keep their accounts: inactive, not deleted.
        state = "inactive" if index in (AGENT_COUNT - 2, AGENT_COUNT - 1) else "active"
        email = f"{_ascii(name).lower().replace(' ', '.')}.{index}@sandbox.example"
        users.append(User(new_guid(rng), name, email, state, care if index < 30 else home))
    deleted_user = User(
        new_guid(rng), DELETED_USER_NAME, "bjorn.akesson@sandbox.example", "deleted", care
    )
    users.append(deleted_user)

    codes = [WrapupCode(DEFAULT_WRAPUP_CODE_ID, _CODE_NAMES[0], home)]
    codes += [
        WrapupCode(new_guid(rng), name, collections if "pay" in name.lower() else care)
        for name in _CODE_NAMES[1:]
    ]
    deleted_code_id = new_guid(rng)

    active_agent_ids = [user.id for user in users if user.state != "deleted"]
    queues: list[Queue] = []
    for index, (name, prompt, timeout_ms, media) in enumerate(_QUEUE_SPECS):
        queue_codes = [codes[0].id, *(code.id for code in rng.sample(codes[1:], 8))]
        agents = rng.sample(active_agent_ids, 14)
        division = collections if index == OUTBOUND else care
        queue = Queue(
            new_guid(rng),
            name,
            prompt,
            timeout_ms,
            media,
            division,
            tuple(queue_codes),
            tuple(agents),
        )
        queues.append(queue)

    return OrgDirectory(
        seed=seed,
        org_id=org_id,
        divisions=divisions,
        users=users,
        queues=queues,
        codes=codes,
        deleted_code_id=deleted_code_id,
        deleted_user_id=deleted_user.id,
        campaign_ids=(new_guid(rng), new_guid(rng)),
        contact_list_id=new_guid(rng),
        ivr_flow_id=new_guid(rng),
    )


def code_entity(code: WrapupCode, directory: OrgDirectory) -> dict[str, Any]:
    """Build the JSON of one wrap-up code."""
    return {
        "id": code.id,
        "name": code.name,
        "division": _division_ref(code.division_id, directory),
        "dateCreated": "2024-03-11T09:15:00.000Z",
        "createdBy": "system",
        "selfUri": f"/api/v2/routing/wrapupcodes/{code.id}",
    }


def queue_entity(queue: Queue, directory: OrgDirectory) -> dict[str, Any]:
    """Build the JSON of one queue with its `acwSettings`."""
    acw: dict[str, Any] = {"wrapupPrompt": queue.wrapup_prompt}
    if queue.timeout_ms is not None:
        acw["timeoutMs"] = queue.timeout_ms
    return {
        "id": queue.id,
        "name": queue.name,
        "division": _division_ref(queue.division_id, directory),
        "memberCount": len(queue.agent_ids),
        "acwSettings": acw,
        "skillEvaluationMethod": "BEST",
        "enableTranscription": False,
        "selfUri": f"/api/v2/routing/queues/{queue.id}",
    }


def user_entity(user: User, directory: OrgDirectory) -> dict[str, Any]:
    """Build the JSON of one user."""
    return {
        "id": user.id,
        "name": user.name,
        "division": _division_ref(user.division_id, directory),
        "email": user.email,
        "username": user.email,
        "state": user.state,
        "version": 3,
        "acdAutoAnswer": False,
        "selfUri": f"/api/v2/users/{user.id}",
    }


def _division_ref(division_id: str, directory: OrgDirectory) -> dict[str, str]:
    return {
        "id": division_id,
        "name": directory.division_name(division_id),
        "selfUri": f"/api/v2/authorization/divisions/{division_id}",
    }
