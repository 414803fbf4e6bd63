"""The ``reminderd`` command line (SPEC §5).

One module per command group; each exposes ``register(subparsers)`` and sets
``func`` on its parsers. Domain errors become one-line messages and exit 1 here,
at the boundary.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..errors import ReminderdError, ValidationError

# Command groups, in help order. Each entry is a module under reminderd.cli.
GROUPS = ["core", "feeds", "mail", "daemon", "web", "world"]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reminderd")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "(not installed)"


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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reminderd",
        description="Lịch và nhắc việc đối ngoại cho UBND tỉnh (reminderd).",
    )
    p.add_argument("--version", action="version", version=f"reminderd {_version()}")
    p.add_argument("--config", metavar="PATH",
                   help="tệp cấu hình (mặc định: $REMINDERD_CONFIG hoặc config/reminderd.toml)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in GROUPS:
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"{__name__}.{name}":
                continue  # group not built yet
            raise
        mod.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argparse._ = _vi  # type: ignore[attr-defined]  # argparse looks its words up through _()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        rc: int = args.func(args)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
