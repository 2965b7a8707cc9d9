"""BodySizeLimit: 413 by Content-Length and while streaming; small bodies pass."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from asteroid_spectra.api.limits import BodySizeLimit


async def echo_length(scope: Any, receive: Any, send: Any) -> None:
    """A tiny ASGI app answering with the size of the body it read."""
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = str(size).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def _post(content: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=BodySizeLimit(echo_length, max_bytes=1000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post("/", content=content, headers=headers)

    return asyncio.run(call())


def test_a_body_within_the_limit_passes() -> None:
    response = _post(b"x" * 1000)
    assert response.status_code == 200
    assert response.text == "1000"


def test_a_declared_length_above_the_limit_is_413_before_reading() -> None:
    response = _post(b"x" * 1001)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Request body too large: at most 1,000 bytes are accepted; got "
        "Content-Length 1,001. Split the spectra over several requests."
    }


def test_a_streamed_body_is_counted_as_it_arrives() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"x" * 300

    response = _post(chunks())
    assert response.status_code == 413
    assert "more than 1,000 bytes streamed" in response.json()["detail"]


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_bytes must be a positive number of bytes; got 0"):
        BodySizeLimit(echo_length, max_bytes=0)
