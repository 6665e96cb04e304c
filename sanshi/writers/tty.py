"""What a terminal is for the writers: its width, and a 错误/提示 message laid out for it.

Kept apart from sanshi.writers.terminal (tabulate, the result types) so that `--help` and a usage
error, which need only these, start as fast as the rest of the command line.
"""

from __future__ import annotations

import os
import sys

from sanshi.writers.wrap import display_width, fill, wrap

DEFAULT_WIDTH = 100  # when stdout is not a terminal (a pipe, a file) and COLUMNS is not set
# Narrower than this, a table of the 依据 kind would hold a few characters a line; asking for less gives this.
MIN_WIDTH = 60


def terminal_width() -> int:
    """The width to write for: COLUMNS when it is a positive number, else the terminal's width when stdout
    is one, else DEFAULT_WIDTH."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if sys.stdout.isatty():
            return os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        pass  # a replaced stdout (a test runner's) without a file descriptor
    return DEFAULT_WIDTH


def output_width(width: int | None = None) -> int:
    """The width output is laid out to: `width` when given, else the terminal's; never below MIN_WIDTH."""
    return max(MIN_WIDTH, terminal_width() if width is None else width)


def message_width() -> int | None:
    """The width to wrap 错误/提示 messages to: COLUMNS when set, else stderr's terminal width; None on a
    pipe or in a file, where each message stays one whole line for logs and grep."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(MIN_WIDTH, int(columns))
    try:
        if sys.stderr.isatty():
            return max(MIN_WIDTH, os.get_terminal_size(sys.stderr.fileno()).columns)
    except (AttributeError, ValueError, OSError):
        pass
    return None


def message(prefix: str, text: str, width: int | None) -> str:
    """One message after its prefix (错误:, 提示:), continuation lines indented under the text."""
    if width is None:
        return prefix + text
    hang = display_width(prefix)
    first, *rest = wrap(text, width - hang)
    return "\n".join([prefix + first, *(" " * hang + line for line in rest)])


def fitted(text: str, protect: tuple[str, ...] = ()) -> str:
    """A line of output (a label and a path) wrapped to the terminal's width like the summaries above it."""
    return fill(text, output_width(), protect)
