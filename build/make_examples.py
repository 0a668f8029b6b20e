"""Build the bundled example documents from the transcribed seed forms, and
the README's screenshot of the window showing the first of them.

    python build/make_examples.py [--no-screenshot]

- 乌鲁木齐市科学技术局-2024.jxzp: the 部门整体支出绩效自评表 and all 19
  项目支出绩效自评表 of seed 002 (新疆), exactly as published (mistakes included,
  which is what the live checks are for). The app opens it on first launch.
- 三门峡市科学技术局-2024.jxzp: the 004 (河南) department form and project forms, with the
  汇总表's own fields of each project (单位编码, 项目类型, 资金归口处室 …) as 004's
  项目单位自评汇总表 prints them (s004_summary.json).
- docs/screenshot.png: the main window as an officer first sees it (the app
  opening the 乌鲁木齐 example), rendered offscreen at 1400×900.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jixiao.core.fileio import document_from_data, save_document  # noqa: E402
from jixiao.core.interchange import merge_interchange  # noqa: E402
from jixiao.core.model import Document  # noqa: E402

SEEDS = ROOT / "tests" / "data" / "seeds"
OUT = ROOT / "resources" / "examples"
SCREENSHOT = ROOT / "docs" / "screenshot.png"

EXAMPLES = {
    "乌鲁木齐市科学技术局-2024.jxzp": ["s002_department.json"] + [f"s002_p{i:02d}.json" for i in range(1, 20)],
    "三门峡市科学技术局-2024.jxzp": [
        "s004_department.json",
        "s004_p_keji_guanli_shiwu.json",
        "s004_p_keji_jiaoliu_zhaoshang.json",
        "s004_p_keji_tiaojian_fuwu.json",
        "s004_p_kepu_huodong.json",
        "s004_p_dangjian_dangwu.json",
        "s004_p_rencai_anjiafei.json",
        "s004_p_baowu_yanfa_zhongxin.json",
        "s004_p_qiye_chuangxin_yindao.json",
    ],
}


# The published 项目单位自评汇总表 whose rows give a project's summary-only fields
SUMMARIES = {"三门峡市科学技术局-2024.jxzp": "s004_summary.json"}


def assemble(name: str, files: list[str]) -> Document:
    """One example document: the seed transcriptions, merged in this order."""
    merged = merge_interchange([json.loads((SEEDS / f).read_text(encoding="utf-8")) for f in files])
    doc = document_from_data(merged, name)
    if name in SUMMARIES:
        add_summary_fields(doc, json.loads((SEEDS / SUMMARIES[name]).read_text(encoding="utf-8")))
    return doc


def add_summary_fields(doc: Document, published: list[dict[str, str]]) -> None:
    """Give each project the header fields its 汇总表 prints (the template's summary columns
    read from ``header.…``) that its own form leaves empty, as the published 汇总表 row of the
    same name has them (the row is keyed by the column's label)."""
    rows = {r["项目名称"]: r for r in published}
    columns = [(c.label, c.source.removeprefix("header.")) for c in doc.template.summary.columns
               if c.source.startswith("header.")]
    for form in doc.projects:
        row = rows.get(form.name, {})
        for label, key in columns:
            if row.get(label) and not form.header.get(key):
                form.header[key] = row[label]


def build(name: str, files: list[str]) -> Path:
    doc = assemble(name, files)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    save_document(doc, path, backup=False)
    return path


def screenshot(out: Path = SCREENSHOT) -> None:
    """Render the first-launch window (which opens the bundled example) in a fresh process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    subprocess.run([sys.executable, "-m", "jixiao", "gui", "--screenshot", str(out)], env=env, check=True)


def main() -> None:
    for name, files in EXAMPLES.items():
        p = build(name, files)
        print(f"wrote {p}")
    if "--no-screenshot" not in sys.argv[1:]:
        screenshot()


if __name__ == "__main__":
    main()
