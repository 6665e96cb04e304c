"""The README's marked commands. Each is the one-line fenced block on the line after an HTML comment
`<!-- ci: NAME -->`: `main` (the main job on the sample data) and `test` (the test suite). `.ci/run` runs
them in that order; tests/test_readme.py checks that each marker is there exactly once.

Usage: python3 .ci/readme_command.py NAME   (prints the command, or exits 1 saying what is wrong)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def marked_blocks(text: str, name: str) -> list[str]:
    """The contents of every fenced block right after `<!-- ci: name -->`."""
    return re.findall(r"<!-- ci: %s -->\s*```[^\n]*\n(.*?)\n```" % re.escape(name), text, re.S)


def readme_command(name: str, text: str | None = None) -> str:
    found = marked_blocks(README.read_text(encoding="utf-8") if text is None else text, name)
    if len(found) != 1 or "\n" in found[0].strip():
        raise ValueError(
            f"README.md: expected exactly one one-line block after <!-- ci: {name} -->, found {len(found)}"
        )
    return found[0].strip()


if __name__ == "__main__":
    try:
        print(readme_command(sys.argv[1]))
    except (ValueError, IndexError) as exc:
        sys.exit(str(exc))
