"""The benchmark document is what the issue asks for, and the same every time."""

from __future__ import annotations

from collections import Counter

import pytest

from jixiao.core.templates import available_templates
from jixiao.core.values import parse_value

from .support import generate_document, snapshot


def test_generator_is_deterministic_and_realistic():
    a, b = generate_document(), generate_document()
    assert snapshot(a) == snapshot(b)
    assert [f.kind for f in a.forms].count("department") == 1
    projects = a.projects
    assert len(projects) == 30 and all(len(p.indicators) == 20 for p in projects)
    kinds = Counter()
    for p in projects:
        for ind in p.indicators:
            v = parse_value(ind.get("年度指标值"))
            kinds[v.kind if v.kind != "number" else v.op] += 1
            kinds["percent"] += v.unit_text == "%"
    assert {">=", "<=", "=", "range", "text", "percent"} <= set(kinds)
    assert max(len(p.get("goals.预期目标")) for p in projects) > 150


def test_generator_national_template():
    doc = generate_document("national", projects=2)
    assert doc.template_id == "national" and len(doc.forms) == 3


@pytest.mark.parametrize("template", [t.id for t in available_templates()])
def test_generator_builds_every_bundled_template(template):
    """bench/ measures any region: the generator fills each template's own grid (重庆's flat list too)."""
    doc = generate_document(template, projects=2)
    assert doc.template_id == template and len(doc.projects) == 2
    assert doc.department is not None and doc.department.indicators
    assert all(p.indicators for p in doc.projects)
