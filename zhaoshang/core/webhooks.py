"""Webhook formats: how a notification is written for the messaging a city uses, and how its answer is read.

One adapter per format (``ZHAOSHANG_WEBHOOK_FORMAT``): ``payload(message, link)`` builds the JSON body, ``failure(
answer)`` reads the receiver's answer (HTTP 2xx) and returns why it refused, or "" when it took the message. Another
messaging (DingTalk, Feishu) is one more adapter in ``ADAPTERS``.

- ``wecom``: a WeCom (企业微信) group robot, ``{"msgtype": "markdown", "markdown": {"content": ...}}``; it answers
  ``{"errcode": 0, "errmsg": "ok"}``, any other ``errcode`` is a refusal. The user's text is made inert for its
  markdown: the characters that would start markup (links, bold, headings, quotes, ``<font>`` tags, ``<@userid>``
  mentions, entities) are replaced by their full-width forms, which read the same in Chinese text and which no
  renderer interprets (WeCom documents no backslash escapes). Only the link appended by the platform is markup.
- ``json``: plain ``{"text": ..., "url": ...}``; any 2xx answer is taken.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext as _

# Characters left as they are in the link's address; brackets, spaces and angle brackets are percent-encoded.
LINK_SAFE = ":/?#@!$&'*+,;=%~"
# WeCom refuses markdown content longer than this many bytes (UTF-8).
WECOM_MARKDOWN_BYTES = 4096
_WECOM_INERT = str.maketrans(
    {
        "\\": "＼",
        "*": "＊",
        "_": "＿",
        "`": "｀",
        "[": "［",
        "]": "］",
        "<": "＜",
        ">": "＞",
        "#": "＃",
        "~": "～",
        "|": "｜",
        "&": "＆",
    }
)


def escape_markdown(text: str) -> str:
    """``text`` as plain words in WeCom markdown: nothing in it can become a link, a tag, a mention or formatting."""
    return str(text).translate(_WECOM_INERT)


def link_label() -> str:
    """The words of the link appended to a message."""
    return _("View in the platform")


def _wecom_payload(message: str, link: str) -> dict:
    tail = ""
    if link:
        # in a markdown link's target, brackets, spaces and angle brackets would end or break it
        tail = f"\n[{escape_markdown(link_label())}]({quote(link, safe=LINK_SAFE)})"
    text = escape_markdown(message)
    room = WECOM_MARKDOWN_BYTES - len(tail.encode("utf-8"))
    if len(text.encode("utf-8")) > room:
        text = text.encode("utf-8")[: room - 3].decode("utf-8", errors="ignore") + "…"
    return {"msgtype": "markdown", "markdown": {"content": text + tail}}


def _wecom_failure(answer: bytes) -> str:
    if not answer.strip():
        return ""
    try:
        data = json.loads(answer)
    except ValueError:
        return f"not a WeCom answer: {answer[:200].decode('utf-8', errors='replace')}"
    errcode = data.get("errcode", 0) if isinstance(data, dict) else 0
    if errcode in (0, "0", None):
        return ""
    return f"errcode {errcode}: {data.get('errmsg', '')}"


def _json_payload(message: str, link: str) -> dict:
    return {"text": str(message), "url": link}


def _json_failure(answer: bytes) -> str:
    return ""


@dataclass(frozen=True)
class Adapter:
    payload: Callable[[str, str], dict]
    failure: Callable[[bytes], str]


ADAPTERS = {
    "wecom": Adapter(_wecom_payload, _wecom_failure),
    "json": Adapter(_json_payload, _json_failure),
}


def adapter(fmt: str | None = None) -> Adapter:
    return ADAPTERS[fmt or settings.ZHAOSHANG_WEBHOOK_FORMAT]


def payload(message: str, link: str = "", fmt: str | None = None) -> dict:
    """The JSON body that carries ``message`` (and ``link``, an absolute address) in the format."""
    return adapter(fmt).payload(message, link)
