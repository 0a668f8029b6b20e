"""The documentation matches the code."""

import json
import re
from pathlib import Path

import jsonschema
import pytest

from jixiao.core.fileio import document_to_data, load_document
from jixiao.core.validation import CODES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_every_finding_code_is_documented_and_no_other():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.M))
    assert table == set(CODES)


@pytest.fixture(scope="module")
def schema():
    return json.loads((DOCS / "schema" / "document.schema.json").read_text(encoding="utf-8"))


def test_seed_interchange_files_match_the_schema(schema):
    for p in sorted((ROOT / "tests" / "data" / "seeds").glob("s0*.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            jsonschema.validate(data, schema)


def test_native_documents_match_the_schema(schema):
    for p in sorted((ROOT / "resources" / "examples").glob("*.jxzp")):
        data = json.loads(p.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        assert data["format"] == "jixiao-document" and data["format_version"] == 1
        jsonschema.validate(document_to_data(load_document(p)), schema)


def test_template_keys_used_by_bundled_templates_are_documented():
    text = (DOCS / "templates.md").read_text(encoding="utf-8")
    keys: set[str] = set()
    for p in (ROOT / "resources" / "templates").glob("*.json"):
        data = json.loads(p.read_text(encoding="utf-8"))
        keys |= set(data) | set(data.get("scoring", {}))
        for kind in ("project", "department"):
            form = data.get(kind, {})
            keys |= set(form)
            for sec in form.get("sections", []):
                keys |= set(sec)
    missing = sorted(k for k in keys if f"`{k}`" not in text and f'"{k}"' not in text)
    assert not missing


def test_a_document_with_content_beyond_its_template_matches_the_schema(schema):
    from jixiao.core.extras import add_extra
    from jixiao.core.model import new_document

    doc = new_document("national", "某某局", 2024)
    form = doc.projects[0]
    form.funds["自筹资金"] = {"全年预算数": "20"}
    add_extra(form, "项目类别", "部门预算项目")
    data = document_to_data(doc)
    assert data["forms"][1]["附加内容"] == [{"栏目": "项目类别", "内容": "部门预算项目"}]
    jsonschema.validate(data, schema)


def test_the_vocabulary_is_documented():
    from jixiao.core.vocabulary import CONTEXTS

    text = (DOCS / "templates.md").read_text(encoding="utf-8")
    assert "## The vocabulary" in text and "resources/templates/vocabulary/labels.json" in text
    assert all(f"`{c}`" in text for c in CONTEXTS)
