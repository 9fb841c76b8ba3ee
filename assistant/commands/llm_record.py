"""``llm-record``: record real exchanges with the configured endpoint as replayable fixtures.

Sends the engine's own first request for a few clerk messages to the endpoint configured by
``NIANBAO_LLM_*`` (or ``--preset``), once per output method asked for, and writes each exchange
— the request body (never the key) and the raw response: JSON body, stream chunks or error
body — to ``fixtures/llm/providers/<provider>_<case>_<method>.json``, the form the tests replay
(``tests/fake_openai.py``: ``Reply.exchange``). Run it when a live endpoint is at hand; review
the files before committing them (they hold the provider's answer verbatim).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from assistant.errors import InputError

ORDER = 95
CASES: dict[str, str] = {
    "extract": "今年收到个人申请12件，予以公开8件，部分公开2件",
    "fees": "实际收取信息处理费1.5万元，没有发出收费通知",
    "mixed": "上年结转2件都是企业的；行政复议3件，维持2件，还有1件没审结",
}
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "llm" / "providers"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "llm-record",
        help="向已配置的大模型接口发送样例请求，把真实往来记录为测试用的回放文件",
        description="按 NIANBAO_LLM_* 环境变量（或 --preset）配置的接口，发送引擎的真实请求并记录原始响应。",
    )
    p.add_argument("--preset", help="服务商预设（覆盖 NIANBAO_LLM_PRESET）")
    p.add_argument("--model", help="模型名称（覆盖预设）")
    p.add_argument("--case", action="append", choices=sorted(CASES), help="样例（可重复；默认全部）")
    p.add_argument("--method", action="append", choices=["json_schema", "json_mode", "function_calling", "prompt"],
                   help="输出方式（可重复；默认为该接口的首选方式）")
    p.add_argument("--stream", action="store_true", help="以流式请求")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="输出目录（默认 fixtures/llm/providers）")
    p.set_defaults(run=run)


def _settings(args: argparse.Namespace) -> Any:
    import os

    from assistant.engines.settings import settings_from_env

    env = dict(os.environ)
    if args.preset:
        env["NIANBAO_LLM_PRESET"] = args.preset
    settings = settings_from_env(env)
    if settings.kind != "openai":
        raise InputError("未配置大模型：请设置 NIANBAO_LLM_PRESET 或 NIANBAO_LLM_BASE_URL 和 NIANBAO_LLM_MODEL。")
    if args.model:
        settings = settings.model_copy(update={"model": args.model})
    if args.stream:
        settings = settings.model_copy(update={"streaming": True})
    return settings


def exchange(settings: Any, source: str, method: str) -> dict[str, Any]:
    """One request as the engine sends it, and the raw response."""
    from assistant.engines.llm import first_messages
    from assistant.llm.transport import Request, body

    messages, schema, _ = first_messages(source, method=method)  # type: ignore[arg-type]
    request = Request(messages, method, schema, "proposal", "对年报表格单元格的修改建议",  # type: ignore[arg-type]
                      1024, True, settings.stream())
    payload = body(settings, request)
    url, query = settings.client_url()
    scheme, _, rest = url.partition("://")
    userinfo = ""
    if "@" in rest.split("/", 1)[0]:
        userinfo, rest = rest.split("@", 1)
    target = f"{scheme}://{rest}/chat/completions" + (f"?{urlencode(query)}" if query else "")
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {settings.key}"}
    if userinfo:
        headers["Authorization"] = "Basic " + base64.b64encode(userinfo.encode()).decode()
    req = urllib.request.Request(target, json.dumps(payload, ensure_ascii=False).encode("utf-8"), headers)
    response: dict[str, Any]
    try:
        with urllib.request.urlopen(req, timeout=settings.timeout_s) as r:
            raw = r.read().decode("utf-8")
            if payload["stream"]:
                chunks: list[Any] = []
                for line in raw.splitlines():
                    if line.startswith("data:"):
                        data = line[5:].strip()
                        chunks.append(data if data == "[DONE]" else json.loads(data))
                response = {"status": r.status, "chunks": chunks}
            else:
                response = {"status": r.status, "body": json.loads(raw)}
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace")
        try:
            error_body: Any = json.loads(text)
        except ValueError:
            error_body = {"error": {"message": text[:500]}}
        response = {"status": e.code, "body": error_body}
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        raise InputError(f"无法连接大模型服务（{settings.shown_url}）：{type(e).__name__}。") from None
    return {
        "provider": settings.preset or "custom",
        "origin": f"recorded {dt.date.today().isoformat()}",
        "model": settings.model,
        "method": method,
        "stream": bool(payload["stream"]),
        "source": source,
        "note": f"recorded from {settings.shown_url}",
        "request": {k: v for k, v in payload.items() if k != "messages"},
        "response": response,
    }


def run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    methods = args.method or [settings.method]
    cases = args.case or sorted(CASES)
    args.out.mkdir(parents=True, exist_ok=True)
    secrets = settings.secrets
    for case in cases:
        for method in methods:
            data = exchange(settings, CASES[case], method)
            text = json.dumps(data, ensure_ascii=False, indent=1)
            for secret in secrets:
                text = text.replace(secret, "***")
            slug = re.sub(r"[^a-z0-9]+", "-", f"{data['provider']}_{settings.model}".lower()).strip("-")
            name = f"{slug}_{case}_{method}{'_stream' if data['stream'] else ''}.json"
            (args.out / name).write_text(text + "\n", encoding="utf-8")
            print(f"{name}: HTTP {data['response']['status']}", file=sys.stderr)
    return 0
