"""`make run PORT=N`: the links it prints point at the port it serves, and they are the last thing printed."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_makefile_hands_the_port_to_the_links():
    dry = subprocess.run(["make", "-n", "run", "PORT=5123"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "BASE_URL='http://127.0.0.1:5123'" in dry.stdout and " 127.0.0.1 5123" in dry.stdout


def test_serve_demo_prints_working_links_on_its_port_after_the_server_banner(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "PRO_SERVICE_ENV": "development",
           "INSTANCE_DIR": str(tmp_path)}
    env.pop("BASE_URL", None)
    subprocess.run([BIN / "pro-service", "db", "upgrade"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([ROOT / "scripts" / "serve-demo", BIN, "127.0.0.1", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if len(lines) > 2 and lines[-1].startswith("=====") and any("one-time password" in x for x in lines):
                break
        output = "\n".join(lines)
        links = re.findall(r"https?://\S+/i/\S+", output)
        logins = re.findall(r"https?://\S+/login", output)

        assert links and logins, output
        assert all(link.startswith(f"http://127.0.0.1:{port}/") for link in links + logins), output
        banner = max(i for i, x in enumerate(lines) if "Running on" in x or "Press CTRL+C" in x)
        first_link = min(i for i, x in enumerate(lines) if "/i/" in x)
        assert banner < first_link, output  # the server's own lines come first, the links last
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with browser.open(links[0], timeout=30) as page:  # the link sets a session cookie and redirects
            assert page.status == 200
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        server.stdout.close()
