"""Helpers shared by the Excel tests."""

from __future__ import annotations

from pathlib import Path

from jixiao.core.fileio import load_document
from jixiao.core.model import Document

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "seeds"
EXAMPLES = ROOT / "resources" / "examples"


# Transcriptions that are not documents: the 汇总表 of seed 004 is a list of its printed rows.
NOT_DOCUMENTS = frozenset({"s004_summary.json"})


def seed_files() -> list[Path]:
    """Every transcribed seed form. None is skipped: one that fails to load fails the tests that
    use it, under its own name."""
    return [p for p in sorted(SEEDS.glob("s0*.json")) if p.name not in NOT_DOCUMENTS]


def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.jxzp"))


def bundle(*names: str) -> Document:
    docs = [load_document(SEEDS / n) for n in names]
    doc = docs[0]
    for d in docs[1:]:
        doc.forms.extend(d.forms)
    return doc
