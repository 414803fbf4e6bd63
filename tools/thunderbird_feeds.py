#!/usr/bin/env python3
"""Look at the feeds in a real Thunderbird (Debian's package), as a member of staff would.

Runs a reminderd daemon on the example config (its own state in a temporary directory), makes
two feed links with ``reminderd token create`` (a department's and ``all``), and starts
Thunderbird under Xvfb with a fresh profile subscribed to both as docs/FEEDS.md tells
Thunderbird users: the "Thunderbird" (folder) link, which Thunderbird's own detection turns
into a read-only calendar named after the feed. The subscriptions are written into the
profile's prefs (``calendar.registry.<id>.*``, what the New Calendar dialog stores), so no
dialog has to be clicked through; the script also runs Thunderbird's own detection on the
folder links and checks that it finds the same name, address and read-only flag.

It saves screenshots of the month view, the week view, an entry's details and the reminders
window, presses *Dismiss All* and checks that no error window appears and that the calendars
report no error. Control goes through Thunderbird's Marionette (its automation socket), and the
screenshots are Thunderbird's own (``WebDriver:TakeScreenshot``).

Thunderbird runs on the machine's clock (libfaketime hangs or crashes Thunderbird 153, so it
cannot be moved); the daemon does too unless ``--at`` is given. At first start the script records
which reminders Thunderbird raised by itself (with read-only calendars: none for times already
past). Then, so that the reminders window can be seen on any day, it fires the alarms of the
department's next reminder moment (``[reminders] send_at`` of its next working day with
entries) through Thunderbird's own alarm service, as the timer would at that moment.

Not part of CI (it needs Thunderbird, Xvfb and minutes on a shared machine)::

    .venv/bin/python tools/thunderbird_feeds.py                      # into ./thunderbird-screenshots
    .venv/bin/python tools/thunderbird_feeds.py --department so-ngoai-vu --out /tmp/shots --keep
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
TZ = "Asia/Ho_Chi_Minh"
DAV = "{DAV:}"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---- the daemon --------------------------------------------------------------------------------

def write_config(tmp: Path, port: int) -> Path:
    """The example config with its state, database and address moved into ``tmp``."""
    text = (ROOT / "config" / "reminderd.toml").read_text("utf-8")
    state = tmp / "state"
    state.mkdir()
    subs = {r'paths = \["\.\./calendars"\]': f'paths = ["{ROOT / "calendars"}"]',
            r'directory = "\.\./state"': f'directory = "{state}"',
            r'url = "sqlite:///\.\./state/reminderd\.db"': f'url = "sqlite:///{state / "reminderd.db"}"',
            r'bind = "127\.0\.0\.1:8080"': f'bind = "127.0.0.1:{port}"',
            r'base_url = "http://127\.0\.0\.1:8080"': f'base_url = "http://127.0.0.1:{port}"',
            r"port = 8025": f"port = {free_port()}"}  # no mail server: mail waits in the outbox
    for pattern, repl in subs.items():
        text, n = re.subn(pattern, repl.replace("\\", "\\\\"), text)
        if n != 1:
            raise SystemExit(f"config/reminderd.toml: expected one {pattern!r}")
    path = tmp / "reminderd.toml"
    path.write_text(text, "utf-8")
    return path


def reminderd(config: Path, *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "reminderd", "--config", str(config), *args],
                         capture_output=True, text=True, check=False, timeout=300)
    if out.returncode != 0:
        raise SystemExit(f"reminderd {' '.join(args)} failed:\n{out.stdout}{out.stderr}")
    return out.stdout


def thunderbird_link(config: Path, feed: str) -> str:
    """``reminderd token create`` prints the Thunderbird link on the line after its label."""
    out = reminderd(config, "token", "create", "--feed", feed, "--label", "Thunderbird (tools/thunderbird_feeds.py)")
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("Thunderbird"):
            return lines[i + 1].strip()
    raise SystemExit(f"no Thunderbird link in:\n{out}")


def wait_http(url: str, timeout: float, what: str) -> bytes:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                return bytes(r.read())
        except Exception as e:  # not up yet
            last = e
            time.sleep(1)
    raise SystemExit(f"{what} did not answer {url} in {timeout:.0f} s: {last}")


def propfind(url: str) -> tuple[str, str]:
    """(file URL, display name) of a feed folder, read the way Thunderbird reads it."""
    req = urllib.request.Request(url, method="PROPFIND", headers={"Depth": "1"})
    with urllib.request.urlopen(req, timeout=60) as r:
        tree = ElementTree.fromstring(r.read())
    for resp in tree.findall(f"{DAV}response"):
        if resp.findtext(f".//{DAV}getcontenttype") == "text/calendar":
            href = resp.findtext(f"{DAV}href") or ""
            base = url.split("/feeds/", 1)[0]
            return base + href, resp.findtext(f".//{DAV}displayname") or ""
    raise SystemExit(f"PROPFIND {url}: no calendar in the folder")


# ---- Thunderbird ---------------------------------------------------------------------------------

def write_profile(profile: Path, calendars: list[tuple[str, str]]) -> None:
    """A fresh profile subscribed to ``calendars`` ((file URL, name)) as the New Calendar dialog
    leaves them after detection of a read-only folder (CalICSProvider.handleCalendar,
    calendar-creation.js prepareNetworkCalendar, CalCalendarManager.registerCalendar)."""
    prefs = {
        # No account wizard, no start page, no update or telemetry noise.
        "mail.provider.suppress_dialog_on_startup": True,
        "mailnews.start_page.enabled": False,
        "mail.shell.checkDefaultClient": False,
        "app.update.disabledForTesting": True,
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "calendar.timezone.local": TZ,
        "calendar.timezone.useSystemTimezone": False,
        "calendar.view.dayendhour": 19,
        "calendar.week.start": 1,  # Monday, as in Việt Nam
        "intl.regional_prefs.use_os_locales": True,
        "marionette.port": 0,
    }
    colours = ["#1f6f8b", "#c0392b"]
    for (uri, name), colour in zip(calendars, colours, strict=False):
        cid = str(uuid.uuid4())
        branch = f"calendar.registry.{cid}."
        prefs.update({branch + "type": "ics", branch + "uri": uri, branch + "name": name,
                      branch + "readOnly": True, branch + "color": colour,
                      branch + "cache.enabled": True, branch + "calendar-main-in-composite": True,
                      branch + "refreshInterval": "30"})
    lines = [f"user_pref({json.dumps(k)}, {json.dumps(v)});" for k, v in prefs.items()]
    profile.mkdir(parents=True)
    (profile / "user.js").write_text("\n".join(lines) + "\n", "utf-8")


class Marionette:
    """Just enough of the Marionette protocol (length-prefixed JSON over TCP)."""

    def __init__(self, port: int, timeout: float = 180):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=600)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("Thunderbird's Marionette did not start") from None
                time.sleep(1)
        self.id = 0
        self._read()
        self.cmd("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"moz:windowless": False}}})
        self.cmd("Marionette:SetContext", {"value": "chrome"})

    def _read(self) -> Any:
        head = b""
        while not head.endswith(b":"):
            chunk = self.sock.recv(1)
            if not chunk:
                raise SystemExit("Thunderbird closed the Marionette connection")
            head += chunk
        n = int(head[:-1])
        data = b""
        while len(data) < n:
            data += self.sock.recv(n - len(data))
        return json.loads(data)

    def cmd(self, name: str, params: dict[str, Any] | None = None) -> Any:
        self.id += 1
        msg = json.dumps([0, self.id, name, params or {}]).encode()
        self.sock.sendall(str(len(msg)).encode() + b":" + msg)
        reply = self._read()
        if reply[2]:
            raise RuntimeError(f"{name}: {reply[2].get('message', reply[2])}")
        return reply[3]

    def js(self, script: str, *args: Any, asynchronous: bool = False) -> Any:
        name = "WebDriver:ExecuteAsyncScript" if asynchronous else "WebDriver:ExecuteScript"
        return self.cmd(name, {"script": script, "args": list(args), "scriptTimeout": 300_000})["value"]

    def windows(self) -> list[str]:
        return list(self.cmd("WebDriver:GetWindowHandles"))

    def switch(self, handle: str) -> None:
        self.cmd("WebDriver:SwitchToWindow", {"handle": handle, "focus": True})

    def screenshot(self, path: Path) -> None:
        data = self.cmd("WebDriver:TakeScreenshot", {"full": False, "hash": False})["value"]
        path.write_bytes(base64.b64decode(data))
        log(f"saved {path}")


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], logfile: Path) -> Iterator[subprocess.Popen[bytes]]:
    with logfile.open("wb") as out:
        p = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield p
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--at", help="the daemon's clock, local YYYY-MM-DDTHH:MM (default: the machine's); "
                                 "Thunderbird's stays the machine's")
    ap.add_argument("--department", default="so-vhttdl", help="the department feed to subscribe to")
    ap.add_argument("--out", default="thunderbird-screenshots", help="screenshot directory (made if missing)")
    ap.add_argument("--size", default="1366x768", help="screen size (Xvfb)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, profile, state)")
    args = ap.parse_args()
    for tool in ("thunderbird", "Xvfb"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found (Debian: apt-get install thunderbird xvfb)")
    at = dt.datetime.fromisoformat(args.at).replace(tzinfo=ZoneInfo(TZ)) if args.at else None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="reminderd-thunderbird-"))
    log(f"working in {tmp}")
    env = {**os.environ, "TZ": TZ, "LANG": "en_GB.UTF-8"}
    try:
        return run(args, at, out, tmp, env)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, at: dt.datetime | None, out: Path, tmp: Path, env: dict[str, str]) -> int:
    port = free_port()
    config = write_config(tmp, port)
    reminderd(config, "db", "upgrade")
    dept = f"department/{args.department}"
    folders = [thunderbird_link(config, dept), thunderbird_link(config, "all")]
    log("Thunderbird links: " + "  ".join(folders))
    daemon_args = [sys.executable, "-m", "reminderd", "--config", str(config), "run"]
    if at is not None:
        daemon_args += ["--at", at.strftime("%Y-%m-%dT%H:%M")]
    with process(daemon_args, env, tmp / "daemon.log"):
        wait_http(f"http://127.0.0.1:{port}/healthz", 180, "the daemon")
        calendars = [propfind(f) for f in folders]
        for uri, _ in calendars:
            wait_http(uri, 600, "the feed")
        log("calendars: " + "; ".join(f"{n} <{u}>" for u, n in calendars))
        profile = tmp / "profile"
        write_profile(profile, calendars)
        display = f":{90 + os.getpid() % 100}"
        with process(["Xvfb", display, "-screen", "0", f"{args.size}x24", "-nolisten", "tcp"], env,
                     tmp / "xvfb.log"):
            time.sleep(2)
            mport = free_port()
            with (profile / "user.js").open("a") as f:
                f.write(f'user_pref("marionette.port", {mport});\n')
            tb = ["thunderbird", "--no-remote", "--profile", str(profile), "--marionette",
                  "-remote-allow-system-access"]
            with process(tb, {**env, "DISPLAY": display}, tmp / "thunderbird.log"):
                return drive(Marionette(mport), out, folders, calendars, args.size)


CAL = 'const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");\n'


def drive(m: Marionette, out: Path, folders: list[str], calendars: list[tuple[str, str]], size: str) -> int:
    problems: list[str] = []
    main_window = m.windows()[0]
    m.switch(main_window)
    w, h = (int(x) for x in size.split("x"))
    m.cmd("WebDriver:SetWindowRect", {"x": 0, "y": 0, "width": w, "height": h})
    # Thunderbird's own detection, as the New Calendar dialog runs it on the pasted link.
    for folder, (uri, name) in zip(folders, calendars, strict=True):
        found = m.js(CAL + """
            const [location, done] = arguments;
            cal.provider.detection.detect("", "", location, false, [], {}).then(map => {
              const out = [];
              for (const [provider, cals] of map) {
                for (const c of cals) out.push({type: provider.type, name: c.name, uri: c.uri.spec,
                                                readOnly: !!c.readOnly});
              }
              done(out);
            }, e => done({error: String(e)}));""", folder, asynchronous=True)
        log(f"Thunderbird's detection of {folder}: {found}")
        if found != [{"type": "ics", "name": name, "uri": uri, "readOnly": True}]:
            problems.append(f"detection of {folder} gave {found}")
    # The calendar tab, once every subscribed calendar has loaded.
    m.js('document.getElementById("tabmail").openTab("calendar");')
    deadline = time.monotonic() + 600
    while True:
        counts = m.js(CAL + """
            const done = arguments[arguments.length - 1];
            Promise.all(cal.manager.getCalendars().map(c => c.getItemsAsArray(
                Ci.calICalendar.ITEM_FILTER_TYPE_EVENT, 0, null, null).then(items => [c.name, items.length,
                !!c.readOnly]))).then(done, e => done(String(e)));""", asynchronous=True)
        if isinstance(counts, list) and len(counts) == len(calendars) and all(n > 0 for _, n, _ in counts):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"calendars did not load: {counts}")
        time.sleep(3)
    log(f"calendars loaded (name, events, read-only): {counts}")
    if not all(ro for _, _, ro in counts):
        problems.append(f"a calendar is not read-only: {counts}")
    # First start: what did Thunderbird raise by itself? (Read-only: nothing already past.)
    time.sleep(20)
    first = wait_window(m, main_window, 5, "calendar-alarm-dialog")
    if first:
        m.switch(first)
        listed = alarm_titles(m)
        log(f"at first start the reminders window lists {len(listed)}: {listed}")
        m.screenshot(out / "reminders-first-start.png")
        m.js('document.getElementById("alarm-dismiss-all-button").click();')
        m.switch(main_window)
    else:
        log("at first start Thunderbird raised no reminder")
    # As a user does after a first look: close the event list above the view (✕ on its search bar),
    # the task pane on the right and the "Thunderbird is free…" bar: the month view gets the room.
    m.js("""if (!document.getElementById("bottom-events-box").hidden) toggleUnifinder();
            document.getElementById("today-pane-panel").setVisible(false, true, true);
            for (const box of document.querySelectorAll("notification-message")) box.close?.();""")
    m.js('switchCalendarView("month", true); currentView().goToDay(cal.dtz.now());')
    time.sleep(5)
    m.screenshot(out / "month.png")
    # The working week: this one, or the next from a Saturday or Sunday.
    m.js("""const day = cal.dtz.now(); if (day.weekday == 0) day.day += 1; else if (day.weekday == 6) day.day += 2;
            switchCalendarView("week", true); currentView().goToDay(day);""")
    time.sleep(5)
    m.screenshot(out / "week.png")
    # An entry's details: the department's next due day with a reminder (what a clerk opens).
    opened = m.js(CAL + """
        const done = arguments[arguments.length - 1];
        const dept = cal.manager.getCalendars().find(c => !c.name.startsWith("Lịch đối ngoại"));
        const from = cal.dtz.now(); from.isDate = true;
        const to = from.clone(); to.day += 60;
        dept.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_TYPE_EVENT | Ci.calICalendar.ITEM_FILTER_CLASS_OCCURRENCES,
                             0, from, to).then(items => {
          items.sort((a, b) => a.startDate.compare(b.startDate));
          const due = items.filter(i => i.title.includes("Hạn: ") && !i.title.includes(" việc"));
          const item = due.find(i => i.getAlarms().length) || due[0] || items[0];
          try {
            modifyEventWithDialog(item, true);
            done(item.title);
          } catch (e) {
            done("error: " + e);
          }
        }, e => done(String(e)));""", asynchronous=True)
    log(f"details of: {opened}")
    details = wait_window(m, main_window, 60, "summary")
    if details:
        m.switch(details)
        m.cmd("WebDriver:SetWindowRect", {"width": 720, "height": 640})
        time.sleep(4)
        m.screenshot(out / "details.png")
        m.cmd("WebDriver:CloseChromeWindow")
        m.switch(main_window)
    else:
        problems.append("the entry's details did not open")
    # The reminders window as it opens at the department's next reminder moment: Thunderbird's
    # alarm service fires those alarms (what its timer does then; its clock cannot be moved).
    fired = m.js(CAL + """
        const done = arguments[arguments.length - 1];
        const service = Cc["@mozilla.org/calendar/alarm-service;1"].getService(Ci.calIAlarmService).wrappedJSObject;
        const dept = cal.manager.getCalendars().find(c => !c.name.startsWith("Lịch đối ngoại"));
        const now = cal.dtz.now();
        dept.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_TYPE_EVENT, 0, null, null).then(items => {
          const due = [];
          for (const item of items) {
            for (const alarm of item.getAlarms()) {
              const at = cal.alarms.calculateAlarmDate(item, alarm);
              if (at && at.compare(now) > 0) due.push([at, item, alarm]);
            }
          }
          due.sort((a, b) => a[0].compare(b[0]));
          const first = due.length ? due[0][0] : null;
          const batch = due.filter(d => first && d[0].compare(first) == 0);
          for (const [, item, alarm] of batch) service.alarmFired(item, alarm);
          done({at: first ? first.getInTimezone(cal.dtz.defaultTimezone).toString() : null,
                titles: batch.map(d => d[1].title)});
        }, e => done(String(e)));""", asynchronous=True)
    log(f"fired the alarms of {fired}")
    alarms = wait_window(m, main_window, 60, "calendar-alarm-dialog")
    if alarms:
        m.switch(alarms)
        m.cmd("WebDriver:SetWindowRect", {"width": 760, "height": 520})
        time.sleep(4)
        listed = alarm_titles(m)
        log(f"reminders window lists {len(listed)}: {listed}")
        m.screenshot(out / "reminders.png")
        before = set(m.windows())
        m.js('document.getElementById("alarm-dismiss-all-button").click();')
        time.sleep(15)
        for handle in [x for x in m.windows() if x not in before]:
            m.switch(handle)
            problems.append(f"a window appeared after Dismiss All: {m.js('return document.title;')}")
            m.screenshot(out / "after-dismiss.png")
        m.switch(main_window)
        if alarms in m.windows():
            problems.append("the reminders window is still open after Dismiss All")
    else:
        problems.append("no reminders window opened")
    status = m.js(CAL + """return cal.manager.getCalendars().map(c => [c.name, c.getProperty("currentStatus"),
                                                                     !!c.readOnly]);""")
    log(f"calendar status (name, status, read-only): {status}")
    if any(st not in (0, None) for _, st, _ in status):
        problems.append(f"a calendar reports an error: {status}")
    for p in problems:
        log(f"PROBLEM: {p}")
    log("done" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def alarm_titles(m: Marionette) -> list[str]:
    return list(m.js("""return [...document.getElementById("alarm-richlist").children].filter(
        w => w.item).map(w => w.item.title);"""))


def wait_window(m: Marionette, main_window: str, timeout: float, url_part: str) -> str | None:
    """A window (other than the main one) whose address contains ``url_part``."""
    deadline = time.monotonic() + timeout
    while True:
        for handle in m.windows():
            if handle == main_window:
                continue
            m.switch(handle)
            url = str(m.js("return document.documentURI;"))
            m.switch(main_window)
            if url_part in url:
                return handle
        if time.monotonic() > deadline:
            return None
        time.sleep(2)


if __name__ == "__main__":
    sys.exit(main())
