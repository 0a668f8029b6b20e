"""帮助: 使用说明 (how to begin, the keys, what the colours mean) and 关于."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao import __version__
from jixiao.gui import screen_fit

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from jixiao.gui.main_window import MainWindow

HELP_HTML = """
<h3>如何开始</h3>
<ol>
<li><b>文件 › 新建</b>：选择地区模板，填写单位名称和年度，创建部门整体表和项目表。
也可以 <b>文件 › 从Excel导入</b> 去年的或财政局下发的工作簿。</li>
<li>左侧列表选择要填写的表；<b>表格 › 新增项目</b> 增加项目表。</li>
<li>像在 Excel 中一样直接输入。执行率、得分、总分自动计算（灰色斜体为建议值，直接输入即可覆盖，清空即恢复）。</li>
<li>下方“校验结果”列出问题，点击即跳到对应单元格；<b>F8</b> 逐个查看。</li>
<li><b>文件 › 导出Excel</b> 报送财政局，<b>导出PDF</b> 或 <b>打印</b> 签字盖章。</li>
<li><b>文件 › 生成自评报告</b>：由自评表起草部门整体、项目或预算执行情况自评报告（Word / PDF），数字全部取自表内；
黄色标出的【请补充：…】处在 Word 中补写。</li>
<li><b>文件 › 文档属性</b> 修改单位名称、年度和地区模板。</li>
</ol>
<h3>常用按键</h3>
<table cellpadding="3">
<tr><td><b>Enter</b> / <b>Shift+Enter</b></td><td>确认并下移 / 上移（长文本中也一样）</td></tr>
<tr><td><b>Alt+Enter</b></td><td>单元格内换行</td></tr>
<tr><td><b>Tab</b> / <b>Shift+Tab</b></td><td>确认并右移 / 左移；Tab 后按 Enter 回到起始列的下一行</td></tr>
<tr><td><b>F2</b></td><td>编辑当前单元格（也可在表格上方的编辑栏中编辑完整内容）</td></tr>
<tr><td><b>Esc</b></td><td>取消本次输入</td></tr>
<tr><td><b>Delete</b></td><td>清除内容</td></tr>
<tr><td><b>Ctrl+C</b> / <b>Ctrl+V</b></td>
<td>复制 / 粘贴（可直接粘贴 Excel、WPS 中复制的区域，多出的行自动插入）</td></tr>
<tr><td><b>Ctrl+D</b></td><td>向下填充</td></tr>
<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Y</b></td><td>撤销 / 重做</td></tr>
<tr><td><b>Ctrl+PgDn</b> / <b>Ctrl+PgUp</b></td><td>下一张表 / 上一张表</td></tr>
<tr><td><b>F8</b> / <b>Shift+F8</b></td><td>下一个 / 上一个问题</td></tr>
<tr><td><b>F6</b></td><td>在表格列表、表格、校验结果之间切换</td></tr>
<tr><td>右键</td><td>插入行、删除行、复制、粘贴、清除内容、向下填充</td></tr>
</table>
<h3>颜色的含义</h3>
<table cellpadding="3">
<tr><td width="40" style="background:#ffffff;border:1px solid #999">　　</td><td>白色：需要填写的单元格</td></tr>
<tr><td width="40" style="background:#e8f1fb">　　</td><td>浅蓝：自动计算</td></tr>
<tr><td width="40" style="background:#f0f0f0">　　</td><td>浅灰：表格固定文字</td></tr>
<tr><td width="40" style="background:#f4f4ee">　　</td><td>待填：尚未填写（导出或打印时按错误提示）</td></tr>
<tr><td width="40" style="background:#f9d0d0">　　</td><td>红色：错误（数字互相矛盾等）</td></tr>
<tr><td width="40" style="background:#fbe8bf">　　</td><td>橙色：警告，请核对</td></tr>
</table>
<p>单元格右上角的小三角表示该单元格有问题，选中后状态栏显示说明。</p>
<p>程序每分钟自动保存；意外退出后再次打开时可以恢复。</p>
"""


def show_help(w: MainWindow) -> QDialog:
    """A window beside the main one (not modal: the officer can try things while reading)."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

    dlg = getattr(w, "help_dialog", None)
    if dlg is None:
        dlg = QDialog(w)
        dlg.setWindowTitle("使用说明")
        lay = QVBoxLayout(dlg)
        text = QTextBrowser(dlg)
        text.setObjectName("helpText")
        text.setHtml(HELP_HTML)
        lay.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dlg)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(dlg.close)
        lay.addWidget(buttons)
        screen_fit.size_within_screen(dlg, 620, 680)
        w.help_dialog = dlg
    dlg.show()
    dlg.raise_()
    return dlg


def show_about(w: MainWindow) -> None:
    from jixiao.gui import dialogs

    dialogs.show_info(w, "关于", f"绩效自评表填报工具 jixiao {__version__}\n\n"
                                "填报、校验并导出预算绩效自评表（项目支出、部门整体支出及项目单位自评汇总表）。\n"
                                "完全离线运行。")
