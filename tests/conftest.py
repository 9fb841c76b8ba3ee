from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["ASSISTANT_RAISE"] = "1"  # unexpected exceptions surface in tests instead of exit codes

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
