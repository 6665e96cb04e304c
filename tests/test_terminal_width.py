"""Terminal text fits the terminal (issue 17, item 7): the line breaker on hand-written examples, then
every summary through the real CLI at 80 and 200 columns: no line wider than COLUMNS, no number,
date, clause, 文号 or name split across lines, no line starting with closing punctuation."""

from __future__ import annotations

import pytest

from sanshi.writers.wrap import display_width, fill, longest_piece, wrap


def test_display_width_counts_cjk_as_two_columns():
    assert display_width("省人力资源社会保障厅") == 20
    assert display_width("8(2)") == 4
    assert display_width("秦组容〔2023〕3号") == 17


@pytest.mark.parametrize("token", [
    "126人", "30.0%", "110万元", "−30万元", "50+6×10=110万元", "8→2", "2021—2023年",
    "2023年10月17日", "2023-10-17", "第七条第(一)项", "能上能下办法第十条第(一)项", "8(2)",
    "秦组容〔2023〕3号", "shaanxi-2018", "half_up",
])
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
    assert longest_piece("鼓励激励办法第五条第(二)项;鼓励激励办法第六条第(二)项") == display_width("鼓励激励办法第五条第(二)项;")
    assert longest_piece("甲乙 丙丁", ["甲乙 丙丁"]) == 9
