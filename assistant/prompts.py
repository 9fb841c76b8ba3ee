"""Prompts are files: ``prompts/<id>.md`` with a header naming their id, version and inputs.

The header is a small front-matter block::

    ---
    id: extract
    version: 1
    inputs: schema, cells, source
    ---
    [system]
    …text with {{schema}}…
    [user]
    …text with {{cells}} and {{source}}…

Code loads a prompt by id and renders it with exactly its declared inputs; the audit trail
records ``id@version`` with each proposal. Nothing the LLM is sent is inlined in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import AssistantError

# In a checkout the prompts live in the top-level prompts/ folder; an installed wheel carries the same
# files as package data in assistant/prompt_files (see setup.py).
_PACKAGED = Path(__file__).resolve().parent / "prompt_files"
PROMPTS_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "prompts"
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_PART = re.compile(r"^\[(system|user)\]\s*$", re.M)


class PromptError(AssistantError):
    """A prompt file that is missing or malformed (a packaging error, not the clerk's)."""


@dataclass(frozen=True)
class Prompt:
    id: str
    version: str
    inputs: tuple[str, ...]
    system: str
    user: str
    description: str = ""

    @property
    def ref(self) -> str:
        """``id@version``, as recorded in the audit trail."""
        return f"{self.id}@{self.version}"

    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.system)) | set(_PLACEHOLDER.findall(self.user))

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) with every declared input filled; a missing or extra input is an error."""
        missing = set(self.inputs) - set(values)
        extra = set(values) - set(self.inputs)
        if missing or extra:
            raise PromptError(f"提示词“{self.ref}”的输入不符：缺少{sorted(missing)}，多余{sorted(extra)}")

        def fill(text: str) -> str:
            return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text).strip()

        return fill(self.system), fill(self.user)


def _header(text: str, path: Path) -> tuple[dict[str, str], str]:
    if not text.startswith("---"):
        raise PromptError(f"提示词文件“{path.name}”缺少文件头（---）")
    _, head, body = text.split("---", 2)
    fields: dict[str, str] = {}
    for line in head.strip().splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields, body


def parse(text: str, path: Path = Path("prompt.md")) -> Prompt:
    fields, body = _header(text, path)
    for key in ("id", "version", "inputs"):
        if key not in fields:
            raise PromptError(f"提示词文件“{path.name}”的文件头缺少“{key}”")
    parts = _PART.split(body)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    if "system" not in sections:
        raise PromptError(f"提示词文件“{path.name}”缺少 [system] 部分")
    inputs = tuple(i.strip() for i in fields["inputs"].strip("[]").split(",") if i.strip())
    return Prompt(
        id=fields["id"],
        version=fields["version"],
        inputs=inputs,
        system=sections["system"],
        user=sections.get("user", ""),
        description=fields.get("description", ""),
    )


@lru_cache(maxsize=32)
def load_prompt(prompt_id: str, directory: Path = PROMPTS_DIR) -> Prompt:
    """The prompt with this id from ``prompts/``."""
    path = directory / f"{prompt_id}.md"
    if not path.is_file():
        raise PromptError(f"找不到提示词文件“{path.name}”")
    prompt = parse(path.read_text(encoding="utf-8"), path)
    if prompt.id != prompt_id:
        raise PromptError(f"提示词文件“{path.name}”的 id 是“{prompt.id}”，应为“{prompt_id}”")
    return prompt


def all_prompts(directory: Path = PROMPTS_DIR) -> list[Prompt]:
    return [load_prompt(p.stem, directory) for p in sorted(directory.glob("*.md")) if p.name != "README.md"]
