"""The README's reference tables (cell ids, rule ids), rendered from the registries.

The README holds the output between markers; a test fails when it drifts, and
``python -m assistant reference --write README.md`` rewrites it.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant import cells as reg
from assistant.rules import RULES

BEGIN = "<!-- BEGIN GENERATED: reference (python -m assistant reference --write README.md) -->"
END = "<!-- END GENERATED: reference -->"


def _t3() -> list[str]:
    cols = " · ".join(f"`{c.id}` {c.label}" for c in reg.T3_COLUMNS)
    lines = ["### Table 3 — `t3.<row>.<column>` (175 cells)", "", f"Columns: {cols}.", "",
             "| row id | label |", "|---|---|"]
    for row in reg.T3_ROWS:
        group = reg.T3_GROUP[row.group].printed if row.group and row.group != "results" else ""
        lines.append(f"| `{row.id}` | {group + ' · ' if group else ''}{row.printed} |")
    return lines


def _t2() -> list[str]:
    lines = ["### Table 2 — `t2.<item>.<column>` (10 cells)", "", "| cell id | label | kind |", "|---|---|---|"]
    for c in reg.cells_of("t2"):
        lines.append(f"| `{c.id}` | {reg.T2_CLAUSES[c.row]} {c.label} | {c.kind.unit} |")
    return lines


def _t4() -> list[str]:
    groups = " · ".join(f"`{g.id}` {g.label}" for g in reg.T4_GROUPS)
    cols = " · ".join(f"`{c.id}` {c.label}" for c in reg.T4_COLUMNS)
    return ["### Table 4 — `t4.<group>.<column>` (15 cells)", "", f"Groups: {groups}.", "", f"Columns: {cols}."]


def _others() -> list[str]:
    lines = ["### Fee cells and fields", "", "| key | label | kind |", "|---|---|---|"]
    lines += [f"| `{c.id}` | {c.label} | {c.kind.unit} |" for c in reg.cells_of("s6")]
    fields = (*reg.META_FIELDS, *reg.SECTIONS, *reg.MATERIAL_FIELDS)
    lines += [f"| `{f.id}` | {reg.label_of(f.id)} | {f.kind} |" for f in fields]
    return lines


def _rules() -> list[str]:
    lines = ["### Rules", "", "| rule id | severity | what must hold | needs last year |", "|---|---|---|---|"]
    for r in RULES.values():
        lines.append(f"| `{r.id}` | {r.severity.value} | {r.what} | {'yes' if r.needs_previous else ''} |")
    return lines


def render() -> str:
    parts = [_t2(), _t3(), _t4(), _others(), _rules()]
    return "\n\n".join("\n".join(p) for p in parts)


def block() -> str:
    return f"{BEGIN}\n{render()}\n{END}"


def current_block(readme: str) -> str | None:
    m = re.search(re.escape(BEGIN) + r".*?" + re.escape(END), readme, re.S)
    return m.group(0) if m else None


def write(readme_path: Path) -> bool:
    """Rewrite the generated block of a README; True when it changed."""
    text = readme_path.read_text(encoding="utf-8")
    old = current_block(text)
    new_text = text.replace(old, block()) if old else f"{text.rstrip()}\n\n{block()}\n"
    if new_text != text:
        readme_path.write_text(new_text, encoding="utf-8")
        return True
    return False
