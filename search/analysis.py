"""Vietnamese text analysis shared by every engine.

Text and queries go through the same steps: NFC, lower case, syllable tokens
(Vietnamese words are written as space-separated syllables; there is no word
segmentation and no stemming). Every text is indexed twice: as typed (accented
field) and with diacritics folded, đ → d (folded field). A query matches through the
folded field and scores more through the accented one, so "hộ tịch" ranks an item
that says "hộ tịch" above one that says "họ tích", and "ho tich" finds both.

Query parsing never raises: anything a visitor types becomes a query or nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from portal.text import fold

# Letters and digits (Python's \w without the underscore): Vietnamese syllables,
# numbers, and the parts of "7105/UBND-HCC".
_TOKEN = re.compile(r"[^\W_]+")
MAX_QUERY_CHARS = 256  # of a query, after cleaning: longer input is cut
MAX_CLAUSES = 16  # words or phrases kept from one query
MAX_TOKEN_CHARS = 40  # longer "words" are noise (and tantivy drops them)


# Precomposed Latin letters -> their folded letter, one character for one, so a folded
# text keeps the offsets of the original (str.translate runs in C).
_FOLD_TABLE = {
    ord(c): f
    for c in map(chr, [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)])
    if len(f := fold(c)) == 1 and f != c
}


_MARKS = re.compile("[\u0300-\u036f]")  # combining diacritical marks


def normalize(text: str | None) -> str:
    """NFC and lower case: the accented form."""
    return unicodedata.normalize("NFC", text or "").lower()


def tokens(text: str | None) -> list[str]:
    """Accented syllable tokens."""
    found = _TOKEN.findall(normalize(text))
    if found and max(map(len, found)) > MAX_TOKEN_CHARS:  # rare: the check runs in C
        found = [t for t in found if len(t) <= MAX_TOKEN_CHARS]
    return found


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """A syllable folded (cached: Vietnamese has a few thousand syllables)."""
    return fold(token).lower()


def folded_tokens(text: str | None) -> list[str]:
    return [fold_token(t) for t in tokens(text)]


def accented_field(text: str | None) -> str:
    """What an engine indexes in an accented field: tokens joined by spaces."""
    return " ".join(tokens(text))


def folded_field(text: str | None) -> str:
    return " ".join(folded_tokens(text))


def both_fields(text: str | None) -> tuple[str, str]:
    """``(accented_field(text), folded_field(text))``, tokenised once: what indexing
    needs, fast (folding is a decomposition and one regex, both in C)."""
    found = tokens(text)
    accented = " ".join(found)
    folded = _MARKS.sub("", unicodedata.normalize("NFD", accented.replace("đ", "d")))
    if not folded.isascii():  # letters beyond the table: fold word by word, the slow way
        folded = " ".join(fold_token(t) for t in found)
    return accented, folded


# --- queries ---------------------------------------------------------------------------


@dataclass
class Clause:
    """One word or quoted phrase of a query, in accented tokens."""

    tokens: list[str]
    phrase: bool = False
    negated: bool = False
    # Other ways to say the same (synonyms, abbreviations): accented token lists, each
    # matched as a phrase when longer than one token. Added by ``synonyms.expand``.
    alternatives: list[list[str]] = field(default_factory=list)

    @property
    def folded(self) -> list[str]:
        return [fold_token(t) for t in self.tokens]

    @property
    def variants(self) -> list[list[str]]:
        """The clause's own tokens first, then its alternatives."""
        return [self.tokens, *self.alternatives]


@dataclass
class ParsedQuery:
    """OR of groups; a group is an AND of clauses (some negated)."""

    groups: list[list[Clause]] = field(default_factory=list)
    text: str = ""  # the cleaned query, to show back

    @property
    def empty(self) -> bool:
        return not self.groups

    def positive_folded(self) -> set[str]:
        """Folded tokens the results may contain: what snippets highlight."""
        return {fold_token(t) for g in self.groups for c in g if not c.negated for v in c.variants for t in v}

    def positive_tokens(self) -> list[str]:
        seen: list[str] = []
        for g in self.groups:
            for c in g:
                if not c.negated:
                    seen += [t for t in c.tokens if t not in seen]
        return seen


def clean_query(raw) -> str:
    """Any input to a short NFC string without control or format characters."""
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    raw = raw[: MAX_QUERY_CHARS * 8]  # bounded work before normalising
    text = unicodedata.normalize("NFC", raw)
    text = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") else c for c in text
    )
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS]
    return text


