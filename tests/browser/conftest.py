"""The browser suite: the test app served on loopback, Debian's headless Chromium, axe-core.

Every test under tests/browser/ is marked `browser` and runs on SQLite only
(the pages are the same on PostgreSQL, and one browser walk is slow enough).
Where chromium or chromedriver is missing the tests skip with the reason —
except in CI (`CI` set), where a missing browser fails them.

Install what the suite needs with `./scripts/test-deps` (apt: chromium,
chromium-driver; npm: axe-core at the version package-lock.json pins).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from sqlmodel import select
from werkzeug.serving import WSGIRequestHandler, make_server

from pro_service import definitions
from pro_service.config import PROJECT_ROOT
from pro_service.demo import create_demo
from pro_service.extensions import limiter
from pro_service.letters.operations import finalize_letter
from pro_service.pathways.models import MilestoneEvent, Pathway, Patient

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}

# Flags that let Debian's Chromium run headless as root on a machine with a closed network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
NO_SCRIPT_FLAG = "--blink-settings=scriptEnabled=false"

# WCAG 2.0 and 2.1, levels A and AA, plus axe's best practices.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
PHONE = (320, 800)
DESKTOP = (1280, 900)
WIDTHS = {PHONE[0]: PHONE, DESKTOP[0]: DESKTOP}

# Runs axe on the page and returns only what a failure message needs.
_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(result => done(result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary, html: n.html})),
  }))))
  .catch(error => done({error: String(error)}));
"""


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests `browser`, and keep only their SQLite run."""
    deselected = []
    for item in items:
        if HERE not in Path(item.path).parents:
            continue
        item.add_marker(pytest.mark.browser)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database_url", "sqlite") != "sqlite":
            deselected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


def _missing_tools() -> list[str]:
    missing = [f"{path} (apt-get install {package})" for path, package in
               ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")) if not path.exists()]
    if not AXE_JS.exists():
        missing.append(f"{AXE_JS.relative_to(PROJECT_ROOT)} (npm ci)")
    return missing


def _require_tools() -> None:
    missing = _missing_tools()
    if not missing:
        return
    reason = "the browser suite needs " + ", ".join(missing) + "; ./scripts/test-deps installs them"
    if IN_CI:
        pytest.fail(reason + " (CI is set: a missing browser fails, it never skips)", pytrace=False)
    pytest.skip(reason)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # the browser's requests would flood the output
        pass


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The test app served by werkzeug on 127.0.0.1 and a free port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _clean_database(_empty_tables) -> None:
    """Browser tests share the session's app and database: every one leaves the tables empty, as others do."""


def _start_chromium(*extra_flags: str):
    _require_tools()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="pro-service-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra_flags):
        options.add_argument(flag)
    logging.getLogger("selenium").setLevel(logging.WARNING)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(30)
    driver.set_window_size(*DESKTOP)
    driver.execute_cdp_cmd("Network.enable", {})
    return driver, profile


def _stop_chromium(driver, profile: str) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(live_server):
    """One headless Chromium for the whole session, with JavaScript."""
    driver, profile = _start_chromium()
    yield driver
    _stop_chromium(driver, profile)


@pytest.fixture(scope="session")
def browser_without_js(live_server):
    """A second Chromium with JavaScript switched off, for the flow that must work without it."""
    driver, profile = _start_chromium(NO_SCRIPT_FLAG)
    yield driver
    _stop_chromium(driver, profile)


def set_language(driver, locale: str) -> None:
    """Make the browser ask for `locale` first (its Accept-Language header), and forget its session."""
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Accept-Language": f"{locale};q=1"}})
    driver.delete_all_cookies()


@pytest.fixture
def browser_language(browser) -> Callable[..., None]:
    """browser_language(locale, driver=browser): a fresh browser session that asks for `locale`."""

    def use(locale: str, driver=None) -> None:
        set_language(driver or browser, locale)

    return use


def resize(driver, width: int) -> None:
    w, h = WIDTHS[width]
    driver.set_window_size(w, h)
    # The window's size is not the viewport's on every platform: correct by the difference.
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if inner[0] != w or inner[1] != h:
        driver.set_window_size(2 * w - inner[0], 2 * h - inner[1])


def axe_violations(driver, url: str | None, width: int) -> list[dict]:
    """Load `url` (or stay on the current page) at `width` px, run axe-core, return its violations."""
    resize(driver, width)
    if url is not None:
        driver.get(url)
    already = driver.execute_script("return typeof window.axe !== 'undefined'")
    if not already:
        driver.execute_script(_axe_source())
    result = driver.execute_async_script(_RUN_AXE, list(AXE_TAGS))
    if isinstance(result, dict) and "error" in result:
        raise RuntimeError(f"axe-core failed on {driver.current_url}: {result['error']}")
    return result


