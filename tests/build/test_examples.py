"""The bundled examples are exactly the seed transcriptions (build/make_examples.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from jixiao.core.fileio import load_document
from jixiao.core.interchange import document_to_json

ROOT = Path(__file__).resolve().parents[2]


def _make_examples():
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "build" / "make_examples.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


MAKE = _make_examples()


@pytest.mark.parametrize("name", sorted(MAKE.EXAMPLES))
def test_a_bundled_example_holds_the_transcriptions_as_they_are(name):
    shipped = load_document(ROOT / "resources" / "examples" / name)
    built = MAKE.assemble(name, MAKE.EXAMPLES[name])
    assert document_to_json(shipped, native=False) == document_to_json(built, native=False), (
        f"{name} differs from the seed transcriptions: run python build/make_examples.py")


def test_every_example_is_built_and_every_build_is_shipped():
    shipped = {p.name for p in (ROOT / "resources" / "examples").glob("*.jxzp")}
    assert shipped == set(MAKE.EXAMPLES)
