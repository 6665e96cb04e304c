"""Chinese prose in the report gets full-width , : ; ( ); numbers, clause codes and Latin names keep theirs.

The expected texts spell the full-width marks as escapes, so that no editor or font can blur the two:
\uff0c , \uff1a : \uff1b ; \uff08 ( \uff09 ).
"""

from __future__ import annotations

import pytest

from sanshi.writers.punctuation import full_width_page, full_width_punctuation

C, COLON, SEMI, OPEN, CLOSE = "\uff0c", "\uff1a", "\uff1b", "\uff08", "\uff09"


@pytest.mark.parametrize(
    "text, expected",
    [
        # A tie warning as the rules write it: the pair encloses Chinese, the comma follows the full-width ).
        (
            "名额线得分92.06并列(省商务厅、省能源局),按排序列取前1个",
            f"名额线得分92.06并列{OPEN}省商务厅、省能源局{CLOSE}{C}按排序列取前1个",
        ),
        # Clause items: 第(四)项 is prose, 9(1) and 6(1) are codes.
        ("能上能下办法第十条第(四)项情形", f"能上能下办法第十条第{OPEN}四{CLOSE}项情形"),
        ("能下9(1)退位(虚线)", f"能下9(1)退位{OPEN}虚线{CLOSE}"),
        ("6(1) 党建:违规用人", f"6(1) 党建{COLON}违规用人"),
        # A pair is judged by what it encloses, so both halves always match, even with Latin inside.
        (
            "取舍(规则包 county.progress_ties = by_rank;鼓励激励办法第五条第(二)项)",
            f"取舍{OPEN}规则包 county.progress_ties = by_rank{SEMI}鼓励激励办法第五条第{OPEN}二{CLOSE}项{CLOSE}",
        ),
        ("按已知年份(2021、2022)均未进入", f"按已知年份{OPEN}2021、2022{CLOSE}均未进入"),
        ("2023.xlsx(SHA-256 f585df72e4de248b…)", "2023.xlsx(SHA-256 f585df72e4de248b…)"),
        # Arithmetic keeps its numbers; the comma after it, next to Chinese, is prose.
        ("40×35%=14,向下取整为14", f"40×35%=14{C}向下取整为14"),
        ("系数100%发放;办法对此未作规定", f"系数100%发放{SEMI}办法对此未作规定"),
        # Next to Chinese punctuation or a curly quote counts as next to Chinese; the space after goes.
        ("类别「省级部门」: 名额线", f"类别「省级部门」{COLON}名额线"),
        ("搞“数字脱贫”:违反规定", f"搞“数字脱贫”{COLON}违反规定"),
        # Numbers, ratios, times, codes and Latin text are not touched.
        ("92.06", "92.06"),
        ("3:2", "3:2"),
        ("10:30", "10:30"),
        ("1,234万元", "1,234万元"),
        ("秦组容〔2023〕3号", "秦组容〔2023〕3号"),
        ("2023-12-31", "2023-12-31"),
        ("a:b; c, d (e)", "a:b; c, d (e)"),
        ("bonus.grade_factors", "bonus.grade_factors"),
        # An unmatched parenthesis is judged by its neighbours.
        ("见附件(一", f"见附件{OPEN}一"),
        ("x(1", "x(1"),
        # Already full-width stays as it is.
        (f"甲{C}乙{COLON}丙", f"甲{C}乙{COLON}丙"),
    ],
)
def test_full_width_punctuation(text, expected):
    assert full_width_punctuation(text) == expected


def test_page_changes_text_nodes_only():
    page = (
        "<html><head><style>a:hover { color: rgb(1,2,3); }</style></head>"
        '<body><p title="甲,乙">甲,乙</p>'
        '<svg viewBox="0 0 1,2"><text x="1" data-unit="甲(乙)">第(四)项</text><title>甲:乙</title></svg>'
        "<p>甲&amp;乙:丙 &#34;x&#34;:丁 &lt;甲&gt;;乙</p></body></html>"
    )
    assert full_width_page(page) == (
        "<html><head><style>a:hover { color: rgb(1,2,3); }</style></head>"
        f'<body><p title="甲,乙">甲{C}乙</p>'
        f'<svg viewBox="0 0 1,2"><text x="1" data-unit="甲(乙)">第{OPEN}四{CLOSE}项</text><title>甲{COLON}乙</title></svg>'
        # A character reference is one character to the rule: "&amp;" is never letters and a semicolon;
        # the ; after "&gt;" is next to 乙.
        f"<p>甲&amp;乙{COLON}丙 &#34;x&#34;{COLON}丁 &lt;甲&gt;{SEMI}乙</p></body></html>"
    )


def test_page_without_ascii_punctuation_is_unchanged():
    page = "<p>甲、乙。「丙」</p>"
    assert full_width_page(page) == page
