"""A scanned or photographed page made ready to read: upright, flat, evenly lit, at a known scale.

Steps, each cheap next to recognition:
- **page**: a phone photo shows the sheet on a desk at an angle; the sheet is the largest bright
  four-cornered region, and it is warped back to a rectangle (the perspective undone);
- **light**: the paper's own brightness (a lamp on one side, a shadow, a tinted or shaded table
  cell) is estimated with a grey-level closing far wider than any stroke and divided out, so ink is
  dark and paper white everywhere;
- **skew**: the angle at which the rows of ink line up best (a projection profile, searched to
  0.05°) is turned back; scanners leave up to a few degrees;
- **scale**: pages are worked at about 200 dpi (``WORK_DPI``); more is slower and reads no better.

Only numpy and OpenCV; imported by the scan reader when a scan is read, never before.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_DPI = 200
A4_MM = (210.0, 297.0)
MAX_SIDE = 6000  # pixels: a larger photo is scaled down before anything else
_MAX_SKEW = 4.0  # degrees searched either way


@dataclass
class PreparedPage:
    """A page ready to read: ``gray`` (ink dark on white) at ``dpi`` pixels per inch."""

    gray: np.ndarray
    dpi: float
    skew: float = 0.0  # degrees turned back
    flattened: bool = False  # a photographed sheet was found and its perspective undone


def to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def decode_image(data: bytes) -> np.ndarray | None:
    """A PNG/JPEG/… file's pixels as grey, or None when it is not an image OpenCV can read."""
    buf = np.frombuffer(data, np.uint8)
    image = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    if image is None or image.size == 0:
        return None
    if image.dtype != np.uint8:
        image = cv2.convertScaleAbs(image, alpha=255.0 / max(1.0, float(image.max())))
    if image.ndim == 3 and image.shape[2] == 4:  # transparent areas are paper
        alpha = image[..., 3:4].astype(np.float32) / 255.0
        rgb = image[..., :3].astype(np.float32) * alpha + 255.0 * (1 - alpha)
        image = rgb.astype(np.uint8)
    return to_gray(image)


def prepare(gray: np.ndarray, dpi: float | None) -> PreparedPage:
    """Page found (photos), perspective undone, light evened out, skew turned back, ~200 dpi."""
    h, w = gray.shape
    if max(h, w) > MAX_SIDE:
        f = MAX_SIDE / max(h, w)
        gray = cv2.resize(gray, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA)
        dpi = dpi * f if dpi else None
    flattened = False
    sheet = find_sheet(gray)
    if sheet is not None:
        gray, dpi, flattened = sheet, None, True
    if dpi is None:
        dpi = _dpi_from_width(gray)
    if dpi > WORK_DPI * 1.15:
        f = WORK_DPI / dpi
        gray = cv2.resize(gray, (round(gray.shape[1] * f), round(gray.shape[0] * f)), interpolation=cv2.INTER_AREA)
        dpi = WORK_DPI
    flat = even_light(gray, dpi)
    angle = skew_angle(flat)
    if abs(angle) >= 0.05:
        flat = rotate(flat, angle)
    return PreparedPage(flat, dpi, angle, flattened)


def _dpi_from_width(gray: np.ndarray) -> float:
    """Pixels per inch if the image is an A4 page seen whole (the usual report)."""
    h, w = gray.shape
    short_mm = A4_MM[0] if h >= w else A4_MM[1]
    return max(50.0, w / (short_mm / 25.4))


# --------------------------------------------------------------------------------------------
# The sheet in a photo


def find_sheet(gray: np.ndarray) -> np.ndarray | None:
    """The photographed sheet warped to a flat upright rectangle, or None when the image is the page.

    The sheet is the largest bright region with four corners that leaves a visible margin of
    something darker (the desk) around it; a flatbed scan has no such margin and is left alone.
    """
    h, w = gray.shape
    f = 800.0 / max(h, w)
    small = cv2.resize(gray, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _t, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _h = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    biggest = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(biggest)
    sh, sw = small.shape
    if area < 0.25 * sh * sw or area > 0.97 * sh * sw:
        return None
    x, y, bw, bh = cv2.boundingRect(biggest)
    touches = sum((x <= 2, y <= 2, x + bw >= sw - 2, y + bh >= sh - 2))
    if touches >= 3:
        return None  # a page that fills the image, with a dark scanner edge on one side
    quad = None
    peri = cv2.arcLength(biggest, True)
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(biggest, eps * peri, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        quad = cv2.boxPoints(cv2.minAreaRect(biggest)).astype(np.float32)
    desk = np.median(small[bright == 0]) if (bright == 0).any() else 0
    paper = np.median(small[bright > 0])
    if paper - desk < 25:
        return None
    corners = _order(quad / f)
    top = float(np.linalg.norm(corners[1] - corners[0]))
    bottom = float(np.linalg.norm(corners[2] - corners[3]))
    left = float(np.linalg.norm(corners[3] - corners[0]))
    right = float(np.linalg.norm(corners[2] - corners[1]))
    width_px, height_px = max(top, bottom), max(left, right)
    ratio = height_px / max(width_px, 1.0)
    # Printed reports are A4; a sheet seen at an angle keeps a ratio near √2 (or its inverse).
    a4 = A4_MM[1] / A4_MM[0]
    if abs(ratio - a4) < 0.25:
        ratio = a4
    elif abs(1 / ratio - a4) < 0.25:
        ratio = 1 / a4
    out_w = int(min(max(width_px, height_px / ratio), A4_MM[0] / 25.4 * WORK_DPI * 1.5))
    out_h = int(out_w * ratio)
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(gray, m, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


# --------------------------------------------------------------------------------------------
# Light and skew


def even_light(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Divide out the paper's brightness: ink dark, paper white, whatever the lamp or a cell's shading did."""
    k = max(15, int(dpi * 0.2)) | 1  # 5 mm: wider than any stroke, narrower than a shaded cell
    f = 4 if min(gray.shape) > 400 else 1
    small = cv2.resize(gray, (gray.shape[1] // f, gray.shape[0] // f), interpolation=cv2.INTER_AREA) if f > 1 else gray
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, k // f) | 1, max(3, k // f) | 1))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), max(1.0, k / f / 4))
    if f > 1:
        background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(gray.astype(np.float32), np.maximum(background.astype(np.float32), 1.0), scale=255.0)
    # Stretch so that the ink is near black: blur and a dim photo leave strokes grey.
    ink = float(np.percentile(flat, 1.0))
    if ink < 200:
        flat = (flat - ink) * (255.0 / (255.0 - ink))
    return np.clip(flat, 0, 255).astype(np.uint8)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0 (Otsu on the evened page, never lighter than mid grey)."""
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _t, mask = cv2.threshold(gray, min(t, 170), 255, cv2.THRESH_BINARY_INV)
    return mask


def skew_angle(gray: np.ndarray) -> float:
    """The small rotation (degrees, counter-clockwise positive) that makes rows of ink horizontal."""
    h, w = gray.shape
    f = 1000.0 / max(h, w)
    small = cv2.resize(gray, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    ink = ink_mask(small)
    if cv2.countNonZero(ink) < 0.002 * ink.size:
        return 0.0

    def score(angle: float) -> float:
        rows = rotate(ink, angle, border=0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, 0.25), key=score)
    fine = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=score)
    return float(round(fine, 2))


def rotate(image: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
