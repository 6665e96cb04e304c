"""Hostile rule packs and document templates through the real CLI, as tests/test_fuzz.py does workbooks.

Hypothesis writes packs (the sample's local pack with a parameter or a [pack] item set to a huge number,
nan, inf, a ratio of many decimals, a wrong type, an array nested deep...) and templates (expressions of
powers, repetitions, ranges, filters and calls, nested loops, recursive macros) and runs `awards` or
`notices` on the sample year with them. Whatever they hold:

- never exit 1 (an internal error): exit 0, or exit 2 with a message and nothing written;
- never more than 1 GB: the address space is capped at what the process has plus 1 GB while the examples
  run (an allocation beyond it fails, which the CLI would report as an internal error), and the peak
  resident size is checked after each example;
- never more than 30 s an example: the render time limit (shortened to 2 s here) stops any template.

Deterministic under the default profile (tests/profiles.py); `--hypothesis-profile=fuzz` hunts at random.
"""

from __future__ import annotations

import re
import resource
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.documents import sandbox
from sanshi.rules.params import PARAMS
from tests.profiles import examples

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
BOOK = SAMPLE / "2023.xlsx"
LOCAL_PACK = (SAMPLE / "local-pack.toml").read_text(encoding="utf-8")
GIB = 1024**3
runner = CliRunner()

FUZZ = settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@contextmanager
def memory_capped():
    """The address space capped at its present size plus 1 GB (restored afterwards): a runaway allocation
    fails at once instead of taking the machine."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    size = _virtual_size()
    cap = size + GIB if hard == resource.RLIM_INFINITY else min(size + GIB, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _virtual_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 4 * GIB  # pragma: no cover - not Linux: a cap that only stops the worst


def _peak_resident() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def run_bounded(args: list[object], out: Path):
    """One CLI run: never exit 1, never over 30 s, never over 1 GB resident; on exit 2 nothing written."""
    started = time.monotonic()
    with memory_capped():
        result = runner.invoke(app, [str(a) for a in args], env={"SANSHI_DEBUG": "1"})
    elapsed = time.monotonic() - started
    note(f"exit {result.exit_code} in {elapsed:.1f} s: {result.stderr[:500]}")
    event(f"exit {result.exit_code}" + (" (rendering)" if "生成「" in result.stderr else ""))
    assert result.exit_code in (0, 2), result.output
    assert "内部错误" not in result.output
    assert elapsed < 30
    assert _peak_resident() < GIB + _baseline_resident
    if result.exit_code == 2:
        assert result.stderr.startswith("错误:") or "问题" in result.stderr
        assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))
    return result


_baseline_resident = _peak_resident()


# ---- packs ---------------------------------------------------------------------------------------------

NUMBERS = st.sampled_from(
    [
        "9223372036854775807",
        "-9223372036854775808",
        "-1",
        "0",
        "10001",
        "21",
        "1e308",
        "1e-99999999",
        "1e99999999",
        "nan",
        "inf",
        "-inf",
        "+nan",
        "0.1234567",
        "3.5",
        "true",
        "1979-05-27",
        "1979-05-27T07:32:00",
    ]
)
TEXTS = st.sampled_from(
    [
        '"1e-99999999%"',
        '"nan%"',
        '"inf"',
        '"-5%"',
        '"150%"',
        '"35.1234567%"',
        '"1/0"',
        '"9999999/1"',
        '""',
        '"35%"',
        '"x\\n@版头 伪造"',
        '"' + "长" * 5000 + '"',
    ]
)


def nested(depth: int, inner: str) -> str:
    return "[" * depth + inner + "]" * depth


VALUES = st.one_of(
    NUMBERS,
    TEXTS,
    st.builds(nested, st.integers(1, 3000), st.sampled_from(["", "1", '"a"', "{ }"])),
    st.builds(lambda n, v: "[" + ", ".join([v] * n) + "]", st.integers(0, 50), st.one_of(NUMBERS, TEXTS)),
    st.builds(
        lambda size, amount: f'[{{ name = "一等奖", size = {size}, amount = {amount} }}]',
        st.one_of(NUMBERS, st.integers(-5, 20).map(str)),
        st.one_of(NUMBERS, st.integers(0, 100).map(str)),
    ),
    st.builds(lambda v: f'{{ "县" = {v} }}', st.one_of(NUMBERS, TEXTS)),
)
PACK_ITEMS = st.sampled_from(
    ["name", "title", "caveats", "issued_on", "effective_from", "source", "base", "description", "full_titles"]
)
DOCUMENT_ITEMS = st.sampled_from(["first_number", "code", "header", "contact", "publicity_start"])  # not yet set


@st.composite
def hostile_packs(draw) -> str:
    """The sample's local pack with up to three things made hostile."""
    text = LOCAL_PACK
    for _ in range(draw(st.integers(0, 3))):  # 0: the clean pack, which must still run
        where = draw(st.sampled_from(["param", "pack", "documents", "section"]))
        value = draw(VALUES)
        if where == "param":
            key = draw(st.sampled_from([spec.key for spec in PARAMS]))
            text += f"\n[{key}]\nvalue = {value}\n"
        elif where == "pack":
            item = draw(PACK_ITEMS)
            line = f"{item} = {value}"
            if re.search(rf"^{item} = ", text, flags=re.M):
                text = re.sub(rf"^{item} = .*$", lambda _: line, text, count=1, flags=re.M)
            else:
                text = text.replace("[pack]\n", f"[pack]\n{line}\n", 1)
        elif where == "documents":
            text = text.replace("[documents]\n", f"[documents]\n{draw(DOCUMENT_ITEMS)} = {value}\n", 1)
        else:
            text = f"{draw(st.sampled_from(['pack', 'documents', 'county', 'target']))} = {value}\n" + text
    return text


