from jixiao.core.fileio import load_document, save_document
from jixiao.core.model import new_document
from jixiao.core.validation import validate_document


def test_new_document_round_trips(tmp_path):
    doc = new_document("xinjiang", "乌鲁木齐市科学技术局", 2024)
    path = tmp_path / "a.jxzp"
    save_document(doc, path)
    again = load_document(path)
    assert [f.kind for f in again.forms] == ["department", "project"]
    codes = {f.code for f in validate_document(again)}
    assert "required-missing" in codes and "weight-sum" in codes
