"""Fixtures of the Excel tests."""

from __future__ import annotations

import pytest

from jixiao.core.model import Document
from tests.excel.helpers import bundle


@pytest.fixture
def henan_doc() -> Document:
    return bundle("s004_department.json", "s004_p_kepu_huodong.json", "s004_p_keji_jiaoliu_zhaoshang.json")


@pytest.fixture
def xinjiang_doc() -> Document:
    return bundle("s002_department.json", "s002_p01.json", "s002_p03.json")
