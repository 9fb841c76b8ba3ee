"""A local OpenAI-compatible server for tests: scripted replies, every request recorded.

Stdlib only (``ThreadingHTTPServer`` on 127.0.0.1, an ephemeral port). ``/v1/chat/completions``
answers the next scripted reply: a message with content, a tool call, an HTTP error, after an
optional delay. A reply is streamed as server-sent events whenever the request asks for
``stream: true``, exactly as the real API does. Recorded model outputs live in
``fixtures/llm/*.json`` (``Reply.recorded(name)``).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).resolve().parent.parent / "fixtures" / "llm"


@dataclass(frozen=True)
class Reply:
    content: str | None = None
    tool: str | None = None  # the name of a tool the reply calls, with ``content`` as its arguments
    status: int = 200
    error: dict[str, Any] | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, **kw: Any) -> Reply:
        return cls(content=json.dumps(data, ensure_ascii=False), **kw)

    @classmethod
    def text(cls, text: str, **kw: Any) -> Reply:
        return cls(content=text, **kw)

    @classmethod
    def tool_call(cls, name: str, arguments: Any, **kw: Any) -> Reply:
        args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        return cls(content=args, tool=name, **kw)

    @classmethod
    def http_error(cls, status: int, message: str, code: str = "error", **kw: Any) -> Reply:
        return cls(status=status, error={"error": {"message": message, "type": code, "code": code}}, **kw)

    @classmethod
    def recorded(cls, name: str, **kw: Any) -> Reply:
        """A model output recorded under fixtures/llm/<name>.json (its "content" or "tool_call")."""
        data = json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))
        if "tool_call" in data:
            return cls.tool_call(data["tool_call"]["name"], data["tool_call"]["arguments"], **kw)
        content = data["content"]
        return cls(content=content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), **kw)


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeOpenAI:
    """Start with ``with FakeOpenAI() as server:``; ``server.base_url`` ends in ``/v1``."""

    def __init__(self, model: str = "fake-model") -> None:
        self.model = model
        self.replies: list[Reply] = []
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def queue(self, *replies: Reply) -> FakeOpenAI:
        with self._lock:
            self.replies.extend(replies)
        return self

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests]

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- the HTTP side -----------------------------------------------------------------------

    def _next(self) -> Reply:
        with self._lock:
            if self.replies:
                return self.replies.pop(0)
        return Reply.http_error(500, "no scripted reply left", "server_error")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                body = json.loads(raw.decode("utf-8"))
                with server._lock:
                    server.requests.append(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                reply = server._next()
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    if not self.path.endswith("/chat/completions"):
                        self._send_json(404, {"error": {"message": "not found"}})
                    elif reply.error is not None:
                        self._send_json(reply.status, reply.error, reply.headers)
                    elif body.get("stream"):
                        self._send_stream(reply, body)
                    else:
                        self._send_json(200, server._completion(reply, body))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _send_json(self, status: int, data: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            def _send_stream(self, reply: Reply, body: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                for chunk in server._chunks(reply, body):
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler

    def _completion(self, reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": None if reply.tool else reply.content}
        finish = "stop"
        if reply.tool:
            message["tool_calls"] = [
                {"id": "call_1", "type": "function", "function": {"name": reply.tool, "arguments": reply.content}}
            ]
            finish = "tool_calls"
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 1700000000,
            "model": body.get("model", self.model),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }

    def _chunks(self, reply: Reply, body: dict[str, Any]) -> list[dict[str, Any]]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion.chunk",
                "created": 1700000000,
                "model": body.get("model", self.model),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            }

        text = reply.content or ""
        pieces = [text[i : i + 7] for i in range(0, len(text), 7)] or [""]
        out = [chunk({"role": "assistant", "content": "" if not reply.tool else None})]
        if reply.tool:
            out.append(
                chunk(
                    {
                        "tool_calls": [
                            {"index": 0, "id": "call_1", "type": "function", "function": {"name": reply.tool, "arguments": ""}}
                        ]
                    }
                )
            )
            out += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}) for p in pieces]
            out.append(chunk({}, "tool_calls"))
        else:
            out += [chunk({"content": p}) for p in pieces]
            out.append(chunk({}, "stop"))
        return out
