"""The bundled example document shown on first launch."""

from __future__ import annotations

from pathlib import Path

from jixiao.core.fileio import DocumentError, load_document
from jixiao.core.model import Document, new_document
from jixiao.resources import example_document, resource_dir


def load_example() -> Document:
    """The bundled 乌鲁木齐市科学技术局 2024 example; while it is not bundled
    (source checkouts during development), the same forms from the test seeds."""
    path = example_document()
    if path.is_file():
        try:
            return load_document(path)
        except DocumentError:
            pass
    seeds = Path(resource_dir()).parent / "tests" / "data" / "seeds"
    dept, proj = seeds / "s002_department.json", seeds / "s002_p01.json"
    if dept.is_file() and proj.is_file():
        doc = load_document(dept)
        for p in sorted(seeds.glob("s002_p*.json")):
            doc.forms.extend(load_document(p).forms)
        return doc
    return new_document("xinjiang", "乌鲁木齐市科学技术局", 2024)
