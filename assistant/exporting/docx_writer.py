"""The .docx in the official layout: A4, 公文 fonts, tables 二–四 as in the national template.

Fonts are set in the eastAsia slot (Word picks the font of Chinese text from there):
方正小标宋简体 for the title, 黑体 for section headings, 仿宋_GB2312 for the body, 楷体_GB2312 for the
titles of section 一's sub-parts, 宋体 in tables; Times New Roman for Latin letters and digits. The
font table names a common alternative for each (``w:altName``: 仿宋, 楷体, 宋体) so that a machine
without the GB2312 fonts falls back to a look-alike instead of a default sans.

Tables are written as raw WordprocessingML: a fixed grid (``gridCol`` and ``tcW`` both set, which
LibreOffice needs), horizontal spans as ``gridSpan``, vertical spans as ``vMerge``, header rows
marked ``tblHeader`` so that they repeat on every page.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from assistant.exporting import layout
from assistant.exporting.layout import Grid, GridCell

# Page: A4 with the margins of GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).
TWIPS_PER_MM = 1440 / 25.4
PAGE_W, PAGE_H = 11906, 16838
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH = PAGE_W - round((MARGINS["left"] + MARGINS["right"]) * TWIPS_PER_MM)

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LEAD_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

# Fallbacks recorded in the font table: (name, altName, panose, family, pitch).
FONTS = (
    (TITLE_FONT, "宋体", "02000000000000000000", "auto", "variable"),
    (HEADING_FONT, "SimHei", "02010609060101010101", "modern", "fixed"),
    (BODY_FONT, "仿宋", "02010609030101010101", "modern", "fixed"),
    (LEAD_FONT, "楷体", "02010609030101010101", "modern", "fixed"),
    (TABLE_FONT, "SimSun", "02010600030101010101", "auto", "variable"),
)

# Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, table text 10 pt.
TITLE_SIZE, BODY_SIZE, FOOTER_SIZE, TABLE_SIZE = 44, 32, 28, 20
BODY_LINE = 560  # exact 28 pt line pitch, as in 公文
TITLE_CHARS_PER_LINE = 20  # 二号 characters across the text width
ROW_HEIGHT = 340
CELL_MARGIN = 57  # 1 mm

NOTICE_COLOR = "C00000"


def _fonts(east_asia: str, latin: str = LATIN_FONT) -> str:
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}" w:hint="eastAsia"/>'


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


_STYLES = {
    "Normal": f"""<w:style {nsdecls("w")} w:type="paragraph" w:default="1" w:styleId="Normal">
  <w:name w:val="Normal"/><w:qFormat/>
  <w:pPr><w:widowControl/><w:spacing w:before="0" w:after="0" w:line="{BODY_LINE}" w:lineRule="exact"/>
    <w:ind w:firstLineChars="200" w:firstLine="{BODY_SIZE * 20}"/><w:jc w:val="both"/></w:pPr>
  <w:rPr>{_fonts(BODY_FONT)}<w:kern w:val="2"/>{_size(BODY_SIZE)}<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>
</w:style>""",
    "Title": f"""<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Title">
  <w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:spacing w:before="0" w:after="{BODY_LINE}" w:line="720" w:lineRule="exact"/>
    <w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>
  <w:rPr>{_fonts(TITLE_FONT)}{_size(TITLE_SIZE)}</w:rPr>
</w:style>""",
    "Heading1": f"""<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Heading1">
  <w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val="1"/></w:pPr>
  <w:rPr>{_fonts(HEADING_FONT)}{_size(BODY_SIZE)}</w:rPr>
</w:style>""",
    "TableText": f"""<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="TableText">
  <w:name w:val="表格文字"/><w:basedOn w:val="Normal"/><w:qFormat/>
  <w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>
    <w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr>
  <w:rPr>{_fonts(TABLE_FONT)}<w:kern w:val="0"/>{_size(TABLE_SIZE)}</w:rPr>
