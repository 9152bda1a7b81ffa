"""The mixed load of `make loadtest`, run by Locust headless (started by bench/loadtest.py).

Reads the plan that loadtest.py wrote (LOADTEST_PLAN: sessions and URLs that exist in this
build) and, when the run stops, writes what happened (LOADTEST_OUT): every answer save sent,
every one acknowledged, every failed request with its time, for the checks afterwards.

- Officers open a section of their own draft and save one answer at a time (the section
  form's fields for one item, as the page's autosave posts them), with a unique evidence note
  so each acknowledged save can be found in the database afterwards. Now and then they read
  their dashboard, results and PDF report.
- Coordinators browse the dashboard, heatmap, reviews and results.
- Citizens read the home page, the Actions and the feedback rounds, and comment: they open the
  form, take a few seconds to write (the form refuses faster posts), and send it.
"""

import itertools
import json
import os
import random
import secrets
import string
import time

from locust import HttpUser, between, events, task

from bench.common import filled_in, form_fields

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())
TIMEOUT = 15  # seconds; a request hanging longer counts as failed
PDF_TIMEOUT = 30  # gunicorn's worker timeout
PDF_EVERY = int(os.environ.get("LOADTEST_PDF_EVERY", "5"))
SENT: list[dict] = []
ACKED: list[dict] = []
FAILURES: list[dict] = []
OFFICER_SLOTS = itertools.count()
CITIZEN_SLOTS = itertools.count(1)
HOSTS = [h for h in os.environ.get("LOADTEST_HOSTS", "").split(",") if h]
HOST_SLOTS = itertools.count()
RNG = random.Random(8)  # noqa: S311 - load pattern, not security


@events.request.add_listener
def record_failure(
    request_type,
    name,
    response_time,
    response_length,
    exception=None,
    start_time=None,
    response=None,
    **kwargs,
):
    if exception is not None:
        started = start_time or time.time()
        FAILURES.append(
            {
                "t": started,
                "ended": started + (response_time or 0) / 1000,
                "name": f"{request_type} {name}",
                "status": getattr(response, "status_code", None),
                "error": str(exception)[:200],
            }
        )


@events.quitting.add_listener
def write_outcome(environment, **kwargs):
    with open(os.environ["LOADTEST_OUT"], "w", encoding="utf-8") as handle:
        json.dump({"sent": SENT, "acked": ACKED, "failures": FAILURES}, handle)


