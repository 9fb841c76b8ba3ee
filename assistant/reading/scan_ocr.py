"""Text recognition offline: PP-OCRv4 (detection and recognition) through RapidOCR on onnxruntime's CPU build.

The models ship inside the ``rapidocr-onnxruntime`` wheel: nothing is fetched at run time. The
engine is made once per process, on first use, behind a lock (the app reads in a worker thread).

Two uses:
- **text lines** of a page (its prose and headings): the detector finds the lines, each line's
  crop is recognised;
- **a crop the caller cut** (a table cell's line of text): recognised directly, with no detector
  that could drop a lone "0".
A crop that reads like a number is decoded a second time with only the characters a number can
have (digits, ".", "-", "/", "—"): an "O" or "D" where the model hesitated becomes the digit the
model gave most weight to, and the confidence is that digit's own probability, so a doubtful
digit is doubtful, not silently right or wrong.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

_LOCK = threading.Lock()
_ENGINE: Any = None
_BATCH_PIXELS = 2000  # summed width of the line images in one recognition batch (larger batches run slower here)
MIN_WIDTH = 320  # the recogniser reads lines at least this wide (at height 48); shorter ones share a strip

_REC_HEIGHT = 48


@dataclass(frozen=True)
class Read:
    """What the recogniser read in one crop, and how sure it is (0–1, the weakest character)."""

    text: str
    confidence: float


@dataclass(frozen=True)
class TextBox:
    """A line of text found on the page: its text and its box (x0, y0, x1, y1)."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]