</w:style>""",
    "Notice": f"""<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="Notice">
  <w:name w:val="未解决错误提示"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="{BODY_LINE}"/><w:ind w:firstLineChars="0" w:firstLine="0"/>
    <w:jc w:val="center"/></w:pPr>
  <w:rPr>{_fonts(HEADING_FONT)}<w:b/><w:bCs/><w:color w:val="{NOTICE_COLOR}"/>{_size(BODY_SIZE)}</w:rPr>
</w:style>""",
}


def render(doc: layout.Document) -> bytes:
    """The document as .docx bytes."""
    d = new_docx()
    _set_up(d, doc.title)
    sect_pr = d.element.body.sectPr
    for xml in _blocks_xml(doc):
        sect_pr.addprevious(parse_xml(xml))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def title_lines(title: str) -> list[str]:
    """The title as printed: a title too long for one line breaks before 政府信息公开工作年度报告."""
    head, sep, _ = title.rpartition(layout.REPORT_NAME)
    if len(title) <= TITLE_CHARS_PER_LINE or not sep or not head:
        return [title]
    return [head, title[len(head) :]]


def _paragraph(style: str, text: str = "", lead: str = "", *, lines: list[str] | None = None) -> str:
    runs = ""
    if lines:
        breaks = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
        runs += f"<w:r>{breaks}</w:r>"
    if lead:
        runs += f'<w:r><w:rPr>{_fonts(LEAD_FONT)}</w:rPr><w:t xml:space="preserve">{escape(lead)}</w:t></w:r>'
    if text:
        runs += f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'


def _blocks_xml(doc: layout.Document) -> list[str]:
    out = []
    for block in doc.blocks:
        if isinstance(block, layout.Notice):
            out.append(_paragraph("Notice", block.text))
        elif isinstance(block, layout.Title):
            out.append(_paragraph("Title", lines=title_lines(block.text)))
        elif isinstance(block, layout.Heading):
            out.append(_paragraph("Heading1", block.text))
        elif isinstance(block, layout.Paragraph):
            out.append(_paragraph("Normal", block.text, block.lead))
        else:
            out.append(table_xml(block.grid))
            # A paragraph after each table keeps the next heading off the table's last row.
            out.append(_paragraph("TableText"))
    return out


def _set_up(d: DocxDocument, title: str) -> None:
    styles = d.styles.element
    for old in styles.findall(qn("w:style")):
        if old.get(qn("w:styleId")) in _STYLES:
            styles.remove(old)
    for xml in _STYLES.values():
        styles.append(parse_xml(xml))
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{_fonts(BODY_FONT)}{_size(BODY_SIZE)}"
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault><w:pPr><w:spacing w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>'
        ),
    )
    _add_fonts(d)
    _page(d)
    props = d.core_properties
    props.title = title
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.subject = layout.REPORT_NAME
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    # python-docx's template carries a thumbnail of an unrelated page; drop it.
    package_rels = d.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]


def _add_fonts(d: DocxDocument) -> None:
    font_part = next((r.target_part for r in d.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if font_part is None:
        return
    root = parse_xml(font_part.blob)
    for name, alt, panose, family, pitch in FONTS:
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="{family}"/>'
                f'<w:pitch w:val="{pitch}"/></w:font>'
            )
        )
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(d: DocxDocument) -> None:
    sect = d.sections[0]._sectPr
    for tag in ("w:pgSz", "w:pgMar", "w:docGrid"):
        old = sect.find(qn(tag))
        if old is not None:
            sect.remove(old)
    mm = {k: round(v * TWIPS_PER_MM) for k, v in MARGINS.items()}
    sect.insert(0, parse_xml(f'<w:pgSz {nsdecls("w")} w:w="{PAGE_W}" w:h="{PAGE_H}"/>'))
    sect.insert(
        1,
        parse_xml(
            f'<w:pgMar {nsdecls("w")} w:top="{mm["top"]}" w:right="{mm["right"]}" w:bottom="{mm["bottom"]}" '
            f'w:left="{mm["left"]}" w:header="851" w:footer="992" w:gutter="0"/>'
        ),
    )
    # Page numbers as 公文 prints them: "— 1 —", centred at the foot of the page.
    footer: DocxParagraph = d.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # firstLineChars wins over firstLine in Word: both must be 0 to undo Normal's 2-character indent.
    footer._p.get_or_add_pPr().insert_element_before(
        parse_xml(f'<w:ind {nsdecls("w")} w:firstLineChars="0" w:firstLine="0"/>'), "w:jc"
    )
    rpr = f"<w:rPr>{_fonts(TABLE_FONT)}{_size(FOOTER_SIZE)}</w:rPr>"
    for xml in (
        f'<w:r {nsdecls("w")}>{rpr}<w:t xml:space="preserve">— </w:t></w:r>',
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r>{rpr}<w:t>1</w:t></w:r></w:fldSimple>',
        f'<w:r {nsdecls("w")}>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>',
    ):
        footer._p.append(parse_xml(xml))


# --------------------------------------------------------------------------------------------
# Tables


def _widths(grid: Grid) -> list[int]:
    total = sum(grid.widths)
    widths = [int(TEXT_WIDTH * w / total) for w in grid.widths]
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


_GROUP_NUMBER = re.compile(r"^（[一二三四五六七八九十]+）(?=.)")


def _cell_lines(gc: GridCell) -> list[str]:
    """A cell's text as printed lines: a narrow group label puts its number on a line of its own."""
    m = _GROUP_NUMBER.match(gc.text) if gc.kind == "label" and gc.rowspan > 1 else None
    return [m.group(0), gc.text[m.end() :]] if m else [gc.text]


