"""Department names as clerks write them → the config's department ids.

"Sở Ngoại vụ", "sở ngoại vụ", "SO NGOAI VU", "Sở NV", "VP UBND tỉnh", "Sở KH&ĐT",
"UBND các huyện, thị xã, thành phố" all find their department: names are compared
without diacritics or case, "và"/"các" are ignored, a trailing "tỉnh" is optional, and a
word may stand for the initials of several ("NV" = Ngoại Vụ, "UBND" = Ủy ban nhân dân).
A cell naming several departments ("Sở KH&ĐT, Sở Công Thương và Sở Du lịch") gives each
of them; what is left over ("các sở, ban, ngành liên quan") is returned as text, to be
kept in the task's note rather than dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Config
from .text import fold, words

_STOP = frozenset({"va", "cac"})
# Written out in full on the config's side, so that both spellings and their initials match.
_EXPAND = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "mttq": "mat tran to quoc",
           "tp": "thanh pho", "kt-xh": "kinh te xa hoi"}
# Words a cell may add inside a name without meaning another department.
_FILLER = frozenset({"thi", "xa"})
_SPLIT = re.compile(r"[^a-z0-9]+")
# Leftovers that say "whoever is concerned" rather than name someone.
_GENERIC = ("lien quan", "so ban nganh", "so nganh", "co quan don vi", "dia phuong", "thanh vien", "ven bien",
            "ban nganh", "nganh")


def _tokens(text: str, expand: bool = False) -> list[str]:
    folded = fold(text)
    if expand:
        for short, full in _EXPAND.items():
            folded = re.sub(rf"\b{re.escape(short)}\b", full, folded)
    return [w for w in _SPLIT.split(folded) if w and w not in _STOP]


@dataclass(frozen=True)
class Match:
    ids: tuple[str, ...]  # the departments found, in the cell's order, without repeats
    rest: tuple[str, ...]  # the phrases no department matched ("Cục Ngoại vụ")

    @property
    def unknown(self) -> tuple[str, ...]:
        """Leftovers that name a body (not "the agencies concerned")."""
        return tuple(r for r in self.rest if not any(g in " ".join(words(r)) for g in _GENERIC))


class Departments:
    def __init__(self, cfg: Config):
        self.names: list[tuple[str, list[str]]] = []
        for d in cfg.departments:
            for name in {d.name, d.id.replace("-", " ")}:
                ws = _tokens(name, expand=True)
                if ws and ws[-1] == "tinh":
                    ws = ws[:-1]  # "Công an tỉnh" is also written "Công an"
                if ws:
                    self.names.append((d.id, ws))

    def match(self, text: str) -> Match:
        tokens = _tokens(text)
        ids: list[str] = []
        rest: list[str] = []
        pending: list[str] = []
        i = 0
        while i < len(tokens):
            best: tuple[int, str] | None = None
            for dep_id, ws in self.names:
                for end in _ends(tuple(tokens), i, tuple(ws)):
                    if end < len(tokens) and tokens[end] == "tinh":
                        end += 1
                    if best is None or end > best[0]:
                        best = (end, dep_id)
            if best is None:
                pending.append(tokens[i])
                i += 1
                continue
            if pending:
                rest.append(" ".join(pending))
                pending = []
            if best[1] not in ids:
                ids.append(best[1])
            i = best[0]
        if pending:
            rest.append(" ".join(pending))
        return Match(tuple(ids), tuple(_original_phrases(text, rest)))


def _ends(tokens: tuple[str, ...], start: int, name: tuple[str, ...]) -> list[int]:
    """Every position where a match of ``name`` starting at ``tokens[start]`` can end."""
    return sorted(_match_from(tokens, start, name, 0))


@functools.lru_cache(maxsize=65536)
def _match_from(tokens: tuple[str, ...], i: int, name: tuple[str, ...], j: int) -> frozenset[int]:
    if j == len(name):
        return frozenset({i})
    if i >= len(tokens):
        return frozenset()
    t = tokens[i]
    out: set[int] = set()
    if t == name[j]:
        out |= _match_from(tokens, i + 1, name, j + 1)
    # A word standing for the initials of the next len(t) words: "nv" = ngoai vu.
    if 2 <= len(t) <= len(name) - j and t == "".join(w[0] for w in name[j:j + len(t)]):
        out |= _match_from(tokens, i + 1, name, j + len(t))
    if t in _FILLER and j > 0:
        out |= _match_from(tokens, i + 1, name, j)
    return frozenset(out)


def _same_length_fold(text: str) -> str:
    """``fold`` character by character (no collapsing), so positions stay those of ``text``."""
    out = []
    for c in text:
        f = fold(c) if not c.isspace() else " "
        out.append(f if len(f) == 1 else (c.lower() if len(c.lower()) == 1 else "?"))
    return "".join(out)


def _original_phrases(text: str, folded: Sequence[str]) -> list[str]:
    """The leftover phrases as the cell wrote them (with diacritics), split at semicolons and
    line breaks (a comma may be inside one phrase: "các sở, ban, ngành liên quan")."""
    haystack = _same_length_fold(text)
    out: list[str] = []
    for phrase in folded:
        gap = r"[^a-z0-9]+(?:(?:va|cac)[^a-z0-9]+)*"
        pattern = gap.join(re.escape(w) for w in phrase.split())
        m = re.search(r"(?:(?:va|cac)[^a-z0-9]+)*" + pattern, haystack)
        found = text[m.start():m.end()] if m is not None else phrase
        for part in re.split(r"[;\n]", found):
            part = re.sub(r"^(?:và|va)\s+", "", part.strip(" ,-–•.")).strip(" ,-–•.")
            if part:
                out.append(part)
    return out
