"""Helpers shared by the Excel tests."""

from __future__ import annotations

from pathlib import Path

from jixiao.core.fileio import load_document
from jixiao.core.model import Document

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "seeds"
EXAMPLES = ROOT / "resources" / "examples"


def seed_files() -> list[Path]:
    out = []
    for p in sorted(SEEDS.glob("*.json")):
        try:
            load_document(p)
        except Exception:  # non-interchange files such as s004_summary.json
            continue
        out.append(p)
    return out


def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.jxzp"))


def bundle(*names: str) -> Document:
    docs = [load_document(SEEDS / n) for n in names]
    doc = docs[0]
    for d in docs[1:]:
        doc.forms.extend(d.forms)
    return doc
