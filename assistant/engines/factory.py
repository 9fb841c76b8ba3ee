"""How a chat engine is chosen: above the engines, so that no engine module imports another's chooser."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.engines.base import Engine
    from assistant.engines.settings import EngineSettings


def get_engine(settings: EngineSettings | None = None) -> Engine:
    """The engine the settings choose: offline by default, the OpenAI-compatible one when configured.

    The LLM stack is imported only here, on demand, so the offline path starts fast.
    """
    from assistant.engines.offline import OfflineEngine

    if settings is None or settings.kind == "offline":
        return OfflineEngine()
    from assistant.engines.llm import LLMEngine

    return LLMEngine(settings)
