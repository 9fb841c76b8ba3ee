"""A local OpenAI-compatible server for tests: scripted replies, provider quirks, every request recorded.

Stdlib only (``ThreadingHTTPServer`` on 127.0.0.1, an ephemeral port). ``/v1/chat/completions``
answers the next scripted reply: a message with content (and ``reasoning_content``), a tool
call, an HTTP error, a recorded exchange, after an optional delay. A reply is streamed as
server-sent events whenever the request asks for ``stream: true``, as the real APIs do; a reply
can be cut (``finish="length"``) or a stream end without a ``finish_reason``.

``FakeOpenAI(provider=…)`` also answers the way a provider's API refuses what it does not take,
before any scripted reply is used (the refusal bodies are the providers' documented shapes):

- ``deepseek``: ``response_format: json_schema`` → 400 "This response_format type is unavailable now";
- ``glm``: ``tool_choice`` naming a function → 400 (only ``"auto"`` is accepted);
- ``dashscope``: a stream-only model (``qwq-*``, ``*thinking*``) without ``stream`` → 400;
- ``vllm-old``: ``response_format: json_schema`` → 400 (builds without guided decoding for it);
- ``ollama``: ``tool_choice`` is ignored (the scripted reply decides), nothing refused.

Recorded exchanges (``fixtures/llm/providers/*.json``, ``Reply.exchange(name)``) are replayed
byte for byte: the response body, or the list of stream chunks.
"""

from __future__ import annotations

import fnmatch
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).resolve().parent.parent / "fixtures" / "llm"
EXCHANGES = RECORDED / "providers"


@dataclass(frozen=True)
class Reply:
    content: str | None = None
    tool: str | None = None  # the name of a tool the reply calls, with ``content`` as its arguments
    status: int = 200
    error: dict[str, Any] | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    reasoning: str | None = None  # ``reasoning_content`` beside the content (DeepSeek R1, DashScope)
    finish: str | None = None  # the finish_reason to send instead of stop/tool_calls ("length")
    cut: bool = False  # a stream that ends without a finish_reason and without [DONE]
    body: dict[str, Any] | None = None  # a recorded response body, sent as is
    chunks: list[Any] | None = None  # recorded stream chunks, sent as is

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

    @classmethod
    def exchange(cls, name: str, **kw: Any) -> Reply:
        """A whole exchange recorded under fixtures/llm/providers/<name>.json, replayed as is."""
        data = load_exchange(name)
        response = data["response"]
        status = int(response.get("status", 200))
        if status != 200:
            return cls(status=status, error=response["body"], **kw)
        if "chunks" in response:
            return cls(chunks=response["chunks"], **kw)
        return cls(body=response["body"], **kw)


def load_exchange(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXCHANGES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    query: str = ""


# -- provider refusals (documented error bodies) ----------------------------------------------------

Rule = Callable[[dict[str, Any]], "Reply | None"]


def _deepseek(body: dict[str, Any]) -> Reply | None:
    if (body.get("response_format") or {}).get("type") == "json_schema":
        return Reply(status=400, error={"error": {"message": "This response_format type is unavailable now",
                                                  "type": "invalid_request_error", "param": None,
                                                  "code": "invalid_request_error"}})
    return None


def _glm(body: dict[str, Any]) -> Reply | None:
    if isinstance(body.get("tool_choice"), dict):
        return Reply(status=400, error={"error": {"code": "1214", "message": "tool_choice 参数非法，目前仅支持 auto"}})
    if (body.get("response_format") or {}).get("type") == "json_schema":
        return Reply(status=400, error={"error": {"code": "1214", "message": "response_format 参数非法"}})
    return None


def _dashscope(body: dict[str, Any]) -> Reply | None:
    model = str(body.get("model", "")).lower()
    stream_only = any(fnmatch.fnmatch(model, p) for p in ("qwq*", "qvq*", "*thinking*"))
    if (stream_only or body.get("enable_thinking") is True) and not body.get("stream"):
        return Reply(status=400, error={
            "error": {"message": "This model only support stream mode, please enable the stream parameter to "
                                 "access the model. ", "type": "invalid_request_error", "param": None,
                      "code": "invalid_parameter_error"},
            "id": "chatcmpl-3c8e0f7a", "request_id": "3c8e0f7a-0b7c-9d7e-8a37-2d4f6b7c1e55"})
    return None


def _vllm_old(body: dict[str, Any]) -> Reply | None:
    if (body.get("response_format") or {}).get("type") == "json_schema":
        return Reply(status=400, error={"object": "error", "message": "json_schema response_format is not supported "
                                        "by this server", "type": "BadRequestError", "param": None, "code": 400})
    return None


PROVIDERS: dict[str, list[Rule]] = {
    "deepseek": [_deepseek],
    "glm": [_glm],
    "dashscope": [_dashscope],
    "qwen": [_dashscope],
    "vllm-old": [_vllm_old],
    "vllm": [],
    "ollama": [],
    "openai": [],
}


class FakeOpenAI:
    """Start with ``with FakeOpenAI() as server:``; ``server.base_url`` ends in ``/v1``."""

    def __init__(self, model: str = "fake-model", provider: str | None = None) -> None:
        self.model = model
        self.provider = provider
        self.rules: list[Rule] = list(PROVIDERS[provider]) if provider else []
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

    @property
    def left(self) -> int:
        return len(self.replies)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- the HTTP side -----------------------------------------------------------------------

    def _next(self, body: dict[str, Any]) -> Reply:
        for rule in self.rules:
            refused = rule(body)
            if refused is not None:
                return refused
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
                path, _, query = self.path.partition("?")
                with server._lock:
                    server.requests.append(
                        Recorded(path, {k.lower(): v for k, v in self.headers.items()}, body, query)
                    )
                reply = server._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    if not path.endswith("/chat/completions"):
                        self._send_json(404, {"error": {"message": "not found"}})
                    elif reply.error is not None:
                        self._send_json(reply.status, reply.error, reply.headers)
                    elif body.get("stream"):
                        self._send_stream(reply, body)
                    else:
                        self._send_json(200, reply.body or server._completion(reply, body))
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
                chunks = reply.chunks if reply.chunks is not None else server._chunks(reply, body)
                for chunk in chunks:
                    text = chunk if isinstance(chunk, str) else json.dumps(chunk, ensure_ascii=False)
                    self.wfile.write(f"data: {text}\n\n".encode())
                    self.wfile.flush()
                if not reply.cut and (reply.chunks is None or chunks[-1] != "[DONE]"):
                    self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler

    def _completion(self, reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": None if reply.tool else reply.content}
        if reply.reasoning is not None:
            message["reasoning_content"] = reply.reasoning
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
            "choices": [{"index": 0, "message": message, "finish_reason": reply.finish or finish, "logprobs": None}],
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

        def pieces(text: str) -> list[str]:
            return [text[i : i + 7] for i in range(0, len(text), 7)]

        text = reply.content or ""
        out = [chunk({"role": "assistant", "content": "" if not reply.tool else None})]
        if reply.reasoning:
            out += [chunk({"content": None, "reasoning_content": p}) for p in pieces(reply.reasoning)]
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
            out += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}) for p in pieces(text)]
            if not reply.cut:
                out.append(chunk({}, reply.finish or "tool_calls"))
        else:
            out += [chunk({"content": p}) for p in pieces(text)]
            if not reply.cut:
                out.append(chunk({}, reply.finish or "stop"))
        return out
