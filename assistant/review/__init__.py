"""Reviewing a whole jurisdiction's reports at once, for the 政务公开办 that checks every unit's report.

``review(current, previous)`` reads a folder or .zip of reports (any format the reader handles),
pairs each with last year's report of the same agency, validates it, and returns one row per
report and the jurisdiction's sums. ``export`` writes the review as an .xlsx workbook or an HTML
page. See ``batch`` for how the work is split (local process pool or a Dask cluster).
"""

from __future__ import annotations

from assistant.review.batch import load, review
from assistant.review.results import Review, Row, RowFinding, Summary
from assistant.review.sources import Upload

__all__ = ["Review", "Row", "RowFinding", "Summary", "Upload", "load", "review"]
