"""Terminal text fits the terminal: the line breaker on hand-written examples, then
every summary through the real CLI at 80 and 200 columns: no line wider than COLUMNS, no number,
date, clause, 文号 or name split across lines, no line starting with closing punctuation."""

from __future__ import annotations

import pytest

from sanshi.writers.wrap import display_width, fill, longest_piece, wrap


def test_display_width_counts_cjk_as_two_columns():
    assert display_width("省人力资源社会保障厅") == 20
    assert display_width("8(2)") == 4
    assert display_width("秦组容〔2023〕3号") == 17


@pytest.mark.parametrize(
    "token",
    [
        "126人",
        "30.0%",
        "110万元",
        "−30万元",
        "50+6×10=110万元",
        "8→2",
        "2021—2023年",
        "2023年10月17日",
        "2023-10-17",
        "第七条第(一)项",
        "能上能下办法第十条第(一)项",
        "8(2)",
        "秦组容〔2023〕3号",
        "shaanxi-2018",
        "half_up",
        "GB/T 9704-2012",
    ],
)
def test_a_token_is_never_split(token):
    """Whatever the width, the token is whole on one line, as long as it fits on a line at all."""
    # A 文号's 代字 is only known where something sets it off from the words before it.
    text = f"前面的文字,违反贫困退出规定{'(' if '〔' in token else ''}{token}后面的文字还有很多"
    # An opening parenthesis goes down with the token, so the narrowest line is a little wider than the token.
    narrowest = longest_piece(text)
    assert narrowest <= display_width(token) + 1
    for width in range(narrowest, display_width(text) + 1):
        lines = wrap(text, width)
        assert all(display_width(line) <= width for line in lines), (width, lines)
        assert any(token in line for line in lines), (width, lines)
        assert "".join(lines) == text


def test_a_file_extension_keeps_its_dot():
    """`.html` after a space is one piece: the dot never ends one line with `html` starting the next."""
    text = "(.docx 按 GB/T 9704,另有 .html 预览)"
    for width in range(longest_piece(text), display_width(text) + 1):
        lines = wrap(text, width)
        assert any(".html" in line for line in lines) and any(".docx" in line for line in lines), (width, lines)


def test_words_between_chinese_characters_break_anywhere():
    assert wrap("虚报脱贫人口126人", 14) == ["虚报脱贫人口", "126人"]
    assert wrap("甲乙丙丁戊己", 6) == ["甲乙丙", "丁戊己"]


def test_closing_punctuation_never_starts_a_line():
    # 口 fits on the first line but 、 would start the second: the two go down together.
    assert wrap("一二三四五六七八九口、省政府", 20) == ["一二三四五六七八九", "口、省政府"]
    assert wrap("受到省委、省政府通报批评", 8) == ["受到省", "委、省政", "府通报批", "评"]


KINSOKU_TEXT = "县(市)第1名、进位幅度「第一」(含并列),省人力资源社会保障厅《通报》〔2023〕"


def test_kinsoku_both_ways():
    for width in range(longest_piece(KINSOKU_TEXT), 30):
        for line in wrap(KINSOKU_TEXT, width):
            assert line[0] not in "、,。;:)」』》〕!?", (width, line)
            assert line[-1] not in "(「『《〔", (width, line)


def test_protected_names_stay_whole():
    text = "受到通报批评或责任追究:省人力资源社会保障厅一般生产安全责任事故"
    for width in range(20, display_width(text)):
        assert any("省人力资源社会保障厅" in line for line in wrap(text, width, ["省人力资源社会保障厅"]))
    # Without the name, the unit may be cut like any other Chinese text.
    assert not any("省人力资源社会保障厅" in line for line in wrap(text, 30))


def test_spaces_are_break_opportunities_and_dropped_at_the_break():
    assert wrap("容错免责 秦组容〔2023〕5号", 17) == ["容错免责", "秦组容〔2023〕5号"]
    assert wrap("名次 8→2,进6位", 8) == ["名次", "8→2,进", "6位"]


def test_a_token_wider_than_the_line_is_cut_as_last_resort():
    lines = wrap("能上能下办法第十条第(一)项", 10)
    assert all(display_width(line) <= 10 for line in lines) and "".join(lines) == "能上能下办法第十条第(一)项"


def test_indentation_and_existing_newlines_are_kept():
    assert fill("  用途:甲乙丙丁戊己庚辛\n第二行", 12) == "  用途:甲乙\n  丙丁戊己庚\n  辛\n第二行"


def test_longest_piece_is_the_narrowest_column():
    assert longest_piece("鼓励激励办法第五条第(二)项;鼓励激励办法第六条第(二)项") == display_width(
        "鼓励激励办法第五条第(二)项;"
    )
    assert longest_piece("甲乙 丙丁", ["甲乙 丙丁"]) == 9


# ---- Every summary through the real CLI, at 80 and 200 columns ------------------------------------------

