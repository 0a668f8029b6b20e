"""Small workbooks that make a reader expand them: many cells or rows pointing at
one big shared string, many sheets listed on one big part. Each is a valid
.xlsx well within the file-size, entry-size and compression-ratio checks of
:mod:`jixiao.excel.safety`, so only bounds on what is *expanded* stop them."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_WS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_CT_WS = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_CT_WB = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

Body = Callable[[object], None]  # writes a worksheet's <row> elements to a binary file


def noisy_text(n: int, seed: int = 7) -> str:
    """``n`` characters that compress poorly (so the ratio check lets them through)."""
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789项目资金指标预算执行完成情况"
    return "".join(rng.choices(alphabet, k=n))


def build_xlsx(path: Path, sheets: Iterable[tuple[str, str, str]], parts: dict[str, Body],
               shared: list[str] | None = None) -> Path:
    """``sheets``: (name, part file under xl/worksheets/, state) in order; ``parts``: each part's rows."""
    sheets = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        overrides = [f'<Override PartName="/xl/worksheets/{p}" ContentType="{_CT_WS}"/>' for p in parts]
        if shared is not None:
            overrides.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT_SST}"/>')
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{_CT_WB}"/>' + "".join(overrides) + "</Types>")
        z.writestr("_rels/.rels",
                   f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        entries = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"'
            + (f' state="{state}"' if state != "visible" else "") + "/>"
            for i, (name, _part, state) in enumerate(sheets, 1))
        z.writestr("xl/workbook.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_R}">'
                   f"<sheets>{entries}</sheets></workbook>")
        rels = "".join(f'<Relationship Id="rId{i}" Type="{_WS_TYPE}" Target="worksheets/{part}"/>'
                       for i, (_n, part, _s) in enumerate(sheets, 1))
        if shared is not None:
            rels += f'<Relationship Id="rIdS" Type="{_SST_TYPE}" Target="sharedStrings.xml"/>'
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">{rels}</Relationships>')
        if shared is not None:
            body = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
            z.writestr("xl/sharedStrings.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_NS}" count="{len(shared)}" '
                       f'uniqueCount="{len(shared)}">{body}</sst>')
        for part, write_rows in parts.items():
            with z.open(f"xl/worksheets/{part}", "w", force_zip64=True) as fh:
                fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>'.encode())
                write_rows(fh)
                fh.write(b"</sheetData></worksheet>")
    return path


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def hidden_rows_on_one_string(path: Path, rows: int = 5000, chars: int = 2_000_000) -> Path:
    """Our hidden data sheet with ``rows`` rows, each pointing at one ``chars``-character shared string."""
    def form(fh) -> None:
        fh.write('<row r="1"><c r="A1" t="inlineStr"><is><t>项目支出绩效自评表</t></is></c></row>'.encode())

    def meta(fh) -> None:
        fh.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>note</t></is></c></row>')
        for r in range(2, rows + 2):
            fh.write(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (r, r))

    return build_xlsx(path, [("项目1", "sheet1.xml", "visible"), ("_jixiao_data", "sheet2.xml", "veryHidden")],
                      {"sheet1.xml": form, "sheet2.xml": meta}, shared=[noisy_text(chars)])


def sheets_on_one_part(path: Path, sheets: int = 299, part_bytes: int = 12_000_000) -> Path:
    """``sheets`` sheets listed in the workbook, every one of them the same ``part_bytes`` worksheet part."""
    def rows(fh) -> None:
        written, r = 0, 1
        rng = random.Random(3)
        while written < part_bytes and r <= 10000:
            cells = "".join(f'<c r="{_col(c)}{r}"><v>{rng.randrange(10**9)}</v></c>' for c in range(1, 51))
            chunk = f'<row r="{r}">{cells}</row>'.encode()
            fh.write(chunk)
            written += len(chunk)
            r += 1

    return build_xlsx(path, [(f"项目{i}", "sheet1.xml", "visible") for i in range(1, sheets + 1)],
                      {"sheet1.xml": rows})


def cells_on_one_string(path: Path, cells: int = 18000, chars: int = 1_000_000) -> Path:
    """One visible sheet of ``cells`` cells, every one the same ``chars``-character shared string."""
    def rows(fh) -> None:
        per_row = 60
        for r in range(1, cells // per_row + 1):
            cells_xml = b"".join(b'<c r="%s%d" t="s"><v>0</v></c>' % (_col(c).encode(), r)
                                 for c in range(1, per_row + 1))
            fh.write(f'<row r="{r}">'.encode() + cells_xml + b"</row>")

    return build_xlsx(path, [("项目1", "sheet1.xml", "visible")], {"sheet1.xml": rows}, shared=[noisy_text(chars)])
