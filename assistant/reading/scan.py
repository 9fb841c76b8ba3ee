"""Scanned PDFs and photos of printed pages read offline, into the same ``Document`` as every reader.

Entry points:
- ``read_scanned_pdf(data, name, progress)``: a PDF whose pages are pictures (no text layer);
- ``scan_pdf_pages(data, name, pages, progress)``: the picture pages of a PDF that has text on its
  other pages, page by page (the PDF reader splices them in);
- ``read_image(data, name, progress)``: a photo or scan saved as .png/.jpg/….
``progress(done, total, what)`` (``reading.limits.Progress``) is called once before the first page
and after every page: a page takes seconds, and the app shows how far it got.

Per page: the image is prepared (``scan_image``: sheet found and flattened, light evened out, skew
turned back), its ruled tables are found (``scan_grid``) and read cell by cell (``scan_cells``),
and the rest of the page is read as running text (``scan_text``). Everything is imported when a
scan is read, never before: the rest of the tool does not pay for onnxruntime and OpenCV.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.errors import InputError, ScannedDocument
from assistant.reading.document import Block, Document
from assistant.reading.limits import Progress

if TYPE_CHECKING:
    import numpy as np


MAX_PAGES = 30  # pages read by OCR from one file (an annual report has 4–10)
MAX_PIXELS = 80_000_000  # an image larger than this is refused before it is decoded
RENDER_DPI = 200  # a PDF page is drawn at its pictures' own resolution, at most this
_MIN_TEXT = 4  # Chinese characters recognised with confidence below which a page counts as blank
_UPRIGHT = 30  # Chinese characters read with confidence that show a page is the right way up
_CJK = re.compile(r"[\u4e00-\u9fff]")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp")


@dataclass
class PageRead:
    """What OCR found on one page: blocks in reading order, and how much text it recognised."""

    blocks: list[Block] = field(default_factory=list)
    characters: int = 0


def read_scanned_pdf(data: bytes, name: str, progress: Progress | None = None) -> Document:
    """A PDF with no text layer, every page read by OCR."""
    pdf = _open(data, name)
    try:
        count = len(pdf)
    finally:
        pdf.close()
    pages = list(range(1, min(count, MAX_PAGES) + 1))
    found = scan_pdf_pages(data, name, pages, progress)
    notes = [
        f"文件“{name}”是扫描件（没有文字层），已用文字识别（OCR）读取{len(pages)}页；"
        "识别把握不足的数字已标出，请对照原件核对。"
    ]
    if count > MAX_PAGES:
        notes.append(f"扫描件共{count}页，只识别了前{MAX_PAGES}页。")
    return _document(found, "pdf-scan", notes, name, pdf=True)


def scan_pdf_pages(
    data: bytes, name: str, pages: Sequence[int], progress: Progress | None = None
) -> dict[int, PageRead]:
    """The given pages (numbered from 1) of a PDF read by OCR."""
    pdf = _open(data, name)
    out: dict[int, PageRead] = {}
    total = len(pages)
    _tell(progress, 0, total)
    try:
        for done, number in enumerate(pages, start=1):
            page = pdf[number - 1]
            try:
                gray, dpi = _render(page)
            finally:
                page.close()
            out[number] = read_page(gray, dpi, number)
            del gray
            _tell(progress, done, total)
    finally:
        pdf.close()
    return out


def read_image(data: bytes, name: str, progress: Progress | None = None) -> Document:
    """A photo or scan of one printed page."""
    gray = decode(data, name)
    _tell(progress, 0, 1)
    page = read_page(gray, None, 1)
    _tell(progress, 1, 1)
    notes = [f"图片“{name}”已用文字识别（OCR）读取；识别把握不足的数字已标出，请对照原图核对。"]
    return _document({1: page}, "image", notes, name, pdf=False)


def _ocr_libraries() -> None:
    """OpenCV and the OCR models load, or the clerk is told in Chinese what the machine lacks."""
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError as e:  # e.g. libGL.so.1 missing on a bare server (Debian: apt-get install libgl1)
        raise ScannedDocument(
            "本机的文字识别（OCR）组件无法加载，扫描件和照片暂时不能读取"
            f"（{type(e).__name__}：{str(e)[:80]}）。请联系管理员安装 libgl1 后重试，"
            "或上传原始的 Word 文件、带文字的 PDF。"
        ) from None


def read_page(gray: np.ndarray, dpi: float | None, number: int) -> PageRead:
    """One page image: tables cell by cell, the rest as running text, in reading order.

    A page that shows ink but reads as almost nothing may lie on its side or upside down (a photo
    taken sideways, a sheet fed the wrong way): it is read again turned, and the best reading kept.
    """
    _ocr_libraries()
    import cv2

    from assistant.reading.scan_image import ink_mask, prepare

    prepared = prepare(gray, dpi)
    best = _read_prepared(prepared.gray, prepared.dpi, number)
    if best.characters >= _UPRIGHT or cv2.countNonZero(ink_mask(prepared.gray)) < 0.003 * prepared.gray.size:
        return best
    for turn in (cv2.ROTATE_180, cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE):
        turned = prepare(cv2.rotate(gray, turn), dpi)
        candidate = _read_prepared(turned.gray, turned.dpi, number)
        if candidate.characters > best.characters:
            best = candidate
        if best.characters >= _UPRIGHT:
            break
    return best


def _read_prepared(gray: np.ndarray, dpi: float, number: int) -> PageRead:
    from assistant.reading.scan_cells import read_tables
    from assistant.reading.scan_grid import find_tables
    from assistant.reading.scan_text import Flow, page_lines, to_lines

    tables = find_tables(gray, dpi)
    grids = read_tables(gray, dpi, tables, number)
    printed = page_lines(gray, [t.box for t in tables])
    placed: list[tuple[int, int, Block]] = [(top, 1, line) for top, line in to_lines(printed, number, Flow())]
    placed += [(t.box.y0, 0, g) for t, g in zip(tables, grids, strict=True)]
    placed.sort(key=lambda p: (p[0], p[1]))
    # Chinese characters read with confidence: digits and "0"s read as well upside down.
    texts = [p.text for p in printed if p.confidence >= 0.8]
    texts += [s.text for g in grids for row in g.slots for s in row if s is not None and (s.confidence or 0) >= 0.8]
    return PageRead([b for _t, _o, b in placed], sum(len(_CJK.findall(t)) for t in texts))


def _document(found: dict[int, PageRead], fmt: str, notes: list[str], name: str, pdf: bool) -> Document:
    if sum(p.characters for p in found.values()) < _MIN_TEXT:
        raise blank_error(name, pdf)
    blocks = [b for number in sorted(found) for b in found[number].blocks]
    blank = [n for n, p in sorted(found.items()) if p.characters < _MIN_TEXT]
    if blank and len(found) > 1:
        notes.append(f"第{'、'.join(map(str, blank))}页没有识别出文字（空白页或图像模糊）。")
    return Document(blocks, fmt, notes)


def blank_error(name: str, pdf: bool) -> ScannedDocument:
    what = "没有文字层（是扫描件或图片）" if pdf else "是图片"
    return ScannedDocument(
        f"文件“{name}”{what}，文字识别（OCR）也没有读出文字：可能是空白页，或图像太模糊、太暗。"
        "请上传清晰的扫描件（200dpi左右，页面端正）、原始的 Word 文件或带文字的 PDF。"
    )


def _tell(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total, f"文字识别：第{done}页（共{total}页）" if done else f"文字识别：共{total}页")


# --------------------------------------------------------------------------------------------
# Pixels from files


def _open(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise InputError(f"文件“{name}”已损坏或不是有效的 PDF，无法读取。") from None


def image_coverage(page: Any) -> float:
    """How much of a PDF page its pictures cover (0–1): a scanned page is one picture over the page."""
    import pypdfium2.raw as raw

    width, height = page.get_width(), page.get_height()
    covered = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        covered = max(covered, max(0.0, right - left) * max(0.0, top - bottom) / max(1.0, width * height))
    return min(1.0, covered)


def _render(page: Any) -> tuple[np.ndarray, float]:
    """A PDF page as grey pixels, at its largest picture's own resolution (at most ``RENDER_DPI``)."""
    import pypdfium2.raw as raw

    dpi = float(RENDER_DPI)
    width_pt = page.get_width()
    best = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, _bottom, right, _top = obj.get_bounds()
        px_w, _px_h = obj.get_px_size()
        if right - left > 0.5 * width_pt:
            best = max(best, px_w / ((right - left) / 72.0))
    if best >= 72:
        dpi = min(dpi, best)
    dpi = max(dpi, 100.0)
    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    try:
        array = bitmap.to_numpy().copy()
    finally:
        bitmap.close()
    if array.ndim == 3:
        array = array[..., 0]
    return array, dpi


def decode(data: bytes, name: str) -> np.ndarray:
    """An image file's pixels as grey (upright as the camera's orientation tag says; transparency as paper)."""
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
    except Image.DecompressionBombError:
        raise InputError(f"图片“{name}”过大，无法读取。请缩小到约2500×3500像素（A4纸200dpi左右）后再上传。") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise InputError(f"文件“{name}”不是可以读取的图片（支持 PNG、JPEG 等常见格式），可能已损坏。") from None
    if width * height > MAX_PIXELS:
        raise InputError(
            f"图片“{name}”有{width}×{height}像素，过大，无法读取。请缩小到约2500×3500像素（A4纸200dpi左右）后再上传。"
        )
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image: Image.Image = ImageOps.exif_transpose(opened)
            if image.mode in ("RGBA", "LA", "P", "PA"):
                image = image.convert("RGBA")
                paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
                image = Image.alpha_composite(paper, image)
            gray = np.asarray(image.convert("L"), dtype=np.uint8).copy()
    except (OSError, ValueError, Image.DecompressionBombError):
        raise InputError(f"图片“{name}”已损坏，无法读取。") from None
    if gray.size == 0:
        raise InputError(f"图片“{name}”是空的。")
    return gray
