"""Council staff and providers clicking through the demo market (issue 10, "Load held").

`python -m benchmarks.run --only load` runs it against gunicorn, a Celery worker,
PostgreSQL and Redis and writes the figures to docs/benchmarks.md. By hand,
against a server already running the demo market:

    locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 2m --host http://127.0.0.1:8000

Each simulated user logs in through the login form, as a person would, then
clicks from page to page with 1 to 5 seconds between clicks. Where to go next is
read from the links on the pages already seen (a provider from the market table,
a drill-down from the provider's dashboard, a pack from the list), so the
scenario follows the app rather than a list of URLs. Requests are named by page
kind, so the report groups, say, every provider's dashboard under one line.

How many users of each role: LOAD_SPLIT ("commissioner=15,quality=10,..."), else
the defaults below. Provider users log in with the logins in the JSON file
LOAD_LOGINS (made by benchmarks/load_data.py: one provider each, with a small
visits file of its own to upload); without it, the demo's `provider` login.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, events
from locust.clients import ResponseContextManager

# Run by locust, this file's folder is on the path but the project is not.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.pages import CSRF, kind_of, links  # noqa: E402

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-password-2026")
SPLIT = {"commissioner": 15, "quality": 10, "manager": 10, "provider": 15}
SPLIT.update(
    (role, int(count))
    for role, count in (
        part.split("=") for part in os.environ.get("LOAD_SPLIT", "").split(",") if part
    )
)
PROVIDER_LOGINS: list[dict[str, str]] = (
    json.loads(Path(os.environ["LOAD_LOGINS"]).read_text())
    if os.environ.get("LOAD_LOGINS")
    else [{"username": "provider", "password": PASSWORD, "provider": "", "upload": ""}]
)
_next_login = itertools.count()

# Every request, one CSV row each (when it started, its name, milliseconds,
# failed or not), for figures the stats CSV cannot give: all pages but the
# log-in, or only what came after the last user had logged in.
if os.environ.get("LOAD_LOG"):
    _log = csv.writer(open(os.environ["LOAD_LOG"], "w", newline="", buffering=1))  # noqa: SIM115

    @events.request.add_listener
    def _record(name: str, response_time: float, exception: Exception | None, **more) -> None:
        started = more.get("start_time") or time.time() - response_time / 1000
        _log.writerow([f"{started:.3f}", name, f"{response_time:.1f}", int(exception is not None)])


class Visitor(HttpUser):
    """Logs in, then clicks; remembers the links it has seen, by kind."""

    abstract = True
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.links: dict[str, set[str]] = {}
        self.username, self.password = self.credentials()
        self.log_in()

    def credentials(self) -> tuple[str, str]:
        raise NotImplementedError

    # --- requests -------------------------------------------------------------

    def _checked(self, response: ResponseContextManager, *, pdf: bool = False) -> bool:
        """A request fails unless it answers 200 with the page itself: a 4xx or
        5xx, or a bounce to the login page, is an error a user would see."""
        if response.status_code == 0:
            # No answer at all: the connection failed (locust keeps the exception).
            response.failure(repr(response.error))
        elif response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
        elif urlparse(response.url).path == "/login/" and self.logged_in:
            response.failure("sent to the login page")
        elif pdf and not response.content.startswith(b"%PDF"):
            response.failure("not a PDF")
        else:
            response.success()
            return True
        return False

    def open(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            if not self._checked(response):
                return ""
            self.remember(response.url, response.text)
            return response.text

    def remember(self, url: str, text: str) -> None:
        for kind, link in links(url, text):
            self.links.setdefault(kind, set()).add(link)

    def follow(self, kind: str, via: tuple[str, str]) -> None:
        """Click a link of `kind` seen earlier; if none yet, open the page that
        lists such links (`via`: path and its name) and click one there."""
        if not self.links.get(kind):
            self.open(*via)
        if self.links.get(kind):
            self.open(random.choice(sorted(self.links[kind])), kind)

    def log_in(self) -> None:
        self.logged_in = False
        page = self.open("/login/", "log in: form")
        token = CSRF.search(page)
        if not token:
            return
        with self.client.post(
            "/login/",
            name="log in: submit",
            data={
                "username": self.username,
                "password": self.password,
                "csrfmiddlewaretoken": token.group(1),
            },
            catch_response=True,
        ) as response:
            # Logged in, the form redirects to the home page; refused, it shows again.
            if self._checked(response) and urlparse(response.url).path == "/login/":
                response.failure("login refused")
            elif response.status_code == 200:
                self.logged_in = True
                self.remember(response.url, response.text)

    # --- pages every role opens -------------------------------------------------

    def home(self) -> None:
        self.open("/", "home")

    def market(self) -> None:
        self.open("/market/", "market overview")

    def provider_dashboard(self) -> None:
        self.follow("provider dashboard", ("/market/", "market overview"))

    def drill_down(self) -> None:
        """A figure on a provider's dashboard, clicked through to its visits."""
        kinds = [k for k in self.links if k.startswith("drill-down")]
        if not kinds:
            self.provider_dashboard()
            kinds = [k for k in self.links if k.startswith("drill-down")]
        if kinds:
            kind = random.choice(sorted(kinds))
            self.open(random.choice(sorted(self.links[kind])), kind)

    def quality(self) -> None:
        self.open("/quality/", "quality overview")

    def packs(self) -> None:
        self.open("/packs/", "packs list")

    def download(self) -> None:
        if not self.links.get("pack PDF download"):
            self.packs()
        if self.links.get("pack PDF download"):
            path = random.choice(sorted(self.links["pack PDF download"]))
            with self.client.get(path, name="pack PDF download", catch_response=True) as response:
                self._checked(response, pdf=True)

    def imports(self) -> None:
        self.open("/imports/", "imports list")

    # --- pages some roles open ----------------------------------------------------

    def market_sorted(self) -> None:
        self.follow("market overview, sorted or paged", ("/market/", "market overview"))

    def lot(self) -> None:
        # Lots are linked from a provider's dashboard (its contracts).
        if not self.links.get("lot page"):
            self.provider_dashboard()
        self.follow("lot page", ("/market/", "market overview"))

    def provider_quality(self) -> None:
        self.follow("provider quality", ("/quality/", "quality overview"))

    def assessment(self) -> None:
        # Assessments are linked from their action plans (and providers' pages).
        if not self.links.get("assessment"):
            self.follow("action plan", ("/quality/", "quality overview"))
        self.follow("assessment", ("/quality/", "quality overview"))

    def action_plan(self) -> None:
        self.follow("action plan", ("/quality/", "quality overview"))

    def framework(self) -> None:
        self.follow("quality framework", ("/quality/frameworks/", "quality frameworks"))

    def providers(self) -> None:
        self.open("/providers/", "providers list")

    def provider_record(self) -> None:
        self.follow("provider record", ("/providers/", "providers list"))


