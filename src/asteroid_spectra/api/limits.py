"""Refuse request bodies above a size limit, before and while they stream in.

:class:`BodySizeLimit` is a pure ASGI middleware: a request whose ``Content-Length``
exceeds the limit gets 413 without its body being read; a body sent without a length
(chunked) or with a false one is counted as it arrives and refused with 413 as soon as
it passes the limit, so no handler ever holds more than the limit in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from asteroid_spectra.exceptions import ParameterError

__all__ = ["BodySizeLimit", "BodyTooLargeError"]

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


class BodyTooLargeError(Exception):
    """Raised inside the app when the streamed body passes the limit."""


def _message(limit: int, got: str) -> bytes:
    import orjson

    return orjson.dumps(
        {
            "detail": f"Request body too large: at most {limit:,} bytes are accepted; got "
            f"{got}. Split the spectra over several requests."
        }
    )


class BodySizeLimit:
    """ASGI middleware answering 413 to HTTP requests whose body exceeds `max_bytes`.

    Parameters
    ----------
    app : ASGI application
        The wrapped application.
    max_bytes : int
        Largest accepted body, in bytes.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        if max_bytes < 1:
            raise ParameterError(f"max_bytes must be a positive number of bytes; got {max_bytes}.")
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body; answer 413 past the limit."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    await self._refuse(send, f"Content-Length {declared:,}")
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if started:
                raise
            await self._refuse(send, f"more than {self.max_bytes:,} bytes streamed")

    async def _refuse(self, send: Send, got: str) -> None:
        body = _message(self.max_bytes, got)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
