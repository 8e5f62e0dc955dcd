"""Words of a question that the SQL parser could not place: nouns and adjectives that are not a catalog name, a time
phrase or a word the parser knows ("revenue from *kids* frames", "sales to *repeat* customers", "revenue from the
*website*"). Answering without such a word answers a different, wider question, so the parser refuses instead.

Parts of speech come from the spaCy tagger of the model package the PII guard already installs
(`tools.text_match.tagger`, shared with the docs answers), loaded once, with only the tagger running. Without the
package the check finds nothing (the parser then behaves as before), so it is never a reason to fail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tools.text_match import tagger as _load

_CONTENT_TAGS = ("NN", "JJ")  # nouns (NN, NNS, NNP, NNPS) and adjectives (JJ, JJR, JJS)


def unplaced_words(text: str, placed: Sequence[tuple[int, int]], known: Callable[[str], bool],
                   english: Callable[[str], bool] | None = None) -> list[str]:
    """Nouns and adjectives of `text` outside the `placed` character spans (catalog names, periods) for which
    `known(word)` is false, lower-cased, in order. Empty when the tagger is not installed. With `english` (is a word
    English), a word tagged as a verb that is no English word is a name the tagger guessed at ("how much did *jogja*
    sell"), checked like a noun."""
    tagger = _load()
    if tagger is None:
        return []
    out: list[str] = []
    for token in tagger(text):
        guessed = english is not None and token.tag_.startswith("VB") and len(token.text) >= 4 and not english(
            token.text.lower())
        if not token.tag_.startswith(_CONTENT_TAGS) and not guessed:
            continue
        if any(s <= token.idx < e for s, e in placed):
            continue
        word = token.text.lower().strip("'’.-")
        if len(word) < 3 or not word.replace("-", "").isalpha() or known(word):
            continue
        if word not in out:
            out.append(word)
    return out
