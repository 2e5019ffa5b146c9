"""The translation catalogs are complete and consistent.

zh_Hans is the default language: every message has a Chinese translation and
none is fuzzy. English is the source language, so its catalog only translates
messages whose msgid contains Chinese (e.g. "registered capital (万元)").
Placeholders must survive translation unchanged, and the compiled catalogs must
actually be used at run time (``make messages`` compiles them).
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

LOCALE = Path(__file__).resolve().parent.parent / "zhaoshang" / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# %(name)s, %d, %s, %.2f … but not a literal %%
PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")
# Messages whose Chinese translation may rightly be written in Latin letters only (codes, product names).
LATIN_ALLOWED: set[str] = set()
BRACES = re.compile(r"\{\{\s*([\w.]+)\s*\}\}|\{(\w*)\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: msgid, msgid_plural, msgstr / msgstr[n], flags, obsolete (#~) entries."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def start(lineno: int) -> Entry:
        nonlocal entry
        if entry is None:
            entry = Entry(line=lineno)
            entries.append(entry)
        return entry

    def append(keyword: str, index: int, text: str) -> None:
        if keyword == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
        elif keyword == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + text
        else:
            entry.msgid += text

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            entry, target = None, None
            continue
        if line.startswith("#,"):
            start(lineno).flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            start(lineno)
            continue
        if line.startswith('"'):
            assert target is not None, f"{path}:{lineno}: continuation line without a keyword"
            append(*target, ast.literal_eval(line))
            continue
        match = re.fullmatch(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")", line)
        assert match, f"{path}:{lineno}: cannot read {raw!r}"
        keyword, index, text = match.group(1), int(match.group(2) or 0), ast.literal_eval(match.group(3))
        current = start(lineno)
        if keyword == "msgid" and (current.msgid or current.msgstr):
            # an entry that follows the previous one without a blank line
            entry = None
            current = start(lineno)
        current.obsolete = current.obsolete or obsolete
        if keyword == "msgctxt":
            target = None
            continue
        target = (keyword, index)
        append(keyword, index, text)
    return [e for e in entries if e.msgstr or e.msgid]


def header(entries: list[Entry]) -> dict[str, str]:
    first = entries[0]
    assert first.msgid == "", "the catalog must start with its header entry"
    fields = {}
    for row in first.msgstr[0].splitlines():
        name, _sep, value = row.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid and not e.obsolete]


def placeholders(text: str, python_format: bool) -> list[str]:
    found = [match.group(1) or match.group(2) for match in BRACES.finditer(text)]
    if python_format:
        for match in PYTHON_FORMAT.finditer(text):
            if match.group(2) != "%":
                found.append(f"%({match.group(1)}){match.group(2)}" if match.group(1) else f"%{match.group(2)}")
    return sorted(found)


@pytest.fixture(scope="module")
def zh():
    return parse_po(ZH_PO)


@pytest.fixture(scope="module")
def en():
    return parse_po(EN_PO)


def test_parser_reads_the_catalogs(zh, en):
    assert len(messages(zh)) > 100
    assert {e.msgid for e in messages(zh)} == {e.msgid for e in messages(en)}, "regenerate both catalogs"
    plural = next(e for e in messages(zh) if e.msgid_plural)
    assert plural.msgid_plural and list(plural.msgstr) == [0]


def test_headers():
    zh_header, en_header = header(parse_po(ZH_PO)), header(parse_po(EN_PO))
    assert zh_header["Language"] == "zh_Hans"
    assert zh_header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert en_header["Language"] == "en"
    assert en_header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    for fields in (zh_header, en_header):
        assert fields["Project-Id-Version"] == "zhaoshang"
        assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    for entries in (parse_po(ZH_PO), parse_po(EN_PO)):
        assert "fuzzy" not in entries[0].flags, "the header entry is still fuzzy"


def test_chinese_catalog_is_complete(zh):
    empty = [e.label for e in messages(zh) if not e.msgstr or any(not text.strip() for text in e.msgstr.values())]
    assert not empty, "untranslated in zh_Hans:\n" + "\n".join(empty)
    fuzzy = [e.label for e in zh if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy in zh_Hans:\n" + "\n".join(fuzzy)
    wrong_forms = [e.label for e in messages(zh) if e.msgid_plural and sorted(e.msgstr) != [0]]
    assert not wrong_forms, "zh_Hans has one plural form (msgstr[0] only):\n" + "\n".join(wrong_forms)


def test_chinese_catalog_is_chinese(zh):
    # catches English pasted into a msgstr; add true exceptions (e.g. "GeoJSON") to LATIN_ALLOWED
    latin = [
        e.label
        for e in messages(zh)
        if e.msgid not in LATIN_ALLOWED and not any(CJK.search(text) for text in e.msgstr.values())
    ]
    assert not latin, "zh_Hans translations without Chinese:\n" + "\n".join(latin)


def test_english_catalog_has_no_chinese(en):
    fuzzy = [e.label for e in en if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy in en:\n" + "\n".join(fuzzy)
    problems = []
    for e in messages(en):
        needs_translation = CJK.search(e.msgid) or (e.msgid_plural and CJK.search(e.msgid_plural))
        for text in e.msgstr.values():
            if needs_translation and not text.strip():
                problems.append(f"{e.label}: contains Chinese but has no English msgstr")
            elif CJK.search(text):
                problems.append(f"{e.label}: msgstr {text!r} contains Chinese")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_placeholders_survive_translation(path):
    problems = []
    for e in messages(parse_po(path)):
        python_format = "python-format" in e.flags
        expected = {tuple(placeholders(e.msgid, python_format))}
        if e.msgid_plural is not None:
            expected.add(tuple(placeholders(e.msgid_plural, python_format)))
        for index, text in sorted(e.msgstr.items()):
            if text and tuple(placeholders(text, python_format)) not in expected:
                problems.append(f"{e.label} msgstr[{index}] = {text!r}")
    assert not problems, "placeholders changed in translation:\n" + "\n".join(problems)


def test_placeholder_check_catches_mistakes():
    assert placeholders("Page %(number)s of %(total)s", True) == ["%(number)s", "%(total)s"]
    assert placeholders("has %(n)d; %d left, 100%% done", True) == ["%(n)d", "%d"]
    assert placeholders("有 %(n)s 个", True) != placeholders("has %(n)d", True)
    assert placeholders("{{ counter }} records", False) == ["counter"]
    assert placeholders("第 %(number)s 页，共 %(totl)s 页", True) != placeholders("Page %(number)s of %(total)s", True)


def test_compiled_catalogs_are_used():
    for po in (ZH_PO, EN_PO):
        assert po.with_suffix(".mo").exists(), f"{po.with_suffix('.mo')} is missing: run `make messages`"
    with translation.override("zh-hans"):
        assert gettext("Enterprises") == "企业"
        assert gettext("Audit log") == "审计日志"
        assert gettext("Unified social credit code") == "统一社会信用代码"
        assert gettext("Outpost") == "驻点招商机构"
        assert gettext("Registered capital (10,000 yuan)") == "注册资本（万元）"
        assert gettext("Welcome, %(name)s") % {"name": "张三"} == "欢迎，张三"
        assert ngettext("%(counter)s record", "%(counter)s records", 3) % {"counter": 3} == "共 3 条记录"
    with translation.override("en"):
        assert gettext("Enterprises") == "Enterprises"
        assert gettext("Audit log") == "Audit log"
        assert gettext("Registered capital (10,000 yuan)") == "Registered capital (10,000 yuan)"
        assert ngettext("%(counter)s record", "%(counter)s records", 1) % {"counter": 1} == "1 record"
        assert ngettext("%(counter)s record", "%(counter)s records", 3) % {"counter": 3} == "3 records"