def _cell_xml(gc: GridCell | None, width: int, span: int, merge: str | None, keep: bool) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if merge:
        props += f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    # keepNext on every row but the last keeps a table on one page when it fits on one.
    ppr = '<w:pStyle w:val="TableText"/>' + ("<w:keepNext/>" if keep else "")
    if gc is None or not gc.text:
        para = f"<w:p><w:pPr>{ppr}</w:pPr></w:p>"
    else:
        jc = "" if gc.align == "center" else '<w:jc w:val="left"/>'
        text = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in _cell_lines(gc))
        para = f"<w:p><w:pPr>{ppr}{jc}</w:pPr><w:r>{text}</w:r></w:p>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{para}</w:tc>"


def table_xml(grid: Grid) -> str:
    """One ``w:tbl`` for a grid: origin cells with gridSpan, covered rows continuing a vMerge."""
    grid.check()
    widths = _widths(grid)
    starts: dict[tuple[int, int], GridCell] = {}
    covered: dict[tuple[int, int], GridCell] = {}
    for r, c, gc in grid.placed():
        starts[(r, c)] = gc
        for dr in range(1, gc.rowspan):
            covered[(r + dr, c)] = gc
    rows = []
    for r in range(len(grid.rows)):
        cells = []
        keep = r < len(grid.rows) - 1
        c = 0
        while c < grid.columns:
            start = starts.get((r, c))
            if start is not None:
                merge = "restart" if start.rowspan > 1 else None
                cells.append(_cell_xml(start, sum(widths[c : c + start.colspan]), start.colspan, merge, keep))
                c += start.colspan
                continue
            above = covered[(r, c)]
            cells.append(_cell_xml(None, sum(widths[c : c + above.colspan]), above.colspan, "continue", keep))
            c += above.colspan
        header = "<w:tblHeader/>" if r < grid.header_rows else ""
        tr_pr = f'<w:trPr><w:cantSplit/><w:trHeight w:val="{ROW_HEIGHT}" w:hRule="atLeast"/>{header}</w:trPr>'
        rows.append(f"<w:tr>{tr_pr}{''.join(cells)}</w:tr>")
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    tbl_pr = (
        f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
    )
    grid_xml = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f"<w:tbl {nsdecls('w')}>{tbl_pr}<w:tblGrid>{grid_xml}</w:tblGrid>{''.join(rows)}</w:tbl>"
