"""Genesys Cloud regions, and how a pasted region, URL or origin becomes login and API hosts.

Each region has one domain; the login host is `login.<domain>` and the API host `api.<domain>`.
The table follows the region hosts of the official SDKs (Python SDK 257.1.0 lists 17 regions; the
JavaScript SDK 259.0.0 adds `eusc_de_east_1`).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from wrapup_desktop.errors import InputError


@dataclass(frozen=True)
class Region:
    """One Genesys Cloud region."""

    name: str
    """SDK-style id, such as `eu_west_1`."""
    domain: str
    """Domain of the web app, login and API hosts, such as `mypurecloud.ie`."""
    label: str
    """Human label, such as `EMEA (Dublin)`."""


REGIONS: tuple[Region, ...] = (
    Region("us_east_1", "mypurecloud.com", "US East (Virginia)"),
    Region("us_east_2", "use2.us-gov-pure.cloud", "US East 2 (FedRAMP)"),
    Region("us_west_2", "usw2.pure.cloud", "US West (Oregon)"),
    Region("ca_central_1", "cac1.pure.cloud", "Canada (Central)"),
    Region("sa_east_1", "sae1.pure.cloud", "South America (São Paulo)"),
    Region("mx_central_1", "mxc1.pure.cloud", "Mexico (Central)"),
    Region("eu_west_1", "mypurecloud.ie", "EMEA (Dublin)"),
    Region("eu_west_2", "euw2.pure.cloud", "EMEA (London)"),
    Region("eu_central_1", "mypurecloud.de", "EMEA (Frankfurt)"),
    Region("eu_central_2", "euc2.pure.cloud", "EMEA (Zurich)"),
    Region("eusc_de_east_1", "edee1.eusc-pure.cloud", "EU Sovereign Cloud (Germany)"),
    Region("me_central_1", "mec1.pure.cloud", "Middle East (UAE)"),
    Region("ap_south_1", "aps1.pure.cloud", "Asia Pacific (Mumbai)"),
    Region("ap_southeast_1", "apse1.pure.cloud", "Asia Pacific (Singapore)"),
    Region("ap_southeast_2", "mypurecloud.com.au", "Asia Pacific (Sydney)"),
    Region("ap_northeast_1", "mypurecloud.jp", "Asia Pacific (Tokyo)"),
    Region("ap_northeast_2", "apne2.pure.cloud", "Asia Pacific (Seoul)"),
    Region("ap_northeast_3", "apne3.pure.cloud", "Asia Pacific (Osaka)"),
)

_BY_DOMAIN = {region.domain: region for region in REGIONS}
_BY_NAME = {region.name: region for region in REGIONS}
# Host prefixes of the web app, API and login hosts; a pasted URL may carry any of them.
_HOST_PREFIXES = ("apps.", "api.", "login.", "www.")
_HOW_TO_WRITE = (
    "Write the region as its domain (mypurecloud.ie, usw2.pure.cloud), as its SDK name "
    "(eu_west_1), as the address of the Genesys Cloud web app "
    "(https://apps.mypurecloud.ie/), or as a full origin with scheme and port for a sandbox or "
    "proxy (http://127.0.0.1:8765)."
)


@dataclass(frozen=True)
class Endpoints:
    """The login and API base URLs of one org, without a trailing slash."""

    login_base: str
    api_base: str
    region_domain: str | None
    """The region's domain; None for a custom origin such as the sandbox."""

    @property
    def display_name(self) -> str:
        """The region label and domain, or the origin for a custom one."""
        region = _BY_DOMAIN.get(self.region_domain or "")
        if region is None:
            return self.api_base
        return f"{region.label}, {region.domain}"

    @property
    def login_host(self) -> str:
        """The login server's host, with its port when the URL names one, for error messages."""
        parts = urlsplit(self.login_base)
        host = parts.hostname
        if host is None:
            return self.login_base
        if ":" in host:
            host = f"[{host}]"
        return f"{host}:{parts.port}" if parts.port is not None else host


def region_endpoints(region: Region) -> Endpoints:
    """Return the login and API base URLs of a region."""
    return Endpoints(
        login_base=f"https://login.{region.domain}",
        api_base=f"https://api.{region.domain}",
        region_domain=region.domain,
    )


def resolve_endpoints(text: str) -> Endpoints:
    """Turn what a person typed or pasted into login and API base URLs.

    Accepts a region domain, an SDK name, a web-app, API or login URL of a region (any path, any
    case), or a full `http(s)://host[:port]` origin that serves both login and API. Raises
    InputError with the accepted forms for anything else.
    """
    cleaned = text.strip()
    if not cleaned:
        raise InputError(f"The region is empty. {_HOW_TO_WRITE}")
    lowered = cleaned.lower()
    region = _BY_NAME.get(lowered.replace("-", "_"))
    if region is not None:
        return region_endpoints(region)

    has_scheme = re.match(r"^[a-z][a-z0-9+.-]*://", lowered) is not None
    parts = urlsplit(lowered if has_scheme else f"https://{lowered}")
    if has_scheme and parts.scheme not in ("http", "https"):
        raise InputError(
            f"The region {cleaned!r} uses the scheme {parts.scheme!r}, but only http and "
            f"https are possible. {_HOW_TO_WRITE}"
        )
    try:
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        raise InputError(
            f"The region {cleaned!r} is not a valid address ({exc}). {_HOW_TO_WRITE}"
        ) from None
    region = _region_for_host(host)
    if region is not None and port is None:
        return region_endpoints(region)
    if has_scheme and host and _is_custom_host(host, port):
        origin = f"{parts.scheme}://{_format_host(host)}"
        if port is not None:
            origin += f":{port}"
        return Endpoints(login_base=origin, api_base=origin, region_domain=None)
    raise InputError(f"{cleaned!r} is not a Genesys Cloud region. {_HOW_TO_WRITE}")


def _region_for_host(host: str) -> Region | None:
    host = host.rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host[len(prefix) :] in _BY_DOMAIN:
            return _BY_DOMAIN[host[len(prefix) :]]
    return _BY_DOMAIN.get(host)


def _is_custom_host(host: str, port: int | None) -> bool:
    """Tell whether an explicit origin names a server: an IP, localhost or a dotted name."""
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "." in host or port is not None
    return True


def _format_host(host: str) -> str:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    return f"[{host}]" if address.version == 6 else host
