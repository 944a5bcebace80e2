"""Turn whatever a visitor types into a safe search query for any backend.

We never hand raw text to the backend's own query syntax (FTS5 MATCH, tsquery, Lucene):
the text is cut into plain words and "quoted phrases", which become Wagtail query objects
(PlainText, Phrase, And, Or, Not). Supported, because people type them: "exact phrase",
-word or NOT word to leave out, OR between words. Everything else is just punctuation.
"""

import re
from dataclasses import dataclass, field

from wagtail.search.query import And, Not, Or, Phrase, PlainText

MAX_LENGTH = 200
MAX_TERMS = 12
# A word: letters and digits, with / . - inside (references like 25/00012, CAB/2025/014).
WORD = re.compile(r"[^\W_]+(?:[/.\-][^\W_]+)*")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Key Decision references (NN/NNNNN) and board references (CAB/2025/014, CAB/25/031).
REFERENCE = re.compile(r"^(?:\d{2}/\d{5}|[A-Za-z]{2,6}(?:/\d{1,5}){1,3})$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class ParsedQuery:
    text: str = ""  # the query as shown back in the search box
    query: object = None  # a Wagtail SearchQuery, or None when there is nothing to search
    words: list = field(default_factory=list)  # positive words, for highlighting
    references: list = field(default_factory=list)  # reference-like words, upper-cased
    messages: list = field(default_factory=list)

    def __bool__(self):
        return self.query is not None


def _words(text):
    return WORD.findall(text)


def parse(raw):
    """Parse a raw query string; never raises."""
    raw = raw if isinstance(raw, str) else ""
    messages = []
    text = CONTROL.sub(" ", raw).strip()
    if len(text) > MAX_LENGTH:
        text = text[:MAX_LENGTH].rsplit(" ", 1)[0] or text[:MAX_LENGTH]
        messages.append(
            f"Your search was long, so only its first {MAX_LENGTH} characters were used."
        )
    parsed = ParsedQuery(text=text, messages=messages)

    # Groups of alternatives: "a OR b c" is (a | b) & c. Each item is (query, negated).
    groups = []
    negate_next = False
    join_next = False
    terms = 0
    for match in TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None:
            if bare in ("AND", "&&", "+"):
                continue
            if bare in ("OR", "|", "||"):
                join_next = bool(groups)
                continue
            if bare == "NOT":
                negate_next = True
                continue
            negated = negate_next or (bare.startswith("-") and len(bare) > 1)
            words = _words(bare)
            if not words:
                negate_next = False
                continue
            query = PlainText(" ".join(words), operator="and")
        else:
            negated = negate_next or bool(minus)
            words = _words(phrase)
            if not words:
                negate_next = False
                continue
            query = Phrase(" ".join(words)) if len(words) > 1 else PlainText(words[0])
        negate_next = False
        terms += 1
        if terms > MAX_TERMS:
            messages.append(f"Only the first {MAX_TERMS} words of your search were used.")
            break
        if not negated:
            parsed.words.extend(words)
            parsed.references.extend(w.upper() for w in words if REFERENCE.match(w))
        item = (query, negated)
        if join_next and not negated and not groups[-1][-1][1]:
            groups[-1].append(item)
        else:
            groups.append([item])
        join_next = False

    positives, negatives = [], []
    for group in groups:
        if len(group) == 1:
            query, negated = group[0]
            (negatives if negated else positives).append(query)
        else:
            positives.append(Or([query for query, _ in group]))
    if not positives:
        if negatives:
            messages.append("Add a word to search for: words after a minus sign are left out.")
        return parsed
    combined = positives + [Not(query) for query in negatives]
    parsed.query = combined[0] if len(combined) == 1 else And(combined)
    parsed.words = list(dict.fromkeys(parsed.words))
    parsed.references = list(dict.fromkeys(parsed.references))
    return parsed


SUFFIXES = (
    "ational",
    "ations",
    "ation",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "ed",
    "es",
    "er",
    "s",
    "e",
    "y",
)


def stem(word):
    """A crude English stem, only for highlighting and title matching (the backend ranks)."""
    word = word.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def word_pattern(words):
    """A regex matching any of ``words`` (or a word sharing its stem) at a word start."""
    stems = sorted({stem(w) for w in words if w}, key=len, reverse=True)
    if not stems:
        return None
    alternatives = "|".join(re.escape(s) for s in stems)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)
