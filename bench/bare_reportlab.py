"""Reference for the PDF export: a bare reportlab script drawing the same pages.

    python bench/bare_reportlab.py PAGES.json OUT.pdf

PAGES.json holds the page plan jixiao drew (rules and text runs, as
``bench/run_all.py`` dumps it, untimed). This script only registers the bundled
font and draws every rule with ``canvas.line`` and every run with
``canvas.drawString``, the plain reportlab way; ``run_all.py`` times its whole
process against ``jixiao export --pdf`` of the same document.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MM = 72.0 / 25.4


def main() -> int:
    pages = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    root = Path(__file__).resolve().parents[1]
    pdfmetrics.registerFont(TTFont("Song", str(root / "resources" / "fonts" / "ARPLUMingCN.ttf")))
    c = canvas.Canvas(sys.argv[2])
    for p in pages:
        h = p["height"]
        c.setPageSize((p["width"] * MM, h * MM))
        for x1, y1, x2, y2, w in p["rules"]:
            c.setLineWidth(w)
            c.line(x1 * MM, (h - y1) * MM, x2 * MM, (h - y2) * MM)
        for x, y, text, size in p["texts"]:
            c.setFont("Song", size)
            c.drawString(x * MM, (h - y) * MM, text)
        c.showPage()
    c.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
