from __future__ import annotations

from pathlib import Path

from assistant import reference
from assistant.cells import CELLS
from assistant.rules import RULES

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_reference_is_generated_from_the_registries() -> None:
    text = README.read_text(encoding="utf-8")
    assert reference.current_block(text) == reference.block(), "run: python -m assistant reference --write README.md"


def test_reference_names_every_rule_and_row() -> None:
    block = reference.render()
    assert all(f"`{r}`" in block for r in RULES)
    rows = {cid.split(".", 1)[1].rsplit(".", 1)[0] for cid in CELLS if cid.startswith("t3.")}
    assert all(f"`{row}`" in block for row in rows)


def test_readme_opens_with_the_two_commands() -> None:
    head = README.read_text(encoding="utf-8")[:300]
    assert "make run" in head and "make test" in head
