"""A small headless-Chromium client for tests, over the DevTools protocol on a pipe.

Standard library only. Chromium started with ``--remote-debugging-pipe`` reads
commands from its fd 3 and writes responses and events to its fd 4; every
message is one JSON object followed by a NUL byte. Each page gets its own
target and flat session (``sessionId`` on every message), so several pages can
share one browser.

Every wait has a deadline (``timeout``, 30 s by default): a hung or crashed
browser raises :class:`BrowserError`, with the tail of Chromium's stderr,
instead of hanging the test run.

    with Browser() as browser:
        page = browser.open(Path("report.html"))
        assert page.evaluate("document.querySelectorAll('svg').length") > 0
        assert page.console_errors == []
"""

from __future__ import annotations

import base64
import fcntl
import json
import math
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["Browser", "BrowserError", "JavaScriptError", "Page", "find_chromium"]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
# "new" is the only headless mode of recent Chromium; older ones may want the bare flag.
HEADLESS_FLAGS = ("--headless=new", "--headless")
A4_INCHES = (8.27, 11.69)
CHROMIUM_FD_IN, CHROMIUM_FD_OUT = 3, 4
GONE_EVENTS = ("Inspector.targetCrashed", "Inspector.detached", "Target.detachedFromTarget")


class BrowserError(RuntimeError):
    """The browser failed, died, answered with an error, or did not answer in time."""


class JavaScriptError(BrowserError):
    """An expression given to :meth:`Page.evaluate` threw."""


