"""The ``reminderd`` command line.

One module per command group; each exposes ``register(subparsers)`` and sets
``func`` on its parsers. Domain errors become one-line messages and exit 1 here,
at the boundary. ``--config`` is accepted before the command and after it
(``reminderd run --config FILE``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..errors import ReminderdError, ValidationError

# Command groups, in help order. Each entry is a module under reminderd.cli.
GROUPS = ["core", "feeds", "mail", "daemon", "web", "world", "audit", "document", "catalog"]

# The group that registers each command (tests/test_cli_core.py keeps this in step with the
# groups). A command line naming one imports that group alone: each group pulls in its own
# dependencies (SQLAlchemy, the mailer, the feed writer, the web stack), and importing all of
# them cost a quarter of a second before every command. Help and unknown commands load all.
COMMANDS = {
    "check": "core", "upcoming": "core", "explain": "core", "workdays": "core", "lunar": "core",
    "token": "feeds", "export": "feeds",
    "ack": "mail", "outbox": "mail", "send-test": "mail", "tick": "mail",
    "run": "daemon", "reload": "daemon", "db": "daemon",
    "access": "web", "admin": "web", "key": "web",
    "countries": "world",
    "audit": "audit",
    "document": "document",
    "catalog": "catalog", "import": "catalog",
}


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named on the line (the first word that is not an option or --config's value)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif len(word) > 2 and "--config".startswith(word):  # argparse takes --conf, --co … too
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reminderd")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "(not installed)"


class _Version(argparse.Action):
    """``--version``, looked up only when asked for (importlib.metadata costs ~30 ms a command)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"reminderd {_version()}")
        parser.exit()


# argparse's own words (usage, errors, the help of -h) in Vietnamese, like the rest of the CLI.
_ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "show program's version number and exit": "hiện phiên bản rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "lựa chọn không hợp lệ: %(value)r (chọn một trong: %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "unrecognized arguments: %s": "tham số không hợp lệ: %s",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
}


def _vi(message: str) -> str:
    return _ARGPARSE_VI.get(message, message)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given the command line, only the part that parses it."""
    p = argparse.ArgumentParser(
        prog="reminderd",
        description="Lịch và nhắc việc đối ngoại cho UBND tỉnh (reminderd).",
    )
    p.add_argument("--version", action=_Version, nargs=0, default=argparse.SUPPRESS,
                   help="hiện phiên bản rồi thoát")
    p.add_argument("--config", metavar="PATH",
                   help="tệp cấu hình (mặc định: $REMINDERD_CONFIG hoặc config/reminderd.toml)")
    # prog given: argparse would otherwise make a help formatter to work it out, which imports
    # shutil (and bz2, lzma) for the terminal's width — before every command.
    sub = p.add_subparsers(dest="command", metavar="COMMAND", prog="reminderd")
    sub.required = True
    command = _command_of(argv) if argv is not None else None
    groups = [COMMANDS[command]] if command in COMMANDS else GROUPS
    for name in groups:
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"{__name__}.{name}":
                continue  # group not built yet
            raise
        mod.register(sub)
    _global_options_after(sub)
    return p


def _global_options_after(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Every command (and sub-command) takes ``--config`` too, so it may follow the command.

    SUPPRESS as the default: a command line that gives it only before the command keeps it."""
    for parser in set(sub.choices.values()):
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            for a in nested:
                _global_options_after(a)
            continue
        if not any("--config" in a.option_strings for a in parser._actions):
            parser.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                                help="tệp cấu hình (như --config đặt trước lệnh)")


def main(argv: Sequence[str] | None = None) -> int:
    argparse._ = _vi  # type: ignore[attr-defined]  # argparse looks its words up through _()
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        rc: int = args.func(args)
        _keep_caches()
        return rc
    except ValidationError as e:
        from ..i18n import t
        print(t("vi", "errors", n=len(e.problems)), file=sys.stderr)
        for p in e.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    except ReminderdError as e:
        print(f"reminderd: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as e:
        # A file the command needed could not be used: one line naming it, never a traceback.
        print(f"reminderd: {_os_error(e)}", file=sys.stderr)
        return 1


def _keep_caches() -> None:
    """Keep the working days this command computed for the next one (``reminderd.compiled``),
    if it loaded a runtime at all."""
    compiled = sys.modules.get("reminderd.compiled")
    if compiled is not None:
        compiled.save_workdays()


def _os_error(e: OSError) -> str:
    if e.filename is None:
        return str(e)
    return f"{e.filename}: {e.strerror or e}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