class Commissioner(Visitor):
    """The market first: who is at risk, which lot, which provider and why."""

    fixed_count = SPLIT["commissioner"]
    tasks = {
        Visitor.market: 4,
        Visitor.market_sorted: 2,
        Visitor.provider_dashboard: 4,
        Visitor.drill_down: 4,
        Visitor.lot: 2,
        Visitor.quality: 1,
        Visitor.packs: 1,
        Visitor.download: 1,
        Visitor.home: 1,
    }

    def credentials(self) -> tuple[str, str]:
        return "commissioner", PASSWORD


class QualityOfficer(Visitor):
    """Quality pages first: who is due a visit, the assessment, its action plan."""

    fixed_count = SPLIT["quality"]
    tasks = {
        Visitor.quality: 4,
        Visitor.provider_quality: 4,
        Visitor.assessment: 2,
        Visitor.action_plan: 2,
        Visitor.framework: 1,
        Visitor.provider_dashboard: 2,
        Visitor.drill_down: 2,
        Visitor.market: 1,
        Visitor.home: 1,
    }

    def credentials(self) -> tuple[str, str]:
        return "quality", PASSWORD


class ContractManager(Visitor):
    """Contracts and money: the month's packs, lots, providers' records."""

    fixed_count = SPLIT["manager"]
    tasks = {
        Visitor.market: 3,
        Visitor.provider_dashboard: 3,
        Visitor.drill_down: 2,
        Visitor.lot: 2,
        Visitor.packs: 3,
        Visitor.download: 2,
        Visitor.providers: 1,
        Visitor.provider_record: 1,
        Visitor.imports: 1,
        Visitor.home: 1,
    }

    def credentials(self) -> tuple[str, str]:
        return "manager", PASSWORD


class ProviderStaff(Visitor):
    """A provider's office: their own figures, their quality actions, their pack,
    and once a session this week's ECM export uploaded and checked."""

    fixed_count = SPLIT["provider"]

    def credentials(self) -> tuple[str, str]:
        self.account = PROVIDER_LOGINS[next(_next_login) % len(PROVIDER_LOGINS)]
        self.uploaded = False
        return self.account["username"], self.account["password"]

    def own_dashboard(self) -> None:
        # Their own dashboard is linked from their home page.
        self.follow("provider dashboard", ("/", "home"))

    def own_quality(self) -> None:
        # A provider's user's quality page is their own provider's.
        self.open("/quality/", "provider quality")

    def own_assessment(self) -> None:
        # Their latest monitoring visit and its action plan, where they have one.
        kinds = [kind for kind in ("assessment", "action plan") if self.links.get(kind)]
        if kinds:
            kind = random.choice(kinds)
            self.open(random.choice(sorted(self.links[kind])), kind)
        else:
            self.own_quality()

    def upload(self) -> None:
        if self.uploaded or not self.account.get("upload"):
            self.follow("import record", ("/imports/", "imports list"))
            return
        form = self.open("/imports/upload/", "upload: form")
        token = CSRF.search(form)
        if not token:
            return
        path = Path(self.account["upload"])
        with self.client.post(
            "/imports/upload/",
            name="upload: submit (then its import record)",
            data={"kind": "visits", "csrfmiddlewaretoken": token.group(1)},
            files={"file": (path.name, path.read_bytes(), "text/csv")},
            catch_response=True,
        ) as response:
            # Stored and queued, the upload redirects to its import record.
            landed = urlparse(response.url).path
            if self._checked(response) and kind_of(landed) != "import record":
                response.failure("the upload was not accepted")
            elif response.status_code == 200:
                self.uploaded = True
                self.links.setdefault("import record", set()).add(landed)

    tasks = {
        own_dashboard: 4,
        Visitor.drill_down: 3,
        Visitor.market: 1,
        own_quality: 2,
        own_assessment: 1,
        Visitor.packs: 1,
        Visitor.download: 1,
        Visitor.imports: 1,
        # Once a session, then the import record it made.
        upload: 2,
        Visitor.home: 1,
    }