def find_chromium() -> str | None:
    """The Chromium executable: ``$SANSHI_CHROMIUM`` if set (None when it is not an
    executable file), else the first of chromium, chromium-browser, google-chrome on PATH."""
    configured = os.environ.get("SANSHI_CHROMIUM")
    if configured:
        found = shutil.which(configured)
        return found if found and os.path.isfile(found) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium process; a context manager that always kills and reaps it.

    ``timeout`` bounds every protocol call and every wait, in seconds.
    """

    def __init__(self, executable: str | None = None, timeout: float = 30.0) -> None:
        executable = executable or find_chromium()
        if executable is None:
            raise BrowserError("no Chromium found (set SANSHI_CHROMIUM or install chromium)")
        self.executable = executable
        self.timeout = timeout
        self.version = ""
        self.headless_flag = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._to_browser = -1
        self._from_browser = -1
        self._buffer = bytearray()
        self._next_id = 0
        self._responses: dict[int, dict[str, Any]] = {}
        self._pages: dict[str, Page] = {}
        self._tmp = tempfile.TemporaryDirectory(prefix="sanshi-chromium-")
        self._stderr_path = Path(self._tmp.name) / "stderr.txt"
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    # -- life cycle ---------------------------------------------------------

    def _start(self) -> None:
        failure: BrowserError | None = None
        for headless in HEADLESS_FLAGS:
            self._spawn(headless)
            try:
                self.version = self.call("Browser.getVersion")["product"]
                self.headless_flag = headless
                return
            except BrowserError as error:
                failure = error
                self._stop()
        assert failure is not None
        raise failure

    def _spawn(self, headless: str) -> None:
        profile = Path(self._tmp.name) / f"profile{headless.replace('=', '-')}"
        args = [self.executable, headless, *FLAGS, f"--user-data-dir={profile}", "about:blank"]
        # Chromium insists on fds 3 and 4. All four pipe ends sit above 4 and are
        # close-on-exec, so the dup2s in the child never copy an fd onto itself and
        # nothing but the copies on 3 and 4 reaches Chromium.
        to_read, to_write = self._pipe_above_4()
        from_read, from_write = self._pipe_above_4()

        def wire_fds() -> None:  # runs in the child between fork and exec: syscalls only
            os.dup2(to_read, CHROMIUM_FD_IN)  # dup2 clears close-on-exec on the copy
            os.dup2(from_write, CHROMIUM_FD_OUT)

        # close_fds=False: close_fds would close 3 and 4 after wire_fds, and pass_fds
        # cannot renumber. Every other fd Python opens is close-on-exec (PEP 446).
        try:
            with open(self._stderr_path, "ab") as stderr:
                self._proc = subprocess.Popen(
                    args,
                    stdin=subprocess.DEVNULL,
                    stdout=stderr,
                    stderr=stderr,
                    close_fds=False,
                    preexec_fn=wire_fds,
                    start_new_session=True,  # its own process group, killed as one in _stop
                )
        except BaseException:
            os.close(to_write)
            os.close(from_read)
            raise
        finally:
            os.close(to_read)
            os.close(from_write)
        self._to_browser, self._from_browser = to_write, from_read
        os.set_blocking(to_write, False)
        os.set_blocking(from_read, False)
        self._buffer.clear()
        self._responses.clear()

    @staticmethod
    def _pipe_above_4() -> tuple[int, int]:
        read, write = os.pipe()
        moved = fcntl.fcntl(read, fcntl.F_DUPFD_CLOEXEC, 5), fcntl.fcntl(write, fcntl.F_DUPFD_CLOEXEC, 5)
        os.close(read)
        os.close(write)
        return moved

    def _stop(self) -> None:
        """Ask the browser to quit, then kill its process group if it does not; reap it."""
        proc = self._proc
        if proc is not None:
            if not self._exited(proc, 0):
                try:
                    self._send("Browser.close", {}, None)
                except BrowserError:
                    pass
                self._exited(proc, 5)
            self._proc = None
            # Not reaped yet, so the group id is still ours: this takes leftover renderers
            # (or a browser that ignored Browser.close) without any risk of a reused pid.
            if proc.returncode is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            proc.wait(timeout=10)
        for fd in (self._to_browser, self._from_browser):
            if fd >= 0:
                os.close(fd)
        self._to_browser = self._from_browser = -1
        self._pages.clear()

    @staticmethod
    def _exited(proc: subprocess.Popen[bytes], timeout: float) -> bool:
        """Whether the process has ended, waiting up to timeout; leaves it unreaped."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None:
                    return True
            except ChildProcessError:  # already reaped
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def close(self) -> None:
        """Quit the browser, reap it and delete its profile. Safe to call twice."""
        try:
            self._stop()
        finally:
            self._tmp.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stderr_tail(self, chars: int = 3000) -> str:
        """The last characters Chromium wrote to stdout/stderr."""
        try:
            return self._stderr_path.read_bytes()[-chars:].decode("utf-8", "replace")
        except OSError:
            return ""

    def _fail(self, message: str) -> BrowserError:
        return BrowserError(f"{message}\n--- chromium stderr (tail) ---\n{self.stderr_tail()}")

    # -- protocol -----------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any], session_id: str | None) -> int:
        if self._proc is None:
            raise BrowserError("the browser is closed")
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session_id is not None:
            message["sessionId"] = session_id
        data = memoryview(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while data:
            try:
                written = os.write(self._to_browser, data)
            except BlockingIOError:
                written = 0
            except BrokenPipeError:
                raise self._fail(f"{method}: the browser closed its pipe") from None
            data = data[written:]
            if data and not self._wait_fd(self._to_browser, select.POLLOUT, deadline):
                raise self._fail(f"{method}: the browser stopped reading its pipe for {self.timeout:g} s")
        return self._next_id

    @staticmethod
    def _wait_fd(fd: int, event: int, deadline: float) -> bool:
        """Wait until fd is ready; False once the deadline has passed."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        poller = select.poll()
        poller.register(fd, event)
        return bool(poller.poll(math.ceil(remaining * 1000)))

    def _pump(self, deadline: float, what: str) -> bool:
        """Read what the browser has sent until the deadline, dispatch it; False on timeout.
        With a deadline in the past, just takes what is already waiting."""
        if self._proc is None:
            raise BrowserError(f"{what}: the browser is closed")
        got_any = False
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 20)
            except BlockingIOError:
                chunk = None
            if chunk == b"":
                raise self._fail(f"{what}: the browser exited")
            if chunk:
                self._buffer += chunk
                got_any = self._dispatch() or got_any
                continue
            if got_any or not self._wait_fd(self._from_browser, select.POLLIN, deadline):
                return got_any

    def _dispatch(self) -> bool:
        dispatched = False
        while (end := self._buffer.find(b"\0")) >= 0:
            message = json.loads(self._buffer[:end])
            del self._buffer[: end + 1]
            dispatched = True
            if "id" in message:
                self._responses[message["id"]] = message
                continue
            method, params = message["method"], message.get("params", {})
            # Detaching is announced to the browser session, crashes to the page's own.
            page = self._pages.get(message.get("sessionId") or params.get("sessionId", ""))
            if page is not None:
                page._events.append((method, params))
                if method in GONE_EVENTS:
                    page._gone = method
        return dispatched

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session_id: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send one command and return its result; raises BrowserError on an error answer or timeout."""
        call_id = self._send(method, params or {}, session_id)
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        page = self._pages.get(session_id or "")
        while call_id not in self._responses:
            if page is not None and page._gone:
                raise self._fail(f"{method}: the page is gone ({page._gone})")
            if not self._pump(deadline, method) and time.monotonic() >= deadline:
                raise self._fail(f"{method}: no answer within {limit:g} s")
        response = self._responses.pop(call_id)
        if "error" in response:
            error = response["error"]
            raise BrowserError(f"{method}: {error.get('message')} {error.get('data', '')}".rstrip())
        return response.get("result", {})

    # -- pages --------------------------------------------------------------

    def open(self, path: Path, width: int = 1280, height: int = 900) -> Page:
        """Open a local file in a new tab of the given viewport size and wait for its load event."""
        target_id = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session_id = self.call("Target.attachToTarget", {"targetId": target_id, "flatten": True})["sessionId"]
        page = Page(self, target_id, session_id)
        self._pages[session_id] = page
        try:
            for domain in ("Page", "Runtime", "Log", "Network"):
                page.call(f"{domain}.enable")
            page.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
            page.goto(Path(path).resolve().as_uri())
        except BaseException:
            page.close()
            raise
        return page


class Page:
    """One tab, driven through its own flat session. Made by :meth:`Browser.open`."""

    def __init__(self, browser: Browser, target_id: str, session_id: str) -> None:
        self.browser = browser
        self.target_id = target_id
        self.session_id = session_id
        self.url = "about:blank"
        self._events: list[tuple[str, dict[str, Any]]] = []
        self._gone: str | None = None  # the event that ended this page: crash or detach

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        """One protocol command in this page's session."""
        return self.browser.call(method, params, self.session_id, timeout)

    def goto(self, url: str) -> None:
        """Navigate and wait for the load event of the new document."""
        mark = len(self._events)
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"navigating to {url}: {result['errorText']}")
        loader = result.get("loaderId")
        deadline = time.monotonic() + self.browser.timeout
        while True:
            committed = (
                mark
                if loader is None
                else next(
                    (
                        i
                        for i in range(mark, len(self._events))
                        if self._events[i][0] == "Page.frameNavigated"
                        and self._events[i][1]["frame"].get("loaderId") == loader
                        and "parentId" not in self._events[i][1]["frame"]
                    ),
                    None,
                )
            )
            if committed is not None and any(method == "Page.loadEventFired" for method, _ in self._events[committed:]):
                self.url = url
                return
            if self._gone:
                raise self.browser._fail(f"{url}: the page is gone ({self._gone})")
            if not self.browser._pump(deadline, "Page.loadEventFired") and time.monotonic() >= deadline:
                raise self.browser._fail(f"{url}: no load event within {self.browser.timeout:g} s")

    def evaluate(self, expression: str, timeout: float | None = None) -> Any:
        """The JSON value of a JavaScript expression (promises awaited); JavaScriptError if it throws."""
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, timeout
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise JavaScriptError(details.get("exception", {}).get("description") or details.get("text", "error"))
        return result["result"].get("value")

    def drain(self) -> None:
        """Take in every event sent so far: a round trip in this session, then what is waiting."""
        self.call("Runtime.evaluate", {"expression": "0"})
        self.browser._pump(0.0, "drain")

    @property
    def events(self) -> list[tuple[str, dict[str, Any]]]:
        """Every (method, params) event of this session so far, oldest first."""
        self.drain()
        return list(self._events)

    @property
    def console_errors(self) -> list[str]:
        """Console errors, warnings and failed assertions, uncaught exceptions, and browser log
        entries of level error or warning (failed loads, CSP and other security messages)."""
        found = []
        for method, params in self.events:
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert", "warning"):
                words = [
                    str(arg["value"]) if "value" in arg else arg.get("description", arg.get("type", ""))
                    for arg in params.get("args", [])
                ]
                found.append(f"console.{params['type']}: {' '.join(words)}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                entry = params["entry"]
                where = f" ({entry['url']})" if entry.get("url") else ""
                found.append(f"{entry['level']} [{entry.get('source', '')}]: {entry['text']}{where}")
        return found

    @property
    def requests(self) -> list[str]:
        """The URL of every request the page made, the document itself included, in order."""
        return [params["request"]["url"] for method, params in self.events if method == "Network.requestWillBeSent"]

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """Write a PNG of the viewport, or of the whole page (its CSS content size)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params["captureBeyondViewport"] = True
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": math.ceil(size["width"]),
                "height": math.ceil(size["height"]),
                "scale": 1,
            }
        data = base64.b64decode(self.call("Page.captureScreenshot", params)["data"])
        Path(path).write_bytes(data)
        return Path(path)

    def pdf(self, path: Path) -> Path:
        """Print to an A4 PDF with backgrounds, as the browser's print dialog would."""
        width, height = A4_INCHES
        result = self.call("Page.printToPDF", {"paperWidth": width, "paperHeight": height, "printBackground": True})
        Path(path).write_bytes(base64.b64decode(result["data"]))
        return Path(path)

    def emulate_media(self, media: str, width: int | None = None, height: int = 1000) -> None:
        """Lay the page out for `media` ("print", "screen", or "" for none), in a viewport `width` CSS px wide
        if given: emulating print at the width of a page's printable area measures what paper will show."""
        self.call("Emulation.setEmulatedMedia", {"media": media})
        if width is not None:
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )

    def close(self) -> None:
        """Close the tab (no error if the browser is already gone)."""
        self.browser._pages.pop(self.session_id, None)
        if self.browser._proc is not None:
            try:
                self.browser.call("Target.closeTarget", {"targetId": self.target_id}, timeout=5)
            except BrowserError:
                pass

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
