"""The application as it runs in production, for the tests: gunicorn serving zhaoshang.wsgi on a loopback port.

    static = build_static(tmp / "static-var")               # collectstatic in production mode (slow: once)
    with ProductionServer(var_dir, database_url, static_root=static, workers=2, RATE_INQUIRY="3/hour") as server:
        server.manage("migrate", "--noinput")
        browser = server.client()                          # talks to it as through a TLS proxy
        page = browser.get("/")

Every process (collectstatic, management commands, gunicorn) starts from a clean environment: none of the
settings variables of the test run leak into it, only those given.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

BASE_DIR = Path(__file__).resolve().parents[1]
BIN_DIR = Path(sys.executable).parent  # the virtual environment of the test run: its python and gunicorn

# Every variable settings.py reads besides the ZHAOSHANG_*, DJANGO_* and RATE_* ones.
SETTINGS_VARIABLES = {
    "ALLOWED_HOSTS",
    "BEHIND_HTTPS_PROXY",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_LOCK_TIMEOUT",
    "DATABASE_URL",
    "DEBUG",
    "LOG_LEVEL",
    "NUM_PROXIES",
    "REDIS_URL",
    "SECRET_KEY",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "TIME_ZONE",
}


def environment(var_dir: Path, **variables: str) -> dict[str, str]:
    """This process's environment without any settings variable, plus ZHAOSHANG_VAR_DIR and ``variables``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES and not name.startswith(("ZHAOSHANG_", "DJANGO_", "RATE_"))
    }
    env.update(ZHAOSHANG_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="zhaoshang.settings", **variables)
    return env


def production_settings(var_dir: Path, database_url: str, **variables: str) -> dict[str, str]:
    """The environment of a production deployment behind a TLS proxy on this machine."""
    return environment(
        var_dir,
        ZHAOSHANG_MODE="production",
        SECRET_KEY=secrets.token_urlsafe(45),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        **variables,
    )


def build_static(var_dir: Path) -> Path:
    """``collectstatic`` in production mode (hashed, compressed files and their manifest); returns STATIC_ROOT."""
    env = production_settings(var_dir, f"sqlite:///{var_dir / 'unused.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    static_root = var_dir / "static"
    assert (static_root / "staticfiles.json").exists()
    return static_root


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode()

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Client:
    """A minimal browser talking HTTP to the server as a TLS-terminating proxy would forward it: every request
    says X-Forwarded-Proto: https (and X-Forwarded-For: the client's address, when given). It keeps cookies,
    secure ones included, follows no redirect and sends the Origin header a browser sends with a form."""

    host: str
    port: int
    address: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def request(self, method: str, url: str, data: dict | None = None, headers: dict | None = None) -> Response:
        path = urlsplit(url)._replace(scheme="", netloc="").geturl() or "/"
        sent = {"Host": f"{self.host}:{self.port}", "X-Forwarded-Proto": "https", "Connection": "close"}
        if self.address:
            sent["X-Forwarded-For"] = self.address
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            sent.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin})
        sent.update(headers or {})
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read(), urljoin(self.origin, path))
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, url: str, **kwargs) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, data: dict, **kwargs) -> Response:
        return self.request("POST", url, data=data, **kwargs)

    def csrf_token(self, url: str) -> str:
        """The CSRF token of the form on the page at ``url`` (which also sets the CSRF cookie)."""
        page = self.get(url)
        assert page.status == 200, (url, page.status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def log_in(self, username: str, password: str) -> Response:
        """Log in through the login form, as a person does."""
        token = self.csrf_token("/accounts/login/")
        return self.post("/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password})


class ProductionServer:
    """gunicorn serving the application in production mode on a free loopback port, with its own var/ directory.

    ``static_root`` (from ``build_static``) is linked into the var/ directory so that one build serves several
    servers. The access log names the worker process that answered each request (``served_by``). ``worker_class``
    and ``threads`` are gunicorn's (``gthread`` with threads keeps connections alive; ``sync`` closes each one).
    """

    def __init__(
        self,
        var_dir: Path,
        database_url: str,
        static_root: Path,
        workers: int = 2,
        worker_class: str = "sync",
        threads: int = 1,
        **variables: str,
    ):
        self.var_dir = Path(var_dir)
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if not (self.var_dir / "static").exists():
            (self.var_dir / "static").symlink_to(static_root, target_is_directory=True)
        self.env = production_settings(self.var_dir, database_url, **variables)
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.access_log = self.var_dir / "access.log"
        self.error_log = self.var_dir / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    def manage(self, *args: str) -> str:
        """Run ``manage.py *args`` with the server's settings; returns its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(self) -> ProductionServer:
        # The logs of an earlier server in the same directory would give its port and workers: each start begins them.
        for log in (self.access_log, self.error_log):
            log.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                str(BIN_DIR / "gunicorn"),
                "zhaoshang.wsgi",
                "--bind=127.0.0.1:0",  # a free port, chosen by the system; read back from the log
                f"--workers={self.workers}",
                f"--worker-class={self.worker_class}",
                f"--threads={self.threads}",
                "--timeout=60",
                f"--access-logfile={self.access_log}",
                "--access-logformat=%(p)s %(m)s %(U)s %(s)s",
                f"--error-logfile={self.error_log}",
                "--log-level=info",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log()}")
            log = self.log()
            if self.port is None and (found := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log)):
                self.port = int(found.group(1))
            if self.port and log.count("Booting worker") >= self.workers:
                try:
                    if self.client().get("/health/").status == 200:
                        return self
                except OSError:
                    pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within 90 s: {self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> ProductionServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def log(self) -> str:
        return self.error_log.read_text() if self.error_log.exists() else ""

    def client(self, address: str | None = None) -> Client:
        """A new browser (no cookies); ``address``: the client address the proxy forwards."""
        return Client("127.0.0.1", self.port, address)

    def served_by(self, method: str, path: str, count: int = 0) -> list[tuple[int, int]]:
        """(worker process id, status) of every ``method path`` request answered so far, oldest first; waits until
        there are at least ``count`` of them (a worker logs a request just after answering it)."""
        deadline = time.monotonic() + 10
        while True:
            lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
            entries = [
                (int(pid.strip("<>")), int(status))
                for pid, *request, status in (line.split(" ") for line in lines)
                if request == [method, path]
            ]
            if len(entries) >= count or time.monotonic() > deadline:
                return entries
            time.sleep(0.05)

    def hold_a_worker(self) -> socket.socket:
        """Keep one idle worker busy: a connection that sends half a request. The worker waits for the rest
        until the connection is closed; meanwhile the other workers answer everything."""
        held = socket.create_connection(("127.0.0.1", self.port))
        held.sendall(b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.5)  # accepted by a worker (the first waiting connection is accepted first)
        return held
