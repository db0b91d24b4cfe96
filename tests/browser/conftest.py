"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from conventions.demo_accounts import DEMO_PASSWORD

BROWSER_TESTS = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last, after pytest-django's own ordering: each empties the database when it
    ends (a live server needs a transactional database), and the other tests read the demo data that
    the session loaded once."""
    browser_tests = [item for item in items if item.path.is_relative_to(BROWSER_TESTS)]
    items[:] = [item for item in items if not item.path.is_relative_to(BROWSER_TESTS)] + browser_tests


@pytest.fixture(scope="session", autouse=True)
def _django_beside_playwright():
    """Playwright's sync API keeps an event loop running in the main thread, where Django then
    refuses database calls (the tests' and the fixtures') as "from an async context". Nothing here
    is async: the live server answers in its own thread."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def base_url(django_db_setup, live_server):
    """Pages are opened by path (`page.goto("/")`). This also replaces pytest-playwright's own
    `base_url`, a method fixture that pytest deprecates (warnings are errors here). The test
    database is set up before the live server so that the server shares it."""
    return live_server.url


@pytest.fixture
def _requests_finished(live_server):
    """After the test and once its browser context is closed, wait for the live server to finish the
    requests still running (a preview renders for seconds) before the database is emptied under them."""
    yield
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate() if thread.is_alive()
    ):
        time.sleep(0.05)


@pytest.fixture
def page(_requests_finished, page):
    """A page that gives up after 10 s rather than Playwright's 30 s: every step here is local."""
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def demo_data(live_server, settings):
    """The models, the demo conventions and the demo accounts. The live server's database is
    transactional and emptied after each test, so the session's data is not there. The accounts'
    passwords are hashed with a fast hasher: twenty slow hashes would take four seconds a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for command in ("load_models", "load_demo", "create_demo_accounts"):
        call_command(command, stdout=StringIO())


def log_in(page, username, password=DEMO_PASSWORD):
    page.goto("/comptes/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def end_the_session(page):
    """What an ended session leaves: the session cookie is gone, the CSRF cookie stays."""
    cookies = [cookie for cookie in page.context.cookies() if cookie["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(cookies)
