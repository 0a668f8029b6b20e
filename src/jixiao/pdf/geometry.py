"""Page geometry: the plan's drawing primitives, paper sizes, margins, print
scale and the vertical metrics of a line of text.

Coordinates of the finished plan (:class:`Page`, :class:`Rule`,
:class:`TextRun`) are millimetres on the paper from its top-left corner.
While a grid is laid out (:mod:`jixiao.pdf.paginate`) it works in *layout
millimetres*: paper millimetres divided by the print scale, so a form printed
at 85 % is laid out on a page 1/0.85 times as large and every coordinate and
font size is multiplied by 0.85 when it is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MM_PER_PT = 25.4 / 72.0
PT_PER_MM = 72.0 / 25.4
A4_SHORT, A4_LONG = 210.0, 297.0

LEADING = 1.3  # line height / font size
ASCENT = 0.879  # of the em: where the baseline sits in the line box
BOLD_STROKE = 0.035  # fake-bold outline stroke, as a fraction of the font size

RULE_WIDTH = 0.5  # pt
SIZE_TITLE = 16.0
SIZE_SUBTITLE = 11.0
SIZE_NOTE = 10.0
SIZE_BODY = 9.0
SIZE_FOOTER = 9.0
SIZE_CONT = 9.0

# Margins (left, top, right, bottom) in paper mm when the template names none; the
# footer “第 N 页 共 M 页” lives in the bottom margin.
DEFAULT_MARGINS = {
    "portrait": (15.0, 15.0, 15.0, 16.0),
    "landscape": (15.0, 12.0, 15.0, 14.0),
}
FOOTER_FROM_BOTTOM = 7.0  # paper mm from the page's bottom edge to the footer baseline
MIN_MARGIN = 5.0  # paper mm: a template cannot ask for less (printers do not print to the edge)
DEFAULT_MIN_SCALE = 0.8  # 缩放到一页 never shrinks a form below this


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight line; millimetres, origin at the top-left corner of the page."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5  # points


@dataclass(frozen=True, slots=True)
class TextRun:
    """One already-wrapped piece of a line of text, drawn with its baseline at ``y``.

    ``font`` is None for the bundled font, else the key of a fallback face
    (:attr:`jixiao.fonts.TrueTypeFont.key`) for characters the bundled font
    lacks. ``actual`` is the officer's text when what is drawn differs from it
    (a look-alike or a ``□`` was drawn): a PDF backend tags the run with it so
    that copying the text gives the officer's characters.
    """

    x: float  # mm from the left edge of the page
    y: float  # mm from the top edge of the page: the BASELINE
    text: str
    size: float  # points
    bold: bool = False  # fake bold (the font has no bold face)
    font: str | None = None
    actual: str | None = None


@dataclass(slots=True)
class Page:
    width: float  # mm (A4: 210 x 297 or 297 x 210)
    height: float
    rules: list[Rule] = field(default_factory=list)
    texts: list[TextRun] = field(default_factory=list)
    form_id: str | None = None  # the form drawn on this page; "summary" for the 汇总表
    seal: tuple[float, float, float, float] | None = None  # (x, y, w, h) mm kept blank for the seal
    scale: float = 1.0  # the print scale of the form on this page (1.0: 实际大小)


@dataclass(frozen=True, slots=True)
class PageSetup:
    """Paper, margins and print scale of one printed grid."""

    orientation: str  # portrait | landscape
    margins: tuple[float, float, float, float]  # left, top, right, bottom; paper mm
    scale: float = 1.0

    @property
    def paper(self) -> tuple[float, float]:
        return (A4_SHORT, A4_LONG) if self.orientation == "portrait" else (A4_LONG, A4_SHORT)

    @property
    def printable(self) -> tuple[float, float]:
        """Width and height inside the margins, in paper mm."""
        w, h = self.paper
        ml, mt, mr, mb = self.margins
        return w - ml - mr, h - mt - mb

    def at(self, scale: float) -> PageSetup:
        return PageSetup(self.orientation, self.margins, scale)


def page_setup(orientation: str, margins: tuple[float, float, float, float] | None = None) -> PageSetup:
    """The setup of a grid: its orientation and margins (the defaults for the
    orientation when None; each at least :data:`MIN_MARGIN`)."""
    o = "portrait" if orientation == "portrait" else "landscape"
    m = margins if margins is not None else DEFAULT_MARGINS[o]
    return PageSetup(o, tuple(max(MIN_MARGIN, float(v)) for v in m))  # type: ignore[arg-type]


def line_height(size: float) -> float:
    """Height in mm of one line of text at ``size`` points."""
    return size * LEADING * MM_PER_PT


def baseline_offset(size: float) -> float:
    """Distance in mm from the top of a line box to its baseline."""
    em = size * MM_PER_PT
    return (line_height(size) - em) / 2 + ASCENT * em
