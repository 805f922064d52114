"""musterm in a browser on the same machine: `textual serve "musterm"` (README, "I en browser").

textual-serve starts the app as a subprocess with its stdin and stdout on pipes and
$TEXTUAL_DRIVER naming Textual's web driver; keys come in as packets on stdin, the screen
goes out as packets on stdout, and closing the browser tab sends a "quit" packet.

The first test starts musterm exactly that way (the environment textual-serve builds, the
packets it sends); the second runs textual-serve's own server on localhost and drives it
through its websocket, as the browser page does. Both type a note, close the "browser",
and check the note is on disk and committed, and that musterm said so and exited with 0.
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.terminal import (  # noqa: F401 - store and relative are fixtures
    ESCAPE_SEQUENCE,
    REPO,
    assert_kept,
    relative,
    store,
    wait_for_disk,
)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="textual-serve needs a POSIX system")]

WEB_ENVIRONMENT = {  # what textual_serve.app_service.AppService._build_environment sets
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
    "COLUMNS": "80",
    "ROWS": "24",
}
F4 = "\x1bOS"
ENTER = "\r"
NOTE = "Skrevet i browseren: æøå"


def _environment(store) -> dict[str, str]:  # noqa: ANN001
    env = {**os.environ, "MUSTERM_SESSIONS": str(store.root), "PYTHONPATH": str(REPO)}
    env.pop("TEXTUAL", None)
    return env


class Screen:
    """What the app drew, as text with the escape sequences taken out."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._lock = threading.Lock()

    def add(self, data: bytes) -> None:
        with self._lock:
            self._data.extend(data)

    def mark(self) -> int:
        with self._lock:
            return len(self._data)

    def wait_for(self, wanted: str, since: int = 0, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                shown = ESCAPE_SEQUENCE.sub(b"", bytes(self._data[since:]))
            if wanted.encode() in shown:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the browser never showed {wanted!r}; last: {shown[-400:]!r}")
            time.sleep(0.02)


def _packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def _write_a_note(screen: Screen, send) -> None:  # noqa: ANN001 - send(str): keys as the browser sends them
    """Open the conversation, F4, enter on the first theme, type the note (each step once the screen shows it)."""
    screen.wait_for("Anna Sørens")
    mark = screen.mark()
    send(ENTER)
    screen.wait_for("ikke startet", since=mark)
    mark = screen.mark()
    send(F4)
    screen.wait_for("Skriv noter", since=mark)
    mark = screen.mark()
    send(ENTER)
    screen.wait_for("Noter til temaet", since=mark)
    send(NOTE)


def test_started_as_textual_serve_starts_it_saves_and_commits_when_the_browser_closes(store, relative) -> None:  # noqa: ANN001
    process = subprocess.Popen(
        [sys.executable, "-m", "musterm"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**_environment(store), **WEB_ENVIRONMENT}, cwd=store.root.parent,
    )
    screen = Screen()

    def read_packets() -> None:
        stream = process.stdout
        assert stream.readline() == b"__GANGLION__\n", "textual-serve waits for this line to know a Textual app runs"
        while header := stream.read(5):
            payload = stream.read(int.from_bytes(header[1:5], "big"))
            if header[:1] == b"D":
                screen.add(payload)

    reader = threading.Thread(target=read_packets, daemon=True)
    reader.start()

    def send(keys: str) -> None:
        process.stdin.write(_packet(b"D", keys.encode("utf-8")))
        process.stdin.flush()

    try:
        _write_a_note(screen, send)
        wait_for_disk(store, relative, NOTE)
        process.stdin.write(_packet(b"M", json.dumps({"type": "quit"}).encode()))  # the browser tab closed
        process.stdin.flush()
        code = process.wait(timeout=20)
        errors = process.stderr.read().decode("utf-8")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 0, errors
    assert "musterm: browseren blev lukket; alt er gemt." in errors
    assert_kept(store, relative, NOTE)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_textual_serve_on_localhost(store, relative, tmp_path: Path) -> None:  # noqa: ANN001
    pytest.importorskip("textual_serve", reason="textual-serve is in the test extras (pip install -e '.[test]')")
    aiohttp = pytest.importorskip("aiohttp")
    port = _free_port()
    command = f"{sys.executable} -m musterm"
    server = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from textual_serve.server import Server; "
         "Server(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2])).serve()", command, str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=_environment(store), cwd=store.root.parent,
    )
    try:
        _wait_for_port(server, port)
        screen = Screen()

        async def browse() -> None:
            async with aiohttp.ClientSession() as session, session.ws_connect(
                f"http://127.0.0.1:{port}/ws?width=80&height=24"
            ) as websocket:

                async def receive() -> None:
                    async for message in websocket:
                        if message.type == aiohttp.WSMsgType.BINARY:
                            screen.add(message.data)

                receiving = asyncio.create_task(receive())

                def send(keys: str) -> None:
                    asyncio.run_coroutine_threadsafe(websocket.send_json(["stdin", keys]), loop)

                loop = asyncio.get_running_loop()
                await asyncio.to_thread(_write_a_note, screen, send)
                await asyncio.to_thread(wait_for_disk, store, relative, NOTE)
                receiving.cancel()
            # Closing the websocket is closing the tab: textual-serve sends the app its "quit".

        asyncio.run(browse())
        _wait_until(lambda: not _musterm_running(server.pid), "musterm never exited after the browser closed")
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode("utf-8", "replace")
    # The leaving message itself is checked in the test above: textual-serve relays the app's
    # stderr only now and then before it is terminated, so here what counts is what is on disk.
    assert "Traceback" not in output, output
    assert_kept(store, relative, NOTE)


def _wait_for_port(server: subprocess.Popen, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"textual-serve ended: {server.stdout.read().decode('utf-8', 'replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            select.select([], [], [], 0.05)
    pytest.fail(f"textual-serve never listened on port {port}")


def _musterm_running(server_pid: int) -> bool:
    """Whether textual-serve still has a child (the shell and musterm it starts)."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    try:
        return bool(children.read_text().split())
    except OSError:
        return False


def _wait_until(condition, message: str, timeout: float = 20.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.05)