import re  # noqa: E402
import shutil  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import openpyxl  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from sanshi.cli import app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PACK = SAMPLE / "local-pack.toml"
# The tokens the issue found split: counts, money, percentages, dates, clauses, 文号.
TOKEN = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|[\u4e00-\u9fff]{1,6}〔\d{4}〕\d+号"
    r"|(?:鼓励激励|能上能下|容错纠错)?(?:办法)?第[一二三四五六七八九十]+条(?:第[((][一二三四五六七八九十]+[))]项)?"
    r"|[+\-−]?\d+(?:\.\d+)?(?:万元|元|人次|人|%|名|位|个)"
)
CLOSING_START = tuple("、,。;:)」』》〕】!?%")


def _names_in_sample() -> set[str]:
    """Every unit and person the sample workbook names (its 单位 and 姓名 columns)."""
    names = set()
    book = openpyxl.load_workbook(SAMPLE / "2023.xlsx", read_only=True)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        for at, header in enumerate(rows[:3]):
            columns = [i for i, h in enumerate(header) if h in ("单位", "姓名", "县(市、区)", "县(市、区)")]
            if columns:
                names.update(
                    str(row[i]).strip()
                    for row in rows[at + 1 :]
                    for i in columns
                    if i < len(row) and isinstance(row[i], str) and len(row[i].strip()) > 1
                )
                break
    return names


NAMES = _names_in_sample()
COMMANDS = {
    "awards": ["awards", SAMPLE / "2023.xlsx", "--rules", PACK],
    "demotions": ["demotions", SAMPLE / "2023.xlsx", "--rules", PACK],
    "promotions": ["promotions", SAMPLE / "2023.xlsx", "--rules", PACK],
    "explain unit": ["explain", SAMPLE / "2023.xlsx", "鹤亭县", "--rules", PACK],
    "explain person": ["explain", SAMPLE / "2023.xlsx", "汤志", "--rules", PACK],
    "rules show": ["rules", "show", "--rules", "shaanxi-2018"],
    "rules show local": ["rules", "show", "--rules", PACK],
    "year": ["year", SAMPLE / "2023.xlsx", "--rules", PACK, "--templates", ROOT / "sanshi" / "documents" / "templates"],
}


def _run(tmp_path_factory, sample_db, args: list, columns: int) -> str:
    where = tmp_path_factory.mktemp("cols")
    if args[0] == "year":  # the year end records its run in the store: a copy of it
        sample_db = Path(shutil.copy(sample_db, where / "sanshi.db"))
    extra = ["--db", sample_db, "--out", where] if args[0] not in ("rules",) else []
    if args[0] == "explain":
        extra = ["--db", sample_db]
    result = CliRunner().invoke(app, [str(a) for a in (*args, *extra)], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_summary_fits_80_and_200_columns_and_splits_nothing(command, tmp_path_factory, sample_db):
    (narrow, narrow_notes), (wide, wide_notes) = (
        _run(tmp_path_factory, sample_db, COMMANDS[command], columns) for columns in (80, 200)
    )
    for text, columns in ((narrow, 80), (wide, 200), (narrow_notes, 80), (wide_notes, 200)):
        too_wide = [line for line in text.splitlines() if display_width(line) > columns]
        assert not too_wide, (columns, too_wide[:3])
        starts = [line for line in text.splitlines() if line.lstrip().startswith(CLOSING_START)]
        assert not starts, (columns, starts[:3])
    # Nothing is split at 80 columns: every token and every unit or person appears as often as at 200.
    assert Counter(TOKEN.findall(narrow)) == Counter(TOKEN.findall(wide))
    named = {name: wide.count(name) for name in NAMES if name in wide}
    assert named or command.startswith(("rules", "year")), "the summary names nobody from the sample workbook"
    assert {name: narrow.count(name) for name in named} == named
    # The tables use a wide terminal: the width is not ignored.
    if command in ("awards", "demotions", "promotions", "rules show"):
        assert max(display_width(line) for line in wide.splitlines()) > 80


def test_messages_wrap_under_their_prefix_on_a_terminal_and_stay_whole_on_a_pipe(tmp_path):
    bad = tmp_path / "2023.xlsx"
    openpyxl.Workbook().save(bad)
    args = ["awards", str(bad), "--db", str(tmp_path / "h.db"), "--out", str(tmp_path)]
    narrow = CliRunner().invoke(app, args, env={"COLUMNS": "60"})
    piped = CliRunner().invoke(app, args, env={"COLUMNS": ""})
    assert narrow.exit_code == piped.exit_code == 2
    lines = narrow.stderr.splitlines()
    hang = " " * display_width("错误:")
    assert len(lines) > 1 and all(display_width(line) <= 60 for line in lines)
    assert lines[0].startswith("错误:") and all(line.startswith(("错误:", hang)) for line in lines[1:])
    # On a pipe each message is one whole line, saying what the wrapped one says.
    assert len(piped.stderr.splitlines()) == sum(1 for line in lines if line.startswith("错误:"))
    assert "".join(piped.stderr.split()) == "".join(narrow.stderr.split())


def test_a_pipe_without_columns_gets_the_default_width(tmp_path, sample_db):
    result = CliRunner().invoke(
        app,
        ["awards", str(SAMPLE / "2023.xlsx"), "--rules", str(PACK), "--db", str(sample_db), "--out", str(tmp_path)],
        env={"COLUMNS": ""},
    )
    assert result.exit_code == 0, result.output
    assert max(display_width(line) for line in result.stdout.splitlines()) <= 100
