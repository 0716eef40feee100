"""The remembered code names: round trip, merge, corrupt file and default location."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import platformdirs
import pytest

from wrapup_desktop.export import code_names
from wrapup_desktop.export.code_names import load_remembered_code_names, remember_code_names


def test_code_names_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "names" / "code-names.json"

    remember_code_names({"wc-sale": "Sale", "wc-é": "Réclamation"}, path)

    assert load_remembered_code_names(path) == {"wc-sale": "Sale", "wc-é": "Réclamation"}
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "version": 1,
        "wrapup_codes": {"wc-sale": "Sale", "wc-é": "Réclamation"},
    }


def test_code_names_merge_and_rename(tmp_path: Path) -> None:
    path = tmp_path / "code-names.json"
    remember_code_names({"wc-sale": "Sale", "wc-old": "Old offer"}, path)

    remember_code_names(
        {"wc-sale": "Sale (new)", "wc-refund": "Refund", "": "x", "wc-x": ""}, path
    )

    assert load_remembered_code_names(path) == {
        "wc-old": "Old offer",
        "wc-refund": "Refund",
        "wc-sale": "Sale (new)",
    }


def test_code_names_missing_file_empty(tmp_path: Path) -> None:
    assert load_remembered_code_names(tmp_path / "none.json") == {}


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'{"version": 1, "wrapup_codes": {"wc-sale": "Sa', id="truncated"),
        pytest.param(b"\xff\xfe\x00garbage", id="binary"),
        pytest.param(b'["wc-sale", "Sale"]', id="wrong-shape"),
    ],
)
def test_code_names_corrupt_file_rewritten(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "code-names.json"
    path.write_bytes(content)

    with caplog.at_level(logging.WARNING, logger="wrapup_desktop.export.code_names"):
        loaded = load_remembered_code_names(path)
    remember_code_names({"wc-sale": "Sale"}, path)

    assert loaded == {}
    assert "Ignoring the remembered code names" in caplog.text
    assert str(path) in caplog.text
    assert load_remembered_code_names(path) == {"wc-sale": "Sale"}


def test_code_names_corrupt_rewritten_without_news(tmp_path: Path) -> None:
    path = tmp_path / "code-names.json"
    path.write_bytes(b"{not json")

    remember_code_names({}, path)

    assert json.loads(path.read_text(encoding="utf-8")) == {"version": 1, "wrapup_codes": {}}


def test_code_names_skip_invalid_entries(tmp_path: Path) -> None:
    path = tmp_path / "code-names.json"
    path.write_text(
        json.dumps({"version": 1, "wrapup_codes": {"wc-a": "A", "wc-b": 3, "wc-c": None}}),
        encoding="utf-8",
    )

    assert load_remembered_code_names(path) == {"wc-a": "A"}


def test_code_names_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(
        platformdirs,
        "user_data_dir",
        lambda name, appauthor: str(tmp_path / f"{name}-{appauthor}"),
    )

    remember_code_names({"wc-sale": "Sale"})

    expected = tmp_path / "WrapUp Desktop-False" / "code-names.json"
    assert code_names.default_code_names_path() == expected
    assert load_remembered_code_names() == {"wc-sale": "Sale"}
    assert expected.is_file()


def test_code_names_unwritable_folder_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    path = blocker / "code-names.json"

    with caplog.at_level(logging.WARNING, logger="wrapup_desktop.export.code_names"):
        saved = remember_code_names({"wc-sale": "Sale"}, path)

    assert saved is False
    assert "Cannot save the remembered code names" in caplog.text
    assert load_remembered_code_names(path) == {}
