"""'Did you mean': a corrected query from the index's own words.

Words are compared folded ("tihc" → "tich"), so a correction is made on folded
syllables and shown folded, which the search treats like the accented form. For each
word of the query that the index does not know (or knows from only a few documents),
the words within two edits (a swap of two letters counts as one) are candidates; the
nearest wins, then the most frequent. Candidates come from a deletion index (every
word and its one-letter deletions): two strings within two edits share such a key.
The index is built once per vocabulary (that is, until the search index changes).

Frequencies count every document, so the engine-independent caller only offers a
correction that finds something the reader may see (``views``).
"""

from __future__ import annotations

import threading

from .analysis import ParsedQuery, fold_token

RARE = 2  # a word in fewer documents than this may be a typo of a frequent one
MAX_WORD = 15


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


def distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment), ``limit + 1`` when beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


class Speller:
    def __init__(self, vocabulary: dict[str, int]):
        self.vocabulary = vocabulary
        self.keys: dict[str, list[str]] = {}
        for word in vocabulary:
            for key in _deletes(word):
                self.keys.setdefault(key, []).append(word)

    def correct(self, word: str) -> str | None:
        """The best known word within two edits of ``word`` (folded), or None."""
        if not word.isalpha() or len(word) > MAX_WORD or len(word) < 2:
            return None
        own = self.vocabulary.get(word, 0)
        if own >= RARE:
            return None
        best = None
        for key in _deletes(word):
            for candidate in self.keys.get(key, ()):
                if candidate == word:
                    continue
                d = distance(word, candidate)
                if d > 2 or (d == 2 and len(word) < 4):  # two edits of a short word: another word
                    continue
                rank = (d, -self.vocabulary[candidate], candidate)
                if best is None or rank < best:
                    best = rank
        if best is None or self.vocabulary[best[2]] <= own:
            return None
        return best[2]


_lock = threading.Lock()


def speller_for(engine) -> Speller:
    """One speller per engine and vocabulary (rebuilt when the index changes)."""
    vocabulary = engine.vocabulary()
    cached = getattr(engine, "_speller", None)
    if cached is None or cached.vocabulary is not vocabulary:
        with _lock:
            cached = Speller(vocabulary)
            engine._speller = cached
    return cached


def suggest(engine, query: ParsedQuery) -> str | None:
    """The query with its unknown words corrected (folded), or None if nothing changes."""
    speller = speller_for(engine)
    words, changed = [], False
    for group_number, group in enumerate(query.groups):
        if group_number:
            words.append("OR")
        for clause in group:
            fixed = []
            for token in clause.tokens:
                folded = fold_token(token)
                better = speller.correct(folded)
                changed |= better is not None
                fixed.append(better or token)
            text = " ".join(fixed)
            if clause.phrase and len(clause.tokens) > 1:
                text = f'"{text}"'
            words.append(("-" if clause.negated else "") + text)
    return " ".join(words) if changed else None
