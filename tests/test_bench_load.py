"""The load benchmark's HTTP client reads responses as the server frames them (bench/load.py): a body by its
Content-Length, chunked, or up to the end of the connection, and whether the connection stays open."""

import asyncio
import importlib.util
import os
import sys
from pathlib import Path
from unittest import mock

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def load():
    with mock.patch.dict(os.environ), mock.patch("sys.path", [str(BENCH), *sys.path]):
        spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_load"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return module


def read(load, raw: bytes):
    async def go():
        reader = asyncio.StreamReader()
        reader.feed_data(raw)
        reader.feed_eof()
        return await load.read_answer(reader), await reader.read()

    return asyncio.run(go())


def test_content_length_closed_by_the_server(load):
    answer, rest = read(
        load, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\nContent-Encoding: gzip\r\n\r\nhelloNEXT"
    )
    assert (answer.status, answer.body, answer.keep_alive) == (200, b"hello", False)
    assert answer.headers["content-encoding"] == "gzip"
    assert rest == b"NEXT"


def test_chunked_kept_alive(load):
    answer, rest = read(
        load, b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"
    )
    assert (answer.status, answer.body, answer.keep_alive) == (404, b"abcde", True)
    assert rest == b""


def test_body_up_to_the_end_of_the_connection(load):
    answer, _ = read(load, b"HTTP/1.0 302 Found\r\nLocation: /accounts/login/\r\n\r\nmoved")
    assert (answer.status, answer.body, answer.keep_alive) == (302, b"moved", False)
    assert answer.headers["location"] == "/accounts/login/"


def test_requests_say_what_a_browser_behind_the_proxy_says(load):
    raw = load.request_bytes("127.0.0.1:8001", "/map/", "sessionid=abc").decode()
    assert raw.startswith("GET /map/ HTTP/1.1\r\nHost: 127.0.0.1:8001\r\n")
    for header in ("Accept-Encoding: gzip", "Accept-Language: zh-CN", "X-Forwarded-Proto: https", "Cookie: sessionid"):
        assert f"\r\n{header}" in raw
    assert raw.endswith("\r\n\r\n")
