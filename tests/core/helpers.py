"""Shared helpers for the core tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.core.fileio import load_document
from jixiao.core.model import Document, Form
from jixiao.core.scoring import FormResult, score_form
from jixiao.core.validation import Finding, validate_document

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def seed(name: str) -> Document:
    return load_document(SEEDS / f"{name}.json")


def only_form(doc: Document) -> Form:
    assert len(doc.forms) == 1
    return doc.forms[0]


def result(doc: Document, form: Form | None = None) -> FormResult:
    form = form or only_form(doc)
    t = doc.template
    return score_form(t, t.form(form.kind), form)


def findings(doc: Document, code: str | None = None) -> list[Finding]:
    fs = validate_document(doc)
    return [f for f in fs if code is None or f.code == code]


def codes_at(doc: Document, field: str) -> set[str]:
    return {f.code for f in validate_document(doc) if f.field == field}


def indicator_index(form: Form, level3_prefix: str) -> int:
    hits = [i for i, ind in enumerate(form.indicators) if ind.get("三级指标").startswith(level3_prefix)]
    assert len(hits) == 1, (level3_prefix, hits)
    return hits[0]


def D(s: str) -> Decimal:
    return Decimal(s)
