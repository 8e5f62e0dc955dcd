"""config.cache: derived tables kept in the data folder's cache (the CLDR month names of every language, the holiday
names, the subdivision table) are built once, read back by a later process, and rebuilt when the file is malformed."""

from __future__ import annotations

import json

import pytest

import config
from config.cache import cached_json


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGHTLINE_DATA_DIR", str(tmp_path))
    config.get_settings.cache_clear()
    yield tmp_path
    monkeypatch.undo()
    config.get_settings.cache_clear()


def test_a_table_is_built_once_then_read_back_and_a_malformed_file_is_rebuilt(data_dir) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"a": len(calls)}

    valid = lambda v: isinstance(v, dict)  # noqa: E731
    assert cached_json("t-1.json", build, valid) == {"a": 1}
    assert json.loads((data_dir / "cache" / "t-1.json").read_text()) == {"a": 1}
    assert cached_json("t-1.json", build, valid) == {"a": 1} and len(calls) == 1  # a later process reads the file
    (data_dir / "cache" / "t-1.json").write_text("[1, 2]")  # valid JSON of the wrong shape
    assert cached_json("t-1.json", build, valid) == {"a": 2}
    (data_dir / "cache" / "t-1.json").write_text("{broken")
    assert cached_json("t-1.json", build, valid) == {"a": 3}
    assert not list((data_dir / "cache").glob("*.tmp"))


def test_a_data_folder_that_cannot_be_written_still_gives_the_table(data_dir) -> None:
    (data_dir / "cache").write_text("a file where the cache folder would go")
    assert cached_json("t-2.json", lambda: ["x"]) == ["x"]


def test_the_month_names_of_every_language_are_kept_per_babel_version(data_dir) -> None:
    import babel

    from tools.sql import foreign

    foreign._every_language_months.cache_clear()
    try:
        built = foreign._every_language_months("wide")
        assert built["kasım"] == "November" and built["huhtikuu"] == "April"
        path = next((data_dir / "cache").glob(f"cldr-month-names-wide-{babel.__version__}-v*.json"))
        assert json.loads(path.read_text(encoding="utf-8")) == built
        path.write_text(json.dumps({"kasım": "March"}), encoding="utf-8")
        foreign._every_language_months.cache_clear()
        assert foreign._every_language_months("wide") == {"kasım": "March"}  # read back, not rebuilt
        path.write_text(json.dumps({"kasım": 11}), encoding="utf-8")  # malformed: rebuilt
        foreign._every_language_months.cache_clear()
        assert foreign._every_language_months("wide") == built
    finally:
        foreign._every_language_months.cache_clear()
