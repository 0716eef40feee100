"""Regions, and region text pasted as a web-app URL."""

from __future__ import annotations

import pytest

from wrapup_desktop.errors import InputError
from wrapup_desktop.genesys import REGIONS, resolve_endpoints


def test_regions_table_has_eighteen() -> None:
    assert len(REGIONS) == 18
    assert len({r.name for r in REGIONS}) == 18
    assert len({r.domain for r in REGIONS}) == 18
    names = {r.name: r for r in REGIONS}
    assert names["eusc_de_east_1"].domain == "edee1.eusc-pure.cloud"
    assert names["us_east_1"].label == "US East (Virginia)"
    assert names["eu_west_1"].label == "EMEA (Dublin)"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("https://apps.mypurecloud.de/directory/", id="web-app-url"),
        pytest.param("  HTTPS://APPS.MYPURECLOUD.DE/directory/#/person  ", id="upper-case"),
        pytest.param("mypurecloud.de", id="domain"),
        pytest.param("api.mypurecloud.de", id="api-host"),
        pytest.param("https://login.mypurecloud.de/oauth/token", id="login-url"),
        pytest.param("eu_central_1", id="sdk-name"),
        pytest.param("EU-CENTRAL-1", id="sdk-name-dashes"),
        pytest.param("apps.mypurecloud.de/", id="no-scheme-with-path"),
    ],
)
def test_region_url_means_frankfurt(text: str) -> None:
    endpoints = resolve_endpoints(text)
    assert endpoints.region_domain == "mypurecloud.de"
    assert endpoints.login_base == "https://login.mypurecloud.de"
    assert endpoints.api_base == "https://api.mypurecloud.de"
    assert endpoints.display_name == "EMEA (Frankfurt), mypurecloud.de"


def test_every_region_resolves_by_domain() -> None:
    for region in REGIONS:
        endpoints = resolve_endpoints(f"https://apps.{region.domain}/")
        assert endpoints.api_base == f"https://api.{region.domain}"


def test_custom_origin_keeps_port() -> None:
    endpoints = resolve_endpoints("http://127.0.0.1:8765/")
    assert endpoints.login_base == "http://127.0.0.1:8765"
    assert endpoints.api_base == "http://127.0.0.1:8765"
    assert endpoints.region_domain is None
    assert endpoints.display_name == "http://127.0.0.1:8765"


def test_custom_proxy_origin_accepted() -> None:
    endpoints = resolve_endpoints("https://genesys-proxy.example.com:8443")
    assert endpoints.api_base == "https://genesys-proxy.example.com:8443"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("dublin", id="city"),
        pytest.param("mypurecloud.fr", id="unknown-domain"),
        pytest.param("ftp://mypurecloud.ie", id="bad-scheme"),
    ],
)
def test_unknown_region_rejected_with_forms(text: str) -> None:
    with pytest.raises(InputError) as caught:
        resolve_endpoints(text)
    assert "mypurecloud.ie" in caught.value.message
    assert "eu_west_1" in caught.value.message
    assert "http://127.0.0.1:8765" in caught.value.message
