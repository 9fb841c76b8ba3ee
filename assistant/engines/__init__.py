"""Chat engines: a source and the current draft in, a ``Proposal`` out (never applied silently).

``get_engine(settings)`` picks the offline engine (default, deterministic, no network) or the
OpenAI-compatible LLM engine; the LLM stack is imported only when that engine is chosen.
"""

from __future__ import annotations

from assistant.engines.base import Engine, Proposal, SourceKind, report_of
from assistant.engines.factory import get_engine
from assistant.engines.settings import PRESETS, EngineSettings, from_preset, settings_from_env

__all__ = [
    "PRESETS",
    "Engine",
    "EngineSettings",
    "Proposal",
    "SourceKind",
    "from_preset",
    "get_engine",
    "report_of",
    "settings_from_env",
]
