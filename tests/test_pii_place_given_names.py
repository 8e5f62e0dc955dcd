"""A given name that is also a city or an English word, followed by a surname, is a person ("Adelaide Nguyen"),
while place names built the same way from ordinary words stay visible ("Victoria Harbour", "Rose Bay")."""

import pytest

from safety.pii import redact


@pytest.mark.parametrize("text, name", [
    ("Paris Lindqvist will phone you when the glasses are ready.", "Paris Lindqvist"),
    ("Regina Okonkwo sees children on Tuesdays.", "Regina Okonkwo"),
    ("Geneva Mbatha fits the frames at our Leeds store.", "Geneva Mbatha"),
    ("Brooklyn Tran checks contact lenses on Saturdays.", "Brooklyn Tran"),
])
def test_city_given_name_before_surname_is_redacted(text: str, name: str) -> None:
    out = redact(text).text
    assert name not in out and "<PERSON>" in out
    assert name.split()[0] not in out


@pytest.mark.parametrize("text", [
    "Long Beach orders ship on Mondays.",
    "The Rose Bay branch has free parking.",
    "Delivery to San Jose takes two days.",
])
def test_places_of_ordinary_words_stay(text: str) -> None:
    assert redact(text).text == text