def failure_text(response) -> str:
    if response.status_code == 0:  # no HTTP answer at all
        return f"no response ({type(response.error).__name__}: {response.error})"[:200]
    return f"status {response.status_code}"


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1.0, 3.0)

    def start_session(self, cookies: dict[str, str] | None = None):
        # Two-node mode: each simulated user talks to one node, users spread over the nodes.
        if HOSTS:
            self.host = self.client.base_url = HOSTS[next(HOST_SLOTS) % len(HOSTS)]
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.client.cookies.set("csrftoken", self.csrf)
        for name, value in (cookies or {}).items():
            self.client.cookies.set(name, value)

    def read(self, name: str, path: str, timeout: float = TIMEOUT, **kwargs):
        with self.client.get(
            path, name=name, timeout=timeout, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(failure_text(response))
            return response

    def post(self, name: str, path: str, data: dict, headers: dict | None = None):
        headers = {"X-CSRFToken": self.csrf, "Referer": self.host + path, **(headers or {})}
        return self.client.post(
            path,
            data=data,
            name=name,
            timeout=TIMEOUT,
            catch_response=True,
            allow_redirects=False,
            headers=headers,
        )


class Officer(PortalUser):
    """Each simulated officer is a different real officer, so no two write the same answer."""

    weight = 4

    def on_start(self):
        slot = next(OFFICER_SLOTS)
        officers = PLAN["officers"]
        self.me = officers[slot % len(officers)]
        self.start_session(self.me["cookies"])
        self.seq = 0
        # A PDF takes seconds to render and holds one of the two workers meanwhile: only
        # every PDF_EVERY-th officer downloads reports (the same one again, so also cached).
        self.downloads_pdf = bool(self.me.get("pdf")) and slot % PDF_EVERY == 0

    @task(6)
    def save_an_answer(self):
        me = self.me
        section = RNG.choice(me["sections"])
        page = self.read("questionnaire section", section["page"])
        if page.status_code != 200:
            return
        shown = form_fields(page.text, section["save"])
        item = RNG.choice(section["items"])
        prefix = item["prefix"]
        if f"{prefix}-version" not in shown:
            self.environment.events.request.fire(
                request_type="CHECK",
                name="save form on section page",
                response_time=0,
                response_length=0,
                start_time=time.time(),
                response=None,
                context={},
                exception=AssertionError(
                    f"no {prefix}-version field in the form posting to {section['save']}"
                ),
            )
            return
        self.seq += 1
        level = RNG.randint(0, 4)
        note = f"load {me['username']} #{self.seq} {secrets.token_hex(4)}"
        data = {
            f"{prefix}-{name}": shown.get(f"{prefix}-{name}", "")
            for name in ("version", "loaded", "evidence_url")
        }
        data.update({f"{prefix}-level": str(level), f"{prefix}-evidence_note": note})
        record = {
            "assessment": me["assessment"],
            "item": item["id"],
            "level": level,
            "note": note,
            "t": time.time(),
        }
        SENT.append(record)
        with self.post("save answer", section["save"], data) as response:
            if response.status_code == 302 and section["page"] in response.headers.get(
                "Location", ""
            ):
                ACKED.append({**record, "acked_at": time.time()})
                response.success()
            else:
                response.failure(f"save not acknowledged: {failure_text(response)}")

    @task(1)
    def dashboard(self):
        self.read("officer dashboard", self.me["dashboard"])

    @task(2)
    def results(self):
        for name, path in self.me["results"]:
            self.read(name, path)

    @task(1)
    def report(self):
        if self.downloads_pdf:  # ready (200, the PDF) or being prepared by a worker (202)
            with self.client.get(
                self.me["pdf"],
                name="PDF report",
                timeout=PDF_TIMEOUT,
                catch_response=True,
                allow_redirects=False,
            ) as response:
                if response.status_code not in (200, 202):
                    response.failure(failure_text(response))


class Coordinator(PortalUser):
    weight = 1

    def on_start(self):
        self.me = RNG.choice(PLAN["coordinators"])
        self.start_session(self.me["cookies"])

    @task
    def browse(self):
        name, paths = RNG.choice(self.me["pages"])
        self.read(name, RNG.choice(paths))


class Citizen(PortalUser):
    weight = 4

    def on_start(self):
        self.start_session()
        # A documentation address per citizen (never contacted): see bench/load_settings.py.
        slot = next(CITIZEN_SLOTS)
        self.address = f"192.0.2.{slot % 250 + 1}"
        self.comments = 0

    @task(6)
    def read_pages(self):
        name, paths = RNG.choice(PLAN["citizen"]["pages"])
        self.read(name, RNG.choice(paths))

    @task(1)
    def comment(self):
        targets = PLAN["citizen"]["comment"]
        if not targets or self.comments >= 8:  # the per-address limit is 10 per window
            return
        path = RNG.choice(targets)
        page = self.read("comment form", path)
        if page.status_code != 200:
            return
        data = filled_in(form_fields(page.text, path))
        time.sleep(3.5)  # writing; the form refuses posts within 3 seconds of showing it
        data.pop("homepage", None)  # the honeypot stays empty
        self.comments += 1
        data.update(
            {
                "body": f"Load-test comment {secrets.token_hex(6)}: more lighting and seating "
                "around the station square would make evenings feel safer.",
                "display_name": f"Citizen {self.address}",
                "email": "",
            }
        )
        data.pop("csrfmiddlewaretoken", None)
        with self.post(
            "comment", path, data, headers={"X-Forwarded-For": self.address}
        ) as response:
            if response.status_code in (302, 303):
                response.success()
            else:
                response.failure(f"comment not accepted: {failure_text(response)}")
