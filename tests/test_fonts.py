"""Every character the program writes exists in the bundled font (or has a look-alike
there), and an officer's character the font lacks is drawn with a fallback font or a
visible □, the PDF's text keeping the officer's character (issue 12 point 5)."""

from __future__ import annotations

import ast
import json
import unicodedata
from pathlib import Path

import pytest

from jixiao import fonts
from jixiao.core.fileio import load_document
from jixiao.core.layout import document_grids
from jixiao.core.model import new_document
from jixiao.core.templates import available_templates
from jixiao.core.validation import validate_document
from jixiao.pdf import metrics

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "jixiao"
SKIP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _printable(ch: str) -> bool:
    if fonts.font_has(ch):
        return True
    sub = fonts.substitute(ch)
    return sub is not None and all(fonts.font_has(c) for c in sub)


def _missing(texts: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for where, text in texts.items():
        for ch in set(text):
            if ch.isascii() or unicodedata.category(ch) in SKIP_CATEGORIES:
                continue
            if not _printable(ch):
                out.setdefault(f"U+{ord(ch):04X} {ch}", []).append(where)
    return out


def _source_strings() -> dict[str, str]:
    """String constants of the program's modules (f-string parts included), without
    docstrings and regular expressions (arguments of ``re`` calls)."""
    out: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip: set[int] = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                    and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                skip.add(id(body[0].value))  # a docstring
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re":
                for arg in node.args:
                    skip.update(id(n) for n in ast.walk(arg))
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_RE")
                                                    for t in node.targets):
                skip.update(id(n) for n in ast.walk(node.value))
            if isinstance(node, ast.Compare):  # range bounds ("\u4e00" <= ch <= "\u9fff"), never printed
                skip.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                out[f"{path.relative_to(SRC)}:{node.lineno}"] = node.value
    return out


def _template_strings() -> dict[str, str]:
    out: dict[str, str] = {}

    def walk(where: str, v: object) -> None:
        if isinstance(v, str):
            out[where] = v
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(f"{where}.{k}", k)
                walk(f"{where}.{k}", x)
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(f"{where}[{i}]", x)

    for path in sorted((ROOT / "resources" / "templates").glob("*.json")):
        walk(path.name, json.loads(path.read_text(encoding="utf-8")))
    return out


def _documents():
    docs = [new_document(t.id, "测试单位", 2024, projects=2) for t in available_templates()]
    docs += [load_document(p) for p in sorted((ROOT / "resources" / "examples").glob("*.jxzp"))]
    return docs


def test_the_program_s_own_strings_are_in_the_font():
    assert _missing(_source_strings()) == {}


def test_template_strings_are_in_the_font():
    assert _missing(_template_strings()) == {}


def test_layout_labels_and_finding_messages_are_in_the_font():
    texts: dict[str, str] = {}
    for n, doc in enumerate(_documents()):
        for g in document_grids(doc):
            for c in g.cells:
                if c.role in ("label", "title", "subtitle", "note", "computed"):
                    texts[f"doc{n}:{g.title}:{c.row},{c.col}"] = c.text
        for k, f in enumerate(validate_document(doc)):
            texts[f"doc{n}:finding{k}:{f.code}"] = f.message
    assert len(texts) > 500
    assert _missing(texts) == {}


def test_look_alikes_are_in_the_font():
    for ch, sub in fonts.SUBSTITUTES.items():
        assert not fonts.font_has(ch), f"U+{ord(ch):04X} needs no look-alike"
        assert all(fonts.font_has(c) for c in sub), f"U+{ord(ch):04X} → {sub!r}"
    assert fonts.font_has(fonts.PLACEHOLDER)


@pytest.fixture
def fresh_fonts(monkeypatch):
    metrics.reset()
    fonts.reset_fallbacks()
    yield monkeypatch
    metrics.reset()
    fonts.reset_fallbacks()


def _doc_with(text: str):
    doc = new_document("xinjiang", "测试单位", 2024, projects=1)
    form = doc.projects[0]
    form.header["项目名称"] = "字符测试"
    form.indicators[0].set("偏差原因分析及改进措施", text)
    return doc, [form.id]


def test_minus_sign_prints_as_a_look_alike_and_copies_as_itself(fresh_fonts, tmp_path):
    from jixiao.pdf.plan import plan_document
    from jixiao.pdf.writer import write_pdf
    from tests.pdf.pdfhelpers import pdftotext

    doc, ids = _doc_with("偏差率 −5.00%，完成 ✓")
    runs = [t for p in plan_document(doc, ids) for t in p.texts if t.actual]
    assert runs and all(fonts.font_has(c) for t in runs for c in t.text)  # drawn with glyphs the font has
    assert "−" in "".join(t.actual or "" for t in runs) and "✓" in "".join(t.actual or "" for t in runs)
    assert "−" not in "".join(t.text for t in runs) and "✓" not in "".join(t.text for t in runs)
    out = tmp_path / "minus.pdf"
    assert write_pdf(doc, out, ids) == []  # nothing drawn as □
    assert "偏差率 −5.00%，完成 ✓" in pdftotext(out).replace("\n", "")


def test_a_character_the_font_lacks_is_drawn_with_a_fallback_font(fresh_fonts, tmp_path):
    from jixiao.pdf.plan import plan_document
    from jixiao.pdf.writer import write_pdf
    from tests.pdf.pdfhelpers import pdffonts, pdftotext

    ch = "\u0181"  # Ɓ: not in the bundled font, no look-alike; DejaVu Sans has it
    assert not fonts.font_has(ch) and fonts.substitute(ch) is None
    dirs = [d for d in (Path("/usr/share/fonts/truetype/dejavu"),) if (d / "DejaVuSans.ttf").is_file()]
    if not dirs:
        pytest.skip("DejaVu Sans is not installed (Debian: fonts-dejavu-core; scripts/setup-test.sh installs it)")
    fresh_fonts.setattr(fonts, "font_dirs", lambda: dirs)
    doc, ids = _doc_with(f"音标{ch}测试")
    runs = [t for p in plan_document(doc, ids) for t in p.texts if ch in t.text]
    assert runs and all(t.font for t in runs)
    out = tmp_path / "fallback.pdf"
    assert write_pdf(doc, out, ids) == []
    assert len(pdffonts(out)) == 2  # the bundled font and the fallback face, both embedded
    assert f"音标{ch}测试" in pdftotext(out).replace("\n", "")


def test_a_character_no_font_has_is_a_visible_box_and_its_text_is_kept(fresh_fonts, tmp_path):
    from jixiao.pdf.writer import write_pdf
    from tests.pdf.pdfhelpers import pdftotext

    fresh_fonts.setattr(fonts, "font_dirs", lambda: [])
    ch = "\U0001f600"
    doc, ids = _doc_with(f"表情{ch}符号")
    out = tmp_path / "box.pdf"
    assert write_pdf(doc, out, ids) == [ch]  # the export can tell the officer
    assert f"表情{ch}符号" in pdftotext(out).replace("\n", "")  # copied text keeps the character
