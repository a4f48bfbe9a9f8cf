"""Writes a request's audited reads together, before its response, or refuses to answer.

Read services record their events with `services.record(read=True)`; this middleware collects
them for the whole request and writes them in one short transaction just before the
response starts. If that write fails, the response is replaced by a 503 and nothing read
is sent: confidential content never leaves without its access on record.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from mentorship.audit import services

UNAVAILABLE_BODY = b"The service could not record this access, so nothing was shown. Try again."


class AuditedReadsMiddleware:
    """Collects the request's `read` events and writes them before the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request with a batch open; flush it as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = services.open_batch()
        refused = False

        async def send_after_audit(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start":
                try:
                    await services.flush_batch()
                except services.AuditUnavailable:
                    refused = True
                    await _send_unavailable(send)
            if not refused:
                await send(message)

        try:
            await self.app(scope, receive, send_after_audit)
        except Exception:
            # An error answered outside this middleware: its refusals are recorded first
            # (an AuditUnavailable from here replaces the error with a 503).
            await services.flush_batch()
            raise
        finally:
            services.close_batch(token)


async def _send_unavailable(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"retry-after", b"1"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": UNAVAILABLE_BODY, "more_body": False})