@FUZZ
@given(pack=hostile_packs())
def test_hostile_packs_are_exit_0_or_2_bounded(pack, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pack")
    path = folder / "hostile.toml"
    path.write_text(pack, encoding="utf-8")
    note(pack[-400:])
    out = folder / "out"
    run_bounded(["awards", BOOK, "--rules", path, "--out", out], out)


# ---- templates -----------------------------------------------------------------------------------------

ATOMS = st.sampled_from(
    [
        "1",
        "0",
        "7",
        "10",
        "10000",
        "10**9",
        "-3",
        "2.5",
        "1e308",
        "'x'",
        "'nan'",
        "'inf'",
        "'{0.__class__}'",
        "'%1000000000d'",
        "year",
        "doc.date",
        "doc.serial",
        "groups",
        "groups[0].units",
        "clause",
        "[1, 2, 3]",
        "range(5)",
        "range(10**9)",
        "namespace(s='x')",
        "{}",
        "none",
    ]
)
FILTERS = st.sampled_from(
    [
        "wan",
        "yuan",
        "string",
        "length",
        "list",
        "cn_number",
        "numbering",
        "numbering(9)",
        "center(1000000000)",
        "indent(10000)",
        "join('、')",
        "format(1)",
        "batch(1000000000)",
        "int",
        "float",
        "sum",
        "first",
        "sort",
        "cn_date",
        "cite",
        "replace('x', 'xx')",
        "round(1000000)",
        "truncate(5)",
        "wordwrap(1000000000)",
        "tojson",
        "unique",
    ]
)
OPERATORS = st.sampled_from(["**", "*", "+", "-", "/", "//", "%", "~", "==", "in"])
CALLS = st.sampled_from(
    [
        ".zfill(10**9)",
        ".center(5)",
        ".replace('', 'xx')",
        ".format(1)",
        ".format_map({})",
        ".upper()",
        ".split()",
        ".replace(year=10000)",
        ".items()",
        ".__class__",
    ]
)

EXPRESSIONS = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, OPERATORS, inner),
        st.builds(lambda a, f: f"({a})|{f}", inner, FILTERS),
        st.builds(lambda a, c: f"({a}){c}", inner, CALLS),
        st.builds(lambda a, b: f"({a})[{b}]", inner, inner),
    ),
    max_leaves=6,
)


@st.composite
def hostile_templates(draw) -> str:
    """A template of a few lines: output expressions, loops (nested), sets, macros (recursive or not)."""
    lines = ["# 标题"]
    for _ in range(draw(st.integers(1, 4))):
        shape = draw(st.sampled_from(["output", "loop", "set", "macro", "markup", "include"]))
        expression = draw(EXPRESSIONS)
        if shape == "output":
            lines.append("{{ " + expression + " }}")
        elif shape == "loop":
            depth = draw(st.integers(1, 3))
            heads = "".join(
                f"{{% for i{d} in {draw(st.sampled_from(['range(10000)', expression, '[1]*1000']))} %}}"
                for d in range(depth)
            )
            lines.append(heads + "{{ " + expression + " }}" + "{% endfor %}" * depth)
        elif shape == "set":
            lines.append(
                "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
            )
        elif shape == "macro":
            body = draw(st.sampled_from(["{{ m(s ~ s) }}", "{{ m(s) }}", "{{ s }}"]))
            lines.append("{% macro m(s) %}" + body + "{% endmacro %}{{ m(" + expression + ") }}")
        elif shape == "markup":
            lines.append(
                draw(st.sampled_from(["| a | b |", "| 1 |", "@未知 x", "@版头 {{ year }}", "## {{ clause }}"]))
            )
        else:
            lines.append(draw(st.sampled_from(["{% include '公示.md.j2' %}", "{% include 'none.j2' %}"])))
    return "\n".join(lines) + "\n"


@FUZZ
@given(template=hostile_templates())
def test_hostile_templates_are_exit_0_or_2_bounded(template, tmp_path_factory, monkeypatch_session):
    folder = tmp_path_factory.mktemp("templates")
    (folder / "公示.md.j2").write_text(template, encoding="utf-8")
    note(template)
    out = folder / "out"
    run_bounded(
        [
            "notices",
            BOOK,
            "--rules",
            SAMPLE / "local-pack.toml",
            "--templates",
            folder,
            "--kind",
            "公示",
            "--format",
            "html",
            "--out",
            out,
        ],
        out,
    )


@pytest.fixture(scope="module")
def monkeypatch_session():
    """The render time limit shortened to 2 s for these examples (the bound is the same code)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sandbox, "RENDER_SECONDS", 2.0)
        yield patch
