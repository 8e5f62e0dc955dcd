"""Public-holiday names are no person's name: the output guard left "Kurban Bayramı" and "Ramazan Bayramı" as
<PERSON> in a Turkish optician's opening hours. Names come from the `holidays` package (every country, every language
it has); only a whole span that is a holiday's name is kept, so a person named next to a holiday is still redacted."""

from __future__ import annotations

import pytest

from safety.allowlist import is_holiday_name
from safety.pii import redact


@pytest.mark.parametrize("text", [
    "Both shops are shut on the first day of Kurban Bayramı and Ramazan Bayramı.",
    "The Busan branch closes for Chuseok and reopens the day after.",
])
def test_holiday_names_survive_the_redactor(text: str) -> None:
    assert redact(text).text == text


def test_a_person_beside_a_holiday_is_still_redacted() -> None:
    out = redact("Over Kurban Bayramı please call Elif Yıldırım on 0532 555 12 34.").text
    assert "Kurban Bayramı" in out and "Elif Yıldırım" not in out and "<PERSON>" in out


@pytest.mark.parametrize(("span", "holiday"), [("Kurban Bayramı", True), ("Chuseok", True), ("Eid al-Fitr", True),
                                                ("Elif Yıldırım", False), ("Martin Luther King", False)])
def test_only_a_whole_holiday_name_counts(span: str, holiday: bool) -> None:
    assert is_holiday_name(span) is holiday


def test_the_holiday_table_is_kept_on_disk_and_a_broken_cache_is_rebuilt(tmp_path, monkeypatch) -> None:
    """The table is built once per `holidays` version and read back from the data folder's cache by a later process
    (here: the in-memory cache cleared); a malformed cache file is rebuilt, never trusted."""
    import holidays

    import config
    from safety import allowlist

    monkeypatch.setenv("SIGHTLINE_DATA_DIR", str(tmp_path))
    config.get_settings.cache_clear()
    allowlist._holiday_names.cache_clear()
    try:
        built = allowlist._holiday_names()
        path = tmp_path / "cache" / f"holiday_names-{allowlist.HOLIDAY_TABLE_VERSION}-{holidays.__version__}.json"
        assert path.is_file() and "chuseok" in built
        path.write_text('["not a holiday at all"]', encoding="utf-8")
        allowlist._holiday_names.cache_clear()
        assert allowlist._holiday_names() == frozenset({"not a holiday at all"})  # a later process reads the file
        path.write_text("{broken", encoding="utf-8")
        allowlist._holiday_names.cache_clear()
        assert allowlist._holiday_names() == built  # rebuilt from the package
        assert path.read_text(encoding="utf-8").startswith("[")
    finally:
        allowlist._holiday_names.cache_clear()
        monkeypatch.undo()
        config.get_settings.cache_clear()


@pytest.mark.parametrize("text", [
    "All branches close at 13:00 on the eve of Yom HaZikaron and open late the next morning.",  # a comment name
    "The workshop is shut on Tisha B'Av and on Lag BaOmer.",  # observances outside the public category
])
def test_observances_and_native_names_survive_the_redactor(text: str) -> None:
    """Names from the package's other categories (optional, school ...) and the native names its country modules
    give in comments ("Yom Hazikaron"), matched whatever the case, spaces, hyphens or apostrophes."""
    assert redact(text).text == text


def test_a_person_beside_an_observance_is_still_redacted() -> None:
    out = redact("On Yom HaZikaron the Haifa shop is run by Noa Ben-David, phone 052-555-1234.").text
    assert "Yom HaZikaron" in out and "Noa Ben-David" not in out


@pytest.mark.parametrize(("span", "holiday"), [("Yom HaZikaron", True), ("Lag BaOmer", True), ("yom ha-atzmaut", True),
                                                ("Yom", False), ("Durgadas Rathore", False), ("Noa Ben-David", False)])
def test_loose_spellings_count_only_for_whole_names(span: str, holiday: bool) -> None:
    """A folded spelling matches only a whole multi-word name, and a "<person>'s Birthday" observance does not make
    the person's name a holiday."""
    assert is_holiday_name(span) is holiday


def test_the_first_word_of_a_holiday_name_is_no_person() -> None:
    """A name recogniser took "Kristi" of "Kristi himmelfartsdag" (Ascension Day in Danish) for a given name: the
    words after the span complete a holiday's name, so the span is part of that name; a person named beside it is
    still redacted."""
    text = "The summer shop is open on Kristi himmelfartsdag. Ask for Mette Larsen on 20 11 22 33."
    out = redact(text).text
    assert "open on Kristi himmelfartsdag" in out and "Mette Larsen" not in out