# A quoted phrase (the closing quote may be missing), or a run of anything else.
_PART = re.compile(r'"([^"]*)"?|\(|\)|([^\s"()]+)')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def parse_query(raw) -> ParsedQuery:
    """Words must all match (AND); ``"..."`` is a phrase; ``-word`` or ``NOT word`` excludes;
    ``OR`` between words makes alternatives. Parentheses are ignored; lone operators are
    dropped. Never raises."""
    text = clean_query(raw)
    groups: list[list[Clause]] = [[]]
    negate_next = False
    count = 0
    for match in _PART.finditer(text.translate(_QUOTES)):
        if count >= MAX_CLAUSES:
            break
        phrase_text, word = match.group(1), match.group(2)
        if phrase_text is None and word is None:
            continue  # a parenthesis
        negated = negate_next
        negate_next = False
        if word is not None:
            if word in ("AND", "&&", "+"):
                continue
            if word in ("OR", "||", "|"):
                if groups[-1]:
                    groups.append([])
                continue
            if word in ("NOT", "-", "!"):
                negate_next = True
                continue
            if word.startswith("-") and len(word) > 1:
                negated = True
                word = word[1:]
            found = tokens(word)
            if not found:
                continue
            groups[-1].append(Clause(found, phrase=len(found) > 1, negated=negated))
        else:
            found = tokens(phrase_text)
            if not found:
                continue
            groups[-1].append(Clause(found[:MAX_CLAUSES], phrase=len(found) > 1, negated=negated))
        count += 1
    # A group of exclusions only matches nothing sensible: drop it.
    kept = [g for g in groups if any(not c.negated for c in g)]
    return ParsedQuery(groups=kept, text=text)


# --- snippets ------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_HEAD_CHARS = 3000


@lru_cache(maxsize=1024)
def _wanted_pattern(wanted: frozenset) -> re.Pattern:
    words = sorted(wanted, key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, words)) + r")(?![^\W_])")


def _spans(text: str, wanted: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of the words of ``text`` whose folded form is wanted."""
    if not wanted:
        return []
    folded = text.translate(_FOLD_TABLE).lower()
    if len(folded) != len(text):  # offsets would not hold: word by word
        return [s for m in _TOKEN.finditer(text) if (s := _span(m, wanted))]
    # Vietnamese: one regex pass in C over the folded text for the ASCII words ...
    ascii_words = frozenset(w for w in wanted if w.isascii())
    spans = []
    if ascii_words:
        spans = [(m.start(), m.end(), m.group()) for m in _wanted_pattern(ascii_words).finditer(folded)]
    if not folded.isascii():
        # ... and word by word for words with letters the table does not fold.
        spans += [s for m in _OTHER_WORD.finditer(folded) if (s := _span(m, wanted, text))]
        spans.sort()
    return spans


# A word with a letter beyond ASCII (in a folded text, one the table did not fold).
_OTHER_WORD = re.compile(r"[^\W_]*[^\x00-\x7f\W_][^\W_]*")


def _span(m: re.Match, wanted: set[str], text: str | None = None):
    word = fold_token((text[m.start() : m.end()] if text is not None else m.group()).lower())
    return (m.start(), m.end(), word) if word in wanted else None


def highlight(text: str, wanted: set[str], *, width: int = 240, whole: bool = False) -> str | None:
    """HTML: ``text`` escaped, with the syllables whose folded form is in ``wanted`` in
    <mark>; cut to the ``width`` characters around the most matches unless ``whole``.
    None when nothing matches (and not ``whole``)."""
    text = unicodedata.normalize("NFC", text or "")
    spans = None
    if not whole and len(text) > _HEAD_CHARS:
        # Most texts have every wanted word near their start: look there first.
        head = text.rfind(" ", 0, _HEAD_CHARS)
        spans = _spans(text[:head], wanted) if head > 0 else None
        if spans is not None and len({t for _s, _e, t in spans}) < len(wanted):
            spans = None
    if spans is None:
        spans = _spans(text, wanted)
    if whole:
        start, end = 0, len(text)
    else:
        if not spans:
            return None
        # The first window of ``width`` characters with the most different words (a
        # sliding window: long texts have hundreds of matches of a common word).
        best, best_score, j, inside = 0, -1, 0, Counter()
        for i, (s, _e, t) in enumerate(spans):
            while j < len(spans) and spans[j][0] < s + width:
                inside[spans[j][2]] += 1
                j += 1
            if len(inside) > best_score:
                best, best_score = i, len(inside)
                if best_score == len(wanted):
                    break
            inside[t] -= 1
            if not inside[t]:
                del inside[t]
        anchor = spans[best][0]
        start = max(0, anchor - width // 4)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 and start - space < 20 else start
        end = min(len(text), start + width)
        if end < len(text):
            space = text.find(" ", end)
            end = space if 0 <= space < end + 20 else end
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e, _t in spans:
        if s < start or e > end:
            continue
        out.append(_escape(text[pos:s]))
        out.append("<mark>" + _escape(text[s:e]) + "</mark>")
        pos = e
    out.append(_escape(text[pos:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out)
