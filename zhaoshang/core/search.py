"""Chinese full-text search that behaves the same on SQLite and PostgreSQL.

Each searchable record keeps a ``search_text`` column: a space-separated,
space-padded set of terms built from its text fields:

- jieba's search-mode words (``江门市`` gives 江门, 门市, 江门市),
- every two-character run of Chinese text (so 新会 is found inside 新会区 even
  where jieba cuts the text another way),
- the pinyin of each Chinese word and two-character run, in full and as
  initials (xinhui, xh),
- lower-cased Latin words and numbers (codes, English names).

A query is cut the same way and every one of its terms must be present as a
whole term (``" 新会 "``) in ``search_text``; Latin terms match as prefixes
(``" jiang"``). One-character Chinese queries fall back to a plain substring.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Q

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[0-9a-z]+")

_jieba = None


def _segmenter():
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return _jieba


def normalize(text: str) -> str:
    """Full-width to half-width, lower case."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            code = 0x20
        elif 0xFF01 <= code <= 0xFF5E:
            code -= 0xFEE0
        out.append(chr(code))
    return "".join(out).lower()


def _bigrams(run: str) -> Iterable[str]:
    return (run[i : i + 2] for i in range(len(run) - 1))


@lru_cache(maxsize=65536)
def _pinyin(word: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(word))
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER))
    return full, initials


def index_terms(*texts: str | None) -> set[str]:
    terms: set[str] = set()
    for text in texts:
        if not text:
            continue
        text = normalize(str(text))
        terms.update(LATIN_WORD.findall(text))
        for run in CJK_RUN.findall(text):
            terms |= _run_terms(run)
    terms.discard("")
    return terms


@lru_cache(maxsize=65536)
def _run_terms(run: str) -> frozenset[str]:
    """The terms of one run of Chinese text (a run's terms do not depend on the text around it, and runs such
    as place names, 有限公司 or 项目 come back in thousands of records)."""
    if len(run) == 1:
        return frozenset((run,))
    jieba = _segmenter()
    terms: set[str] = set()
    for gram in _bigrams(run):
        terms.add(gram)
        terms.update(_pinyin(gram))  # xinhui / xh even where jieba cuts 新会 into 新 + 会
    for word in jieba.cut_for_search(run):
        if len(word) >= 2:
            terms.add(word)
    for word in jieba.cut(run):
        full, initials = _pinyin(word)
        terms.add(full)
        if len(word) >= 2:
            terms.add(initials)
    return frozenset(terms)


def build_search_text(*texts: str | None) -> str:
    terms = sorted(index_terms(*texts))
    return f" {' '.join(terms)} " if terms else ""


def query_q(query: str, field: str = "search_text") -> Q | None:
    """The filter for ``query`` on ``field``; None when the query has no terms."""
    text = normalize(query or "").strip()
    if not text:
        return None
    q = Q()
    found = False
    for run in CJK_RUN.findall(text):
        found = True
        if len(run) == 1:
            q &= Q(**{f"{field}__contains": run})
        else:
            for gram in set(_bigrams(run)):
                q &= Q(**{f"{field}__contains": f" {gram} "})
    for word in LATIN_WORD.findall(text):
        found = True
        q &= Q(**{f"{field}__contains": f" {word}"})
    return q if found else None