def engine() -> Any:
    """The RapidOCR engine (made once; loading the models takes about half a second)."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            import logging

            from rapidocr_onnxruntime import RapidOCR

            _ENGINE = RapidOCR(print_verbose=False)
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            logging.getLogger("OrtInferSession").setLevel(logging.ERROR)
        return _ENGINE


def recognise(crops: list[np.ndarray], *, alone: bool = False) -> list[Read]:
    """Each grey crop (one line of text, a little margin around it) read.

    Short crops (a cell's number, a two-character label) are set side by side on white strips
    and read together: the recogniser is built for lines at least ``MIN_WIDTH`` wide, and a lone
    "0" padded to that width costs as much as a line of eight. Each character goes back to the
    crop under the frames that emitted it. ``alone``: each crop read on its own (a second look).
    """
    if not crops:
        return []
    rec = engine().text_rec
    chars: list[str] = rec.postprocess_op.character
    lines = [_to_height(c) for c in crops]
    items = [_Item(line, [(i, 0, line.shape[1])]) for i, line in enumerate(lines)] if alone else _strips(lines)
    out: list[Read] = [Read("", 0.0)] * len(crops)
    order = sorted(range(len(items)), key=lambda i: items[i].image.shape[1])
    start = 0
    while start < len(order):
        # Batches of similar width: each line image is padded to the widest of its batch.
        end = start + 1
        widest = max(MIN_WIDTH, items[order[start]].image.shape[1])
        while end < len(order) and end - start < 32:
            w = max(widest, items[order[end]].image.shape[1])
            if w * (end - start + 1) > _BATCH_PIXELS:
                break
            widest = w
            end += 1
        batch = np.stack([_normalise(items[i].image, widest) for i in order[start:end]])
        with _LOCK:
            preds = rec.session(batch)[0]
        for k, i in enumerate(order[start:end]):
            probs = preds[k]
            frame = widest / probs.shape[0]
            centres = (np.arange(probs.shape[0]) + 0.5) * frame
            for index, x0, x1 in items[i].segments:
                inside = (centres >= x0 - _GAP / 2) & (centres < x1 + _GAP / 2)
                out[index] = _decode(probs[inside], chars)
        start = end
    return out


@dataclass
class _Item:
    """One line image for the recogniser: a crop, or a strip of short crops with where each lies."""

    image: np.ndarray  # grey, _REC_HEIGHT high
    segments: list[tuple[int, int, int]]  # (crop index, x0, x1)


_GAP = 16  # white pixels between crops on a strip (at height 48), besides their own margins
_STRIP_WIDTH = 640


def _to_height(crop: np.ndarray) -> np.ndarray:
    h, w = crop.shape[:2]
    width = max(1, int(np.ceil(_REC_HEIGHT * w / max(1, h))))
    return cv2.resize(crop, (width, _REC_HEIGHT), interpolation=cv2.INTER_AREA if h > _REC_HEIGHT else cv2.INTER_CUBIC)


def _strips(lines: list[np.ndarray]) -> list[_Item]:
    items: list[_Item] = []
    strip: list[tuple[int, np.ndarray]] = []

    def flush() -> None:
        if not strip:
            return
        parts: list[np.ndarray] = [np.full((_REC_HEIGHT, _GAP // 2), 255, np.uint8)]
        segments: list[tuple[int, int, int]] = []
        x = _GAP // 2
        for index, image in strip:
            parts.append(image)
            segments.append((index, x, x + image.shape[1]))
            x += image.shape[1]
            parts.append(np.full((_REC_HEIGHT, _GAP), 255, np.uint8))
            x += _GAP
        # The recogniser drops a last character that has too little white after it.
        tail = _GAP + (-(x + _GAP) % 8)
        parts.append(np.full((_REC_HEIGHT, tail), 255, np.uint8))
        items.append(_Item(np.hstack(parts), segments))
        strip.clear()

    width = 0
    for index, image in enumerate(lines):
        if image.shape[1] >= MIN_WIDTH:
            items.append(_Item(image, [(index, 0, image.shape[1])]))
            continue
        if width + image.shape[1] + _GAP > _STRIP_WIDTH:
            flush()
            width = 0
        strip.append((index, image))
        width += image.shape[1] + _GAP
    flush()
    return items


def _normalise(image: np.ndarray, width: int) -> np.ndarray:
    """A line image as the recogniser takes it: 3×48×width, scaled to [-1, 1], padded on the right."""
    scaled = image[:, :width].astype(np.float32) / 255.0
    scaled = (scaled - 0.5) / 0.5
    out = np.zeros((3, _REC_HEIGHT, width), np.float32)
    out[:, :, : scaled.shape[1]] = scaled[None, :, :]
    return out


# Number characters and the glyphs the recogniser gives for them in a cell that holds a number:
# confusing "0" with "o", "○" or full-width "０" does not matter there; confusing "3" with "8" does.
_LOOKALIKES: dict[str, str] = {
    "0": "0OoD○〇０Q。",
    "1": "1lI|１丨i!",
    "2": "2２Zz",
    "3": "3３",
    "4": "4４",
    "5": "5５Ss",
    "6": "6６b",
    "7": "7７",
    "8": "8８B",
    "9": "9９gq",
    ".": ".．·",
    ",": ",，",
    "-": "-－‐",
    "—": "—―一─",
    "/": "/／",
}
_CLASS_OF = {glyph: number for number, glyphs in _LOOKALIKES.items() for glyph in glyphs}


class _Classes:
    """The recogniser's alphabet grouped by the number character each glyph stands for."""

    def __init__(self, chars: list[str]) -> None:
        self.names = list(_LOOKALIKES)
        self.matrix = np.zeros((len(chars), len(self.names)), np.float32)
        for i, ch in enumerate(chars):
            if ch in _CLASS_OF:
                self.matrix[i, self.names.index(_CLASS_OF[ch])] = 1.0


_CLASSES: _Classes | None = None


def _classes(chars: list[str]) -> _Classes:
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = _Classes(chars)
    return _CLASSES


def _decode(probs: np.ndarray, chars: list[str]) -> Read:
    """CTC decoding of one line; a number-like reading decoded again by number characters.

    Where the model emitted a character, the number character whose look-alikes weigh most is
    taken; its confidence is that weight against all number characters and the blank, so a frame
    torn between "3" and "8" (or between "1" and nothing) is doubtful, while "0" against "o" is not.
    """
    if probs.shape[0] == 0:
        return Read("", 0.0)
    best = probs.argmax(axis=1)
    read = _joined(_collapse(best, probs, chars))
    if not _numeric_like(read.text):
        return read
    classes = _classes(chars)
    weights = probs @ classes.matrix  # frames × number characters
    chosen = weights.argmax(axis=1)
    share = weights.max(axis=1) / np.maximum(weights.sum(axis=1) + probs[:, 0], 1e-6)
    pieces: list[tuple[str, float]] = []
    previous = -1
    for t in range(probs.shape[0]):
        if best[t] == 0:
            previous = -1
            continue
        k = int(chosen[t])
        if k != previous:
            pieces.append((classes.names[k], float(share[t])))
        elif share[t] > pieces[-1][1]:
            pieces[-1] = (pieces[-1][0], float(share[t]))
        previous = k
    # A dot before or after the number is dust on the scan, not a decimal point.
    while len(pieces) > 1 and pieces[-1][0] in ".,":
        pieces.pop()
    while len(pieces) > 1 and pieces[0][0] in ".,":
        pieces.pop(0)
    return _joined(pieces)


def _collapse(indices: np.ndarray, probs: np.ndarray, chars: list[str]) -> list[tuple[str, float]]:
    """CTC: repeats merged, blanks dropped; each character with its probability (its best frame)."""
    out: list[tuple[str, float]] = []
    previous = -1
    for t, idx in enumerate(indices.tolist()):
        if idx > 0:
            p = float(probs[t, idx])
            if idx != previous:
                out.append((chars[idx], p))
            elif p > out[-1][1]:
                out[-1] = (out[-1][0], p)
        previous = idx
    return out


def _joined(pieces: list[tuple[str, float]]) -> Read:
    """The text, and the weakest character's probability as the confidence of the whole."""
    text = "".join(ch for ch, _p in pieces).strip()
    return Read(text, min((p for _ch, p in pieces), default=0.0) if text else 0.0)


def _numeric_like(text: str) -> bool:
    """Text that is a number misread, or a number: look-alikes only, a real digit or two glyphs at most."""
    t = text.replace(" ", "")
    if not t or len(t) > 16 or not all(ch in _CLASS_OF for ch in t):
        return False
    return any(ch.isdigit() for ch in t) or len(t) <= 2


DETECT_SIDE = 1280  # the page is shown to the line detector at most this large (text ~16 px high at A4)


def detect_lines(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the text lines the detector finds on a page."""
    det = engine().text_det
    h, w = gray.shape
    f = min(1.0, DETECT_SIDE / max(h, w))
    small = cv2.resize(gray, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else gray
    bgr = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    with _LOCK:
        boxes, _elapsed = det(bgr)
    if boxes is None:
        return []
    out: list[tuple[int, int, int, int]] = []
    for quad in boxes:
        quad = quad / f
        xs, ys = quad[:, 0], quad[:, 1]
        x0, x1 = int(max(0, xs.min())), int(min(w, xs.max()))
        y0, y1 = int(max(0, ys.min())), int(min(h, ys.max()))
        if x1 - x0 >= 4 and y1 - y0 >= 4:
            out.append((x0, y0, x1, y1))
    return out


def read_lines(gray: np.ndarray) -> list[TextBox]:
    """The page's text lines, read."""
    boxes = detect_lines(gray)
    crops = [gray[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes]
    reads = recognise(crops)
    return [TextBox(r.text, r.confidence, b) for r, b in zip(reads, boxes, strict=True) if r.text]
