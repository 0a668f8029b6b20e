"""Fixtures of the PDF tests."""

from __future__ import annotations

import pytest

from jixiao.core.model import Document

from .pdfhelpers import merged_seeds


@pytest.fixture(scope="session")
def seed002() -> Document:
    return merged_seeds("s002_department.json", "s002_p01.json", "s002_p02.json", "s002_p03.json")


@pytest.fixture(scope="session")
def seed004() -> Document:
    return merged_seeds("s004_department.json", "s004_p_kepu_huodong.json", "s004_p_baowu_yanfa_zhongxin.json")