_OVERFLOWING = """
const width = window.innerWidth;
const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('');
const wide = [...document.body.querySelectorAll('*')].filter(el => {
  const box = el.getBoundingClientRect();
  // Only the end side scrolls: what sticks out on the start side (a hidden skip link) is clipped.
  return box.width > 0 && (rtl ? box.left < -0.5 : box.right > width + 0.5);
});
// The outermost ones: an element whose parent also overflows says nothing new.
const boxes = wide.filter(el => !wide.includes(el.parentElement)).slice(0, 6).map(el => {
  const box = el.getBoundingClientRect();
  return `${name(el)} (${Math.round(box.left)}..${Math.round(box.right)} px): ${el.outerHTML.slice(0, 120)}`;
});
// Text that overflows its box (a long word) does not widen the box: look at the text itself.
const texts = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node && texts.length < 6; node = walker.nextNode()) {
  const range = document.createRange();
  range.selectNodeContents(node);
  const box = range.getBoundingClientRect();
  if (box.width > 0 && (rtl ? box.left < -0.5 : box.right > width + 0.5)) {
    texts.push(`text in ${name(node.parentElement)} (${Math.round(box.left)}..${Math.round(box.right)} px): `
               + JSON.stringify(node.textContent.trim().slice(0, 80)));
  }
}
return boxes.concat(texts);
"""


def horizontal_overflow(driver) -> str | None:
    """Why the page scrolls sideways (the elements that stick out), or None when it does not."""
    scroll, inner = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    if scroll <= inner:
        return None
    culprits = driver.execute_script(_OVERFLOWING)
    return f"scrollWidth {scroll} > innerWidth {inner}; sticking out:\n    " + "\n    ".join(culprits)


def describe_violations(violations: list[dict], *, where: str) -> str:
    """A failure message a person can act on: rule, impact, the elements, how to fix."""
    lines = [f"{len(violations)} axe-core violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines.append(f"  help: {v['helpUrl']}")
        for node in v["nodes"][:8]:
            target = " ".join(json.dumps(t, ensure_ascii=False) if not isinstance(t, str) else t
                              for t in node["target"])
            lines.append(f"  at {target}: {node['html'][:160]}")
            summary = (node.get("summary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"  … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


_AXE_SOURCE: list[str] = []


def _axe_source() -> str:
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE_JS.read_text(encoding="utf-8"))
    return _AXE_SOURCE[0]


@pytest.fixture
def assert_accessible(browser) -> Callable[..., None]:
    """assert_accessible(url_or_None, where=…, widths=(320, 1280), driver=browser).

    Runs axe at each width and, at 320 px, checks that nothing scrolls sideways.
    All failures of one page are reported together.
    """

    def check(url: str | None, *, where: str, widths=(PHONE[0], DESKTOP[0]), driver=None) -> None:
        driver = driver or browser
        problems = []
        for index, width in enumerate(widths):
            violations = axe_violations(driver, url if index == 0 else None, width)
            if violations:
                problems.append(describe_violations(violations, where=f"{where} at {width} px"))
            if width == PHONE[0] and (overflow := horizontal_overflow(driver)):
                problems.append(f"{where} scrolls sideways at {width} px: {overflow}")
        driver.set_window_size(*DESKTOP)
        assert not problems, "\n\n".join(problems)

    return check


@pytest.fixture
def demo(session):
    """The demo, as `make run` makes it, with Kari's clinical decision letter finalized (the demo gave her a GP):
    the letter pages show a preview and a version."""
    result = create_demo(packages=definitions.packages(), base_url="https://pro.example.no")
    kari = session.exec(select(Patient).where(Patient.external_id == "DEMO-1")).one()
    decision = session.exec(select(MilestoneEvent).join(Pathway, Pathway.id == MilestoneEvent.pathway_id).where(
        Pathway.patient_id == kari.id, MilestoneEvent.milestone_id == "clinical_decision")).one()
    finalize_letter(milestone_event_id=decision.id, note="Vi held fram med samtalar.", by="demo")
    session.commit()
    return result


NEW_PASSWORD = "tre katter på taket"


@pytest.fixture
def log_in(browser, live_server) -> Callable[[str, str], None]:
    """Log in as a newcomer does: the one-time password leads to choosing one's own, then to the clinic."""

    def go(email: str, password: str) -> None:
        limiter.reset()
        browser.get(f"{live_server}/login")
        browser.find_element(By.ID, "email").send_keys(email)
        browser.find_element(By.ID, "password").send_keys(password)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(browser, 10).until(expected_conditions.url_contains("/password"))
        browser.find_element(By.ID, "password").send_keys(NEW_PASSWORD)
        browser.find_element(By.ID, "confirm").send_keys(NEW_PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(browser, 10).until(expected_conditions.url_contains("/clinic"))

    return go
