"""The document layer: filters, markup, [documents] settings, template checks, file names and batches."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.documents import batch as batch_module
from sanshi.documents.batch import Batch, DocFormat, WRITERS, safe_part, write
from sanshi.documents.config import parse_settings
from sanshi.documents.filters import FilterError, cn_date, cn_number, numbering, wan, wenhao, yuan
from sanshi.documents.kinds import KIND_NAMES, KINDS, KINDS_BY_NAME
from sanshi.documents.markup import MarkupError, parse, to_markup, typeset
from sanshi.documents.model import Block, BlockKind, Document
from sanshi.documents.render import TemplateSet
from sanshi.errors import OutputExistsError, PackError, TemplateError

ROOT = Path(__file__).resolve().parent.parent


# ---- filters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        (date(2023, 12, 1), "2023年12月1日"),
        (date(2024, 1, 15), "2024年1月15日"),
        ("2023-03-05", "2023年3月5日"),
    ],
)
def test_cn_date_has_no_leading_zeros(value, text):
    assert cn_date(value) == text


def test_cn_date_refuses_what_is_not_a_date():
    with pytest.raises(FilterError, match="不是日期"):
        cn_date("2023年12月")
    with pytest.raises(FilterError):
        cn_date(None)


def test_wenhao_puts_the_year_in_hexagonal_brackets_without_leading_zeros():
    assert wenhao("陕组发", 2023, 12) == "陕组发〔2023〕12号"
    assert wenhao("示政函", 2024, 82) == "示政函〔2024〕82号"
    with pytest.raises(FilterError):
        wenhao("陕组发", 2023, 0)
    with pytest.raises(FilterError):
        wenhao("", 2023, 1)
    with pytest.raises(FilterError):
        wenhao("陕组发", "2023", 1)


@pytest.mark.parametrize(
    "amount, text",
    [
        (Decimal("110"), "110万元"),
        (Decimal("12.50"), "12.5万元"),
        (Decimal("100.00"), "100万元"),
        (0, "0万元"),
    ],
)
def test_wan_writes_amounts_without_spare_decimals(amount, text):
    assert wan(amount) == text


def test_yuan_and_bad_amounts():
    assert yuan(Decimal("8000")) == "8000元"
    with pytest.raises(FilterError):
        wan(None)
    with pytest.raises(FilterError):
        wan("一百")


@pytest.mark.parametrize(
    "index, level, text",
    [
        (1, 1, "一、"),
        (10, 1, "十、"),
        (12, 1, "十二、"),
        (21, 1, "二十一、"),
        (3, 2, "（三）"),
        (11, 2, "（十一）"),
        (4, 3, "4."),
        (4, 4, "（4）"),
    ],
)
def test_numbering_follows_the_four_gbt_levels(index, level, text):
    assert numbering(index, level) == text


def test_numbering_refuses_level_5_and_zero():
    with pytest.raises(FilterError):
        numbering(1, 5)
    with pytest.raises(FilterError):
        numbering(0, 1)


@pytest.mark.parametrize(
    "n, text",
    [
        (0, "零"),
        (8, "八"),
        (10, "十"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1010, "一千零一十"),
        (2023, "二千零二十三"),
    ],
)
def test_cn_number(n, text):
    assert cn_number(n) == text


# ---- markup -----------------------------------------------------------------------------


def test_markup_lines_become_blocks_in_order():
    text = (
        "@版头 中共示例省委组织部文件\n@发文字号 示组发〔2024〕3号\n# 关于某事的通知\n@主送 各市委组织部:\n\n"
        "正文第一段\n## 一、标题\n### （一）小标题\n#### 1.三级\n| 序号 | 单位 |\n|---|---|\n| 1 | 甲县 |\n"
        "@落款 中共示例省委组织部\n@成文日期 2024年1月15日\n@附注 此件公开发布\n"
    )
    kinds = [b.kind for b in parse(text)]
    assert kinds == [
        BlockKind.ISSUER_MARK,
        BlockKind.DOC_NUMBER,
        BlockKind.TITLE,
        BlockKind.RECIPIENTS,
        BlockKind.PARAGRAPH,
        BlockKind.HEADING1,
        BlockKind.HEADING2,
        BlockKind.HEADING3,
        BlockKind.TABLE,
        BlockKind.SIGNATURE,
        BlockKind.DATE,
        BlockKind.NOTE,
    ]
    table = parse(text)[8]
    assert table.rows == (("序号", "单位"), ("1", "甲县"))
    assert parse(to_markup(parse(text))) == parse(text)


def test_typeset_makes_punctuation_full_width_but_keeps_digit_groups_and_times():
    assert typeset("名次 8→2,进6位:50+6×10=110万元") == "名次 8→2，进6位：50+6×10=110万元"
    assert typeset("(含未投或弃权1票);完") == "（含未投或弃权1票）；完"
    assert typeset("共1,000份,9:30开会") == "共1,000份，9:30开会"


def test_unknown_marker_and_ragged_table_name_the_rendered_line():
    with pytest.raises(MarkupError, match=r"未知标记 @落\(可用 @版头") as caught:
        parse("# 标题\n@落 某机关\n")
    assert caught.value.line == 2
    with pytest.raises(MarkupError, match="列数不一致") as caught:
        parse("正文\n| a | b |\n| 1 |\n")
    assert caught.value.line == 3  # the row unlike the header


# ---- [documents] settings ---------------------------------------------------------------


def test_settings_are_checked_strictly_and_all_problems_reported():
    raw = {
        "isuer": "某机关",
        "date": "2024-01-15",
        "first_number": 0,
        "公告": {"issuer": "甲"},
        "公示": {"publicity_start": date(2024, 1, 10), "publicity_end": date(2024, 1, 9)},
    }
    with pytest.raises(PackError) as caught:
        parse_settings(raw, "local.toml", KIND_NAMES)
    text = "\n".join(caught.value.messages)
    assert "local.toml › [documents] isuer: 未知项(是否想写 issuer?)" in text
    assert "local.toml › [documents] date(成文日期): 应为不加引号的日期(如 2024-01-15),实际为 '2024-01-15'" in text
    assert "first_number(本类公文第一份的发文顺序号,其后每份加1): 应为正整数,实际为 0" in text
    assert '[documents."公告"]: 未知公文类型' in text
    assert "公示 的公示结束日期 2024-01-09 早于开始日期 2024-01-10" in text
    assert len(caught.value.messages) == 5


def test_a_kind_section_overrides_the_shared_values():
    settings = parse_settings(
        {"issuer": "组织部", "code": "示组发", "表彰通报": {"issuer": "省人民政府"}}, "local.toml", KIND_NAMES
    )
    assert settings.for_kind("表彰通报")["issuer"] == "省人民政府"
    assert settings.for_kind("谈话通知")["issuer"] == "组织部"
    assert settings.for_kind("谈话通知")["header"] is None  # optional: present, unset


# ---- templates --------------------------------------------------------------------------


def _templates(tmp_path: Path, kind: str, text: str) -> tuple[TemplateSet, object]:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / f"{kind}.md.j2").write_text(text, encoding="utf-8")
    return TemplateSet(folder), KINDS_BY_NAME[kind]


SETTINGS = parse_settings(
    {"issuer": "中共示例省委组织部", "date": date(2024, 1, 15), "code": "示考办发", "first_number": 1},
    "local.toml",
    KIND_NAMES,
)


def test_a_misspelt_variable_is_found_before_rendering_with_template_and_line(tmp_path):
    templates, kind = _templates(tmp_path, "奖励资金通知", "# 关于{{ unit }}的通知\n正文\n合计{{ totl|wan }}\n")
    problems = templates.check(kind, SETTINGS)
    assert len(problems) == 1
    assert "奖励资金通知.md.j2 第3行:变量 totl 不存在" in problems[0]


def test_a_setting_the_pack_lacks_names_the_pack_key_and_template_line(tmp_path):
    templates, kind = _templates(tmp_path, "奖励资金通知", "# 通知\n@主送 {{ doc.recipients }}:\n{{ doc.isuer }}\n")
    problems = templates.check(kind, SETTINGS)
    assert any("doc.isuer 不是发文设置" in p and "第3行" in p for p in problems)
    assert any(p.startswith("local.toml › [documents]:缺少 recipients(主送机关)") and "第2行" in p for p in problems)


def test_a_missing_attribute_stops_rendering_with_the_line(tmp_path):
    templates, kind = _templates(
        tmp_path, "奖励资金通知", "# 通知\n\n{% for a in awards %}\n{{ a.amout }}\n{% endfor %}\n"
    )
    assert templates.check(kind, SETTINGS) == []
    with pytest.raises(TemplateError, match=r"奖励资金通知.md.j2 第4行:值不存在"):
        templates.render(kind, {"awards": [{"amount": Decimal(1)}]})


def test_syntax_errors_and_filter_refusals_name_the_line(tmp_path):
    templates, kind = _templates(tmp_path, "谈话通知", "# 通知\n{% if person %}\n")
    with pytest.raises(TemplateError, match="第2行:模板语法错误"):
        templates.check(kind, SETTINGS)
    templates, kind = _templates(tmp_path, "谈话通知", "# 通知\n\n{{ doc.date|wenhao(2024, 0) }}\n")
    with pytest.raises(TemplateError, match="第3行:wenhao"):
        templates.render(kind, {"doc": {"date": date(2024, 1, 1)}})


def test_the_sandbox_refuses_python_internals(tmp_path):
    templates, kind = _templates(tmp_path, "谈话通知", "{{ person.__class__.__mro__ }}\n")
    with pytest.raises(TemplateError):
        templates.render(kind, {"person": {"name": "甲"}})


def test_every_shipped_template_uses_only_known_variables_and_settings():
    templates = TemplateSet(ROOT / "sanshi" / "documents" / "templates")
    everything = parse_settings(
        {
            "issuer": "甲",
            "header": "甲文件",
            "code": "甲发",
            "first_number": 1,
            "recipients": "乙",
            "date": date(2024, 1, 15),
            "publicity_start": date(2024, 1, 5),
            "publicity_end": date(2024, 1, 10),
            "contact": "丙",
            "organs": {"县": "中共{unit}委"},
            "cc": "丁",
            "printer": "甲办公室",
            "print_date": date(2024, 1, 15),
        },
        "x.toml",
        KIND_NAMES,
    )
    for kind in KINDS:
        assert templates.check(kind, everything) == [], kind.name


# ---- file names and writing -------------------------------------------------------------


@pytest.mark.parametrize(
    "name, safe",
    [
        ("青山县", "青山县"),
        ("../etc/passwd", "__etc_passwd"),
        ('甲:乙*丙?"丁"<戊>|己\\庚', "甲_乙_丙_丁_戊_己_庚"),
        ("CON", "_CON"),
        ("lpt1", "_lpt1"),
        ("  县. ", "县"),
        ("..", "_"),
    ],
)
def test_file_name_parts_are_safe_on_windows(name, safe):
    assert safe_part(name) == safe


def test_long_names_are_cut_to_a_bound():
    assert safe_part("某" * 100) == "某" * 40


def _doc(seq: int, subject: str, kind: str = "奖励资金通知") -> Document:
    return Document(
        kind, subject, seq, (Block(BlockKind.TITLE, f"关于{subject}的通知"), Block(BlockKind.PARAGRAPH, "正文"))
    )


def test_file_names_are_numbered_by_the_whole_year_and_stay_inside_their_folder(tmp_path):
    batch = Batch(2023, [_doc(7, "../青/山县"), _doc(1200, "甲县")], sizes={"奖励资金通知": 1200})
    paths = [p for _, _, p in batch.paths(tmp_path, [DocFormat.docx])]
    folder = tmp_path / "2023年度公文" / "奖励资金通知"
    assert paths == [folder / "0007-__青_山县-奖励资金通知.docx", folder / "1200-甲县-奖励资金通知.docx"]


def test_every_format_has_a_writer():
    assert set(WRITERS) == set(DocFormat)


def test_write_never_overwrites_without_force(tmp_path):
    batch = Batch(2023, [_doc(1, "甲县")], sizes={"奖励资金通知": 1})
    [path] = write(batch, tmp_path, [DocFormat.html])
    path.write_text("已修改", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="--force"):
        write(batch, tmp_path, [DocFormat.html])
    assert path.read_text(encoding="utf-8") == "已修改"
    write(batch, tmp_path, [DocFormat.html], force=True)
    assert "关于甲县的通知" in path.read_text(encoding="utf-8")


def test_a_batch_failing_half_way_leaves_only_whole_files(tmp_path, monkeypatch):
    calls = []

    def flaky(document):
        calls.append(document.seq)
        if document.seq == 3:
            raise OSError("磁盘已满")
        return b"<html>whole</html>"

    monkeypatch.setattr(batch_module, "writer", lambda fmt: flaky)
    batch = Batch(2023, [_doc(i, f"县{i}") for i in (1, 2, 3, 4)], sizes={"奖励资金通知": 4})
    with pytest.raises(OSError):
        write(batch, tmp_path, [DocFormat.html])
    folder = tmp_path / "2023年度公文" / "奖励资金通知"
    assert sorted(p.name for p in folder.iterdir()) == ["001-县1-奖励资金通知.html", "002-县2-奖励资金通知.html"]
    assert all(p.read_bytes() == b"<html>whole</html>" for p in folder.iterdir())


def test_a_typo_in_the_documents_section_stops_even_the_awards_run(book, tmp_path):
    pack = tmp_path / "local.toml"
    pack.write_text('[pack]\nname = "本地"\nbase = "shaanxi-2018"\n\n[documents]\nisuer = "某机关"\n', encoding="utf-8")
    path = book({"目标责任考核": [["单位", "类别", "综合得分"], ["甲市", "设区市", 90]]})
    result = CliRunner().invoke(app, ["check", str(path), "--rules", str(pack)])
    assert result.exit_code == 2
    assert "local.toml › [documents] isuer: 未知项(是否想写 issuer?)" in result.stderr


def test_html_preview_escapes_text_and_breaks_the_title_as_the_docx_does():
    from sanshi.writers.html import html_text

    doc = Document(
        "奖励资金通知",
        "甲县",
        1,
        (
            Block(BlockKind.ISSUER_MARK, "示例省目标责任考核领导小组办公室文件"),
            Block(BlockKind.TITLE, "关于下达鹤亭县2023年度考核奖励资金的通知"),
            Block(BlockKind.PARAGRAPH, '<script>alert("x")</script>&'),
            Block(BlockKind.TABLE, rows=(("序号", "单位"), ("1", "<b>甲县</b>"))),
            Block(BlockKind.NOTE, "此件公开发布"),
        ),
    )
    page = html_text(doc)
    assert "关于下达鹤亭县2023年度<br>考核奖励资金的通知" in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in page and "<script>" not in page
    assert '<td class="center">&lt;b&gt;甲县&lt;/b&gt;</td>' in page
    assert "（此件公开发布）" in page
    assert 'style="font-size: 23pt"' in page  # 18 characters in 430 pt: 23.9, so 23 pt


# ---- 主送 as an organ, and settings an office would not sign ------------------------------


ORGANS = {"县": "中共{unit}委、{unit}人民政府", "区": "中共{unit}委、{unit}人民政府", "*": "{unit}党组(党委)"}


@pytest.mark.parametrize(
    "unit, organ",
    [
        ("鹤亭县", "中共鹤亭县委、鹤亭县人民政府"),
        ("杏水区", "中共杏水区委、杏水区人民政府"),
        ("省中医药管理局", "省中医药管理局党组(党委)"),
    ],
)
def test_a_document_to_a_unit_is_addressed_to_its_organ(unit, organ):
    from sanshi.documents.filters import organ as organ_filter

    assert organ_filter(unit, ORGANS) == organ


def test_a_unit_no_organ_pattern_fits_is_named_with_the_setting():
    from sanshi.documents.filters import organ as organ_filter

    with pytest.raises(FilterError, match="organs 中没有适用于「龙滩市」的写法"):
        organ_filter("龙滩市", {"县": "中共{unit}委"})


def shared_settings(**changes):
    values = {
        "issuer": "甲",
        "code": "甲发",
        "first_number": 1,
        "recipients": "乙",
        "date": date(2024, 1, 19),
        "publicity_start": date(2024, 1, 10),
        "publicity_end": date(2024, 1, 16),
        "contact": "丙",
        "organs": ORGANS,
        "printer": "甲办公室",
        "print_date": date(2024, 1, 19),
    }
    values.update(changes)
    return values


def settings_problems(raw) -> list[str]:
    with pytest.raises(PackError) as caught:
        parse_settings(raw, "local.toml", KIND_NAMES)
    return caught.value.messages


def test_a_notice_dated_before_the_publicity_period_ends_is_a_settings_error():
    # The 公示 runs 1月10日 to 1月16日 (both days count): a 通报 dated the 16th is too early.
    problems = settings_problems({**shared_settings(), "表彰通报": {"date": date(2024, 1, 16)}})
    assert problems == [
        'local.toml › [documents."表彰通报"] date(成文日期): 表彰通报的成文日期 2024-01-16 不晚于公示结束日期 '
        "2024-01-16:公示期满后才能发表彰通报,请改为 2024-01-16 之后的日期"
    ]
    assert parse_settings({**shared_settings(), "表彰通报": {"date": date(2024, 1, 17)}}, "local.toml", KIND_NAMES)


def test_a_letter_code_under_a_file_header_is_a_settings_error():
    problems = settings_problems({**shared_settings(), "表彰通报": {"header": "示例省人民政府文件", "code": "示政函"}})
    assert problems == [
        'local.toml › [documents."表彰通报"] code(发文机关代字): 表彰通报的代字「示政函」是函的代字,不能用在'
        "“示例省人民政府文件”版头下:文件式公文用“…发”等代字,函不用“…文件”版头"
    ]


def test_organs_must_name_the_unit_and_the_print_date_cannot_precede_the_date():
    problems = settings_problems(shared_settings(organs={"县": "县委"}, print_date=date(2024, 1, 18)))
    assert any(p.startswith("local.toml › [documents] organs(主送机关的写法") for p in problems), problems
    assert sum("印发日期 2024-01-18 早于成文日期 2024-01-19" in p for p in problems) == len(KIND_NAMES)
