"""Entry point frozen by installer.spec: the ``jixiao`` command (and, on
Windows, the windowed ``jixiao-gui.exe`` built from the same script).

``jixiao-gui`` (double-click, Start menu, file association) always means the
desktop app, so ``jixiao-gui 2024.jxzp`` opens the document; ``jixiao
2024.jxzp`` does the same as a convenience. Everything else is
:func:`jixiao.cli.main`.
"""

from __future__ import annotations

import os
import sys


def cli_commands() -> set[str]:
    """The subcommands of ``jixiao.cli.build_parser()``: the command line is the one
    place they are listed. Building the parser costs ~15 ms (argparse, jixiao.cli), so
    it is asked only when a lone argument is both an existing file and a possible
    command name (see :func:`_gui_args`): never on a plain start or ``jixiao 2024.jxzp``."""
    import argparse

    from jixiao.cli import build_parser

    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _could_be_command(arg: str) -> bool:
    """A command name is a plain word: no dot, no path separator (a document name has both or either)."""
    return arg[:1].isalpha() and arg.replace("-", "").replace("_", "").isalnum()


def _gui_args(args: list[str]) -> list[str]:
    exe = os.path.splitext(os.path.basename(sys.executable))[0].lower()
    if exe.endswith("-gui"):
        return args if args[:1] == ["gui"] else ["gui", *args]
    if (len(args) == 1 and not args[0].startswith("-") and os.path.isfile(args[0])
            and not (_could_be_command(args[0]) and args[0] in cli_commands())):
        return ["gui", *args]
    return args


def _input_method() -> None:
    """Chinese input in the frozen app on Linux.

    The bundled Qt carries the ibus input-context plugin but not fcitx's (that
    one is built against the system Qt). fcitx5, the usual IME on UOS and
    Kylin, also speaks the ibus protocol, so point Qt at ibus when the session
    asks for fcitx and no fcitx plugin is bundled. JIXIAO_KEEP_IM=1 opts out.
    """
    if not sys.platform.startswith("linux") or not getattr(sys, "frozen", False):
        return
    if os.environ.get("JIXIAO_KEEP_IM") == "1":
        return
    wanted = os.environ.get("QT_IM_MODULE", "")
    if wanted.startswith("fcitx"):
        plugins = os.path.join(getattr(sys, "_MEIPASS", ""), "PySide6", "Qt", "plugins", "platforminputcontexts")
        try:
            have = os.listdir(plugins)
        except OSError:
            have = []
        if not any("fcitx" in name for name in have):
            os.environ["QT_IM_MODULE"] = "ibus"


def main() -> int:
    _input_method()
    args = _gui_args(sys.argv[1:]) or ["gui"]
    if args[0] == "gui" and len(args) <= 2 and not any(a.startswith("-") for a in args[1:]):
        # Double-click, Start menu, file association: straight to the window,
        # without building the command line's parser (part of the start-up budget).
        from jixiao.gui.app import run_gui

        return run_gui(args[1] if len(args) == 2 else None)
    from jixiao.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
