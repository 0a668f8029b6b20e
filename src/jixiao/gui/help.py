"""帮助: 关于."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao import __version__

if TYPE_CHECKING:
    from jixiao.gui.main_window import MainWindow


def show_about(w: MainWindow) -> None:
    from jixiao.gui import dialogs

    dialogs.show_info(w, "关于", f"绩效自评表填报工具 jixiao {__version__}\n\n"
                                "填报、校验并导出预算绩效自评表（项目支出、部门整体支出及项目单位自评汇总表）。\n"
                                "完全离线运行。")
