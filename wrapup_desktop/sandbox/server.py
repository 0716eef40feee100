"""Serve the sandbox on 127.0.0.1 with uvicorn, in the foreground or in a background thread."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from wrapup_desktop.sandbox.app import create_app
from wrapup_desktop.sandbox.faults import FaultPlan
from wrapup_desktop.sandbox.gate import SimulatedConnectionReset
from wrapup_desktop.sandbox.org import SandboxOrg

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
STARTUP_TIMEOUT_S = 10.0


class _DropOnReset:
    """End the ASGI call quietly on a simulated reset, so that uvicorn closes the socket.

    uvicorn 0.55 with h11 closes the connection when an app returns after sending the
    response headers but not the body. The client then sees the connection drop mid-response.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except SimulatedConnectionReset:
            logger.debug(
                "Dropping the connection of %s %s", scope.get("method"), scope.get("path")
            )


def _config(app: ASGIApp, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        _DropOnReset(app),
        host=host,
        port=port,
        http="h11",
        ws="none",
        lifespan="off",
        log_level="warning",
        access_log=False,
    )


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    org: SandboxOrg | None = None,
    faults: FaultPlan | None = None,
) -> None:
    """Run the sandbox in the foreground until interrupted (Ctrl+C)."""
    app = create_app(org, faults)
    logger.info("Sandbox org listening on http://%s:%d", host, port)
    uvicorn.Server(_config(app, host, port)).run()


@contextmanager
def running_sandbox(
    org: SandboxOrg | None = None,
    faults: FaultPlan | None = None,
    *,
    host: str = DEFAULT_HOST,
) -> Iterator[str]:
    """Run the sandbox in a background thread on a free port; yield its origin.

    The origin (e.g. `http://127.0.0.1:54321`) serves both the login and the API paths. The
    server stops and the thread is joined when the block ends.
    """
    app = create_app(org, faults)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(_config(app, host, port))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="sandbox-server", daemon=True
    )
    thread.start()
    try:
        waiter = threading.Event()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            waiter.wait(0.01)
        if not server.started:
            raise RuntimeError(f"The sandbox server did not start on {host}:{port}.")
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT_S)
        sock.close()
