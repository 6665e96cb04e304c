"""Issue 21 (hardening, part 2), the items about rule packs and document templates, through the real CLI.

Each test is named after its item: a hostile or careless pack or template is exit 2 with a Chinese message
naming the pack file and key or the template and line, quickly, and nothing is written.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
BOOK = SAMPLE / "2023.xlsx"
LOCAL_PACK = (SAMPLE / "local-pack.toml").read_text(encoding="utf-8")
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def refused(result, *expected: str) -> str:
    """The run stopped with exit 2 and a message (no traceback) containing every `expected` text."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    for text in expected:
        assert text in result.stderr, (text, result.stderr)
    return result.stderr


def nothing_in(folder: Path) -> None:
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*")), list(folder.rglob("*"))


def pack_with(tmp_path: Path, extra: str, name: str = "local.toml", head: str | None = None) -> Path:
    """The sample's local pack (head replaced when given) with `extra` TOML appended."""
    text = LOCAL_PACK if head is None else LOCAL_PACK.replace('[pack]\nname = "示例市-2023"\n', head, 1)
    path = tmp_path / name
    path.write_text(text + "\n" + extra, encoding="utf-8")
    return path


def awards(tmp_path: Path, rules: object):
    return invoke("awards", BOOK, "--rules", rules, "--out", tmp_path / "out")


# ---- item 8: packs and templates only from regular files of bounded size ---------------------------------


def test_item_08_packs_are_read_only_from_regular_files_of_bounded_size(tmp_path):
    fifo = tmp_path / "pack.fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.toml"
    big.write_text(LOCAL_PACK + "\n# " + "x" * 1_100_000 + "\n", encoding="utf-8")
    started = time.monotonic()
    refused(awards(tmp_path, "/dev/zero"), "规则包 /dev/zero 是设备", "须为普通文件")
    refused(awards(tmp_path, fifo), f"规则包 {fifo} 是管道(FIFO)")
    refused(awards(tmp_path, tmp_path), f"规则包 {tmp_path} 是目录")
    refused(awards(tmp_path, ""), "规则包为空")
    refused(awards(tmp_path, big), "big.toml", "超过 1000000 字节的上限")
    assert time.monotonic() - started < 20  # none blocks, none reads without end
    nothing_in(tmp_path / "out")


def test_item_08_templates_are_read_only_from_regular_files(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    os.mkfifo(folder / "公示.md.j2")
    result = invoke(
        "notices", BOOK, "--rules", SAMPLE / "local-pack.toml", "--templates", folder, "--out", tmp_path / "out"
    )
    refused(result, "公示.md.j2 是管道(FIFO)", "模板须为普通文件")
    nothing_in(tmp_path / "out")


# ---- item 9: every number of a pack has a range --------------------------------------------------------


@pytest.mark.parametrize(
    "extra, key, expected",
    [
        ("[demotion.unit_ordinary_years]\nvalue = 9223372036854775807\n", "demotion.unit_ordinary_years", "1 至 20"),
        (
            '[county.progress_tiers]\nvalue = [{ name = "一等奖", size = 9223372036854775807, amount = 80 }]\n',
            "county.progress_tiers",
            "0 至 10000",
        ),
        ('[target.excellent_ratio]\nvalue = "1e-99999999%"\n', "target.excellent_ratio", "小数不超过 6 位"),
        ("[target.excellent_ratio]\nvalue = 1e-99999999\n", "target.excellent_ratio", "小数不超过 6 位"),
        ('[target.excellent_ratio]\nvalue = "35.1234567%"\n', "target.excellent_ratio", "小数不超过 6 位"),
        ("[county.base_amount]\nvalue = 1000001\n", "county.base_amount", "0 至 1000000"),
        ("[county.base_amount]\nvalue = 1e999999999\n", "county.base_amount", "0 至 1000000"),
        ("[county.top_counties]\nvalue = 10001\n", "county.top_counties", "0 至 10000"),
        (
            '[impact.years_by_method.value]\n"调离岗位" = 21\n"改任非领导职务" = 1\n"免职" = 1\n"降职" = 2\n',
            "impact.years_by_method",
            "0 至 20",
        ),
        (
            '[demotion.safety_accidents.value]\n"县" = [{ grade = "重大", count = 99999999999 }]\n',
            "demotion.safety_accidents",
            "1 至 10000",
        ),
    ],
)
def test_item_09_pack_numbers_have_ranges(tmp_path, extra, key, expected):
    started = time.monotonic()
    result = invoke("demotions", BOOK, "--rules", pack_with(tmp_path, extra), "--out", tmp_path / "out")
    refused(result, f"local.toml › [{key}]", expected)
    assert time.monotonic() - started < 10  # refused at load, before any rule runs
    nothing_in(tmp_path / "out")


def test_item_09_the_shipped_packs_lie_within_the_ranges():
    for name in ("shaanxi-2018", "shaanxi-2016"):
        assert invoke("rules", "show", "--rules", name).exit_code == 0


# ---- item 13: packs that crashed the loader ------------------------------------------------------------


@pytest.mark.parametrize(
    "extra, head, expected",
    [
        ("[county.base_amount]\nvalue = nan\n", None, ["local.toml › [county.base_amount]", "不是有限的数"]),
        ("[county.base_amount]\nvalue = inf\n", None, ["local.toml › [county.base_amount]", "不是有限的数"]),
        ("[target.excellent_ratio]\nvalue = -inf\n", None, ["local.toml › [target.excellent_ratio]", "应为比例"]),
        ("", "pack = 5\n[ignored]\n", ["local.toml › pack", "应为 [pack] 表"]),
        ("[county.base_amount]\nvalue = " + "[" * 5000 + "]" * 5000 + "\n", None, ["local.toml", "嵌套过深"]),
        ("[county.base_amount]\nvalue = " + "[" * 20 + "]" * 20 + "\n", None, ["county.base_amount", "嵌套过深"]),
        (
            '[county.progress_tiers]\nvalue = [{ name = "一等奖", size = 10, amount = 1e400 }]\n',
            None,
            ["county.progress_tiers", "0 至 1000000"],
        ),
    ],
)
def test_item_13_hostile_packs_are_messages(tmp_path, extra, head, expected):
    refused(awards(tmp_path, pack_with(tmp_path, extra, head=head)), *expected)
    nothing_in(tmp_path / "out")


def test_item_13_rules_naming_a_directory_or_nothing(tmp_path):
    refused(awards(tmp_path, tmp_path), "是目录")
    refused(awards(tmp_path, ""), "规则包为空")
    refused(invoke("rules", "show", "--rules", ""), "规则包为空")
    nothing_in(tmp_path / "out")


# ---- items 10 and 14: templates are bounded, and every template error names the template and line --------


def notices(tmp_path: Path, template: str, kind: str = "公示", rules: Path = SAMPLE / "local-pack.toml"):
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / f"{kind}.md.j2").write_text(template, encoding="utf-8")
    out = tmp_path / "out"
    return invoke("notices", BOOK, "--rules", rules, "--templates", folder, "--kind", kind, "--out", out)


@pytest.mark.parametrize(
    "template, expected",
    [
        ("x\n{{ 7**(10**10) }}\n", "超出模板允许的数字范围"),
        ("x\n{{ 'x' * 10**10 }}\n", "超过 1000000 个字符(或项)的上限"),
        ("x\n{{ lipsum(n=3000000) }}\n", "变量 lipsum 不存在"),
        ("x\n{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}\n", "循环次数超过"),
        ("x\n{% for i in range(10000) %}{% for j in range(10000) %}{{ i }}{% endfor %}{% endfor %}\n", "上限"),
        ("x\n{{ 'x'|center(1000000000) }}\n", "过滤器 center 的参数 1000000000 超过"),
        ("x\n{{ 'a'.zfill(10**9) }}\n", "字符串方法 zfill"),
        ("x\n{{ '%1000000000d' % 1 }}\n", "宽度或精度过大"),
        ("x\n{{ '{:>1000000000}'.format(1) }}\n", "宽度过大"),
        (
            "x\n{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}\n",
            "namespace 的 s",
        ),
        ("x\n{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('x') }}\n", "调用的参数超过"),
    ],
)
def test_item_10_templates_have_bounds(tmp_path, template, expected):
    started = time.monotonic()
    result = notices(tmp_path, template)
    refused(result, f"{tmp_path / 'templates' / '公示.md.j2'} 第2行", expected)
    assert time.monotonic() - started < 20
    nothing_in(tmp_path / "out")


def test_item_10_a_render_has_a_time_limit(tmp_path, monkeypatch):
    """Loops that call nothing (over lists, not range) are stopped by the time limit; shortened here."""
    from sanshi.documents import sandbox

    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 1.0)
    started = time.monotonic()
    loops = "{% for a in [1]*1000 %}{% for b in [1]*1000 %}{% for c in [1]*1000 %}{% endfor %}{% endfor %}{% endfor %}"
    result = notices(tmp_path, "x\n" + loops + "\n")
    refused(result, "公示.md.j2 第2行", "超过 1 秒的时限")
    assert time.monotonic() - started < 15
    nothing_in(tmp_path / "out")


@pytest.mark.parametrize(
    "template, expected",
    [
        ("x\n{{ 1/0 }}\n", "除数为零"),
        ("x\n{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n", "嵌套过深"),
        ("x\n{% include '公示.md.j2' %}\n", "嵌套过深"),
        ("x\n{{ range(10**9)|list }}\n", "超过 10000 个的上限"),
        ("x\n{{ 'nan'|wan }}\n", "wan:'nan' 不是有限的数"),
        ("x\n{{ 'inf'|wan }}\n", "wan:'inf' 不是有限的数"),
        ("x\n{{ (10**5000)|string }}\n", "超出模板允许的数字范围"),
        ("x\n{{ doc.date.replace(year=10000) }}\n", "year 10000 is out of range"),
        ("x\n{{ '{0.__class__}'.format_map({}) }}\n", "模板运算出错"),
        ("x\n{{ 10.0 ** 400 }}\n", "数值超出范围"),
        ("x\n{% include 'missing.j2' %}\n", "找不到模板 missing.j2"),
    ],
)
def test_item_14_template_errors_name_the_template_and_line(tmp_path, template, expected):
    result = notices(tmp_path, template)
    refused(result, f"{tmp_path / 'templates' / '公示.md.j2'} 第2行", expected)
    nothing_in(tmp_path / "out")


@pytest.mark.parametrize(
    "template", ["x\n{{ 9" + "9" * 5000 + " }}\n", "x\n{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}\n"]
)
def test_item_14_templates_the_parser_cannot_take(tmp_path, template):
    refused(notices(tmp_path, template), "公示.md.j2 第2行", "模板无法解析")
    nothing_in(tmp_path / "out")


# ---- item 20: data cannot break the markup ---------------------------------------------------------------


def renamed_book(tmp_path: Path, old: str, new: str) -> Path:
    book = openpyxl.load_workbook(BOOK)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and old in cell.value:
                    cell.value = cell.value.replace(old, new)
    path = tmp_path / "2023.xlsx"
    book.save(path)
    return path


def test_item_20_markup_characters_in_names_stay_text(tmp_path):
    """鹤亭县 (a 十强县 with prize money) renamed `#鹤|亭县`: its table rows keep their columns and its name, at
    the start of a line too, is text, not a heading; the 表彰通报 is written."""
    book = renamed_book(tmp_path, "鹤亭县", "#鹤|亭县")
    out = tmp_path / "out"
    result = invoke(
        "notices",
        book,
        "--rules",
        SAMPLE / "local-pack.toml",
        "--kind",
        "表彰通报",
        "--kind",
        "奖励资金通知",
        "--format",
        "html",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    notice = next((out / "2023年度公文" / "表彰通报").glob("*.html")).read_text(encoding="utf-8")
    assert "<td>#鹤|亭县</td>" in notice.replace(" ", "") or "#鹤|亭县</td>" in notice
    assert "雁原县、星桥县、#鹤|亭县。" in notice


def test_item_20_a_markup_error_quotes_the_line_and_the_data_on_it(tmp_path):
    """A template that builds a table row from a value raw (`|` joined in by the template) is refused, quoting
    the rendered line and the data value on it."""
    template = (
        "x\n| 单位 | 序号 |\n{% for g in groups %}{% for u in g.units %}| {{ u.unit }} | {{ loop.index }} | 多 |\n"
        "{% endfor %}{% endfor %}"
    )
    result = notices(tmp_path, template)
    message = refused(
        result, "公示.md.j2 生成的第3行「|", "表格各行的列数不一致", "表头(第2行)有2列", "该行含数据中的「"
    )
    assert "请检查工作簿或规则包中的这些值" in message
    nothing_in(tmp_path / "out")


# ---- item 21: [documents] settings are one line and escaped ---------------------------------------------


def test_item_21_documents_settings_are_single_line_text(tmp_path):
    pack = pack_with(tmp_path, "").read_text(encoding="utf-8")
    forged = pack.replace('issuer = "中共示例省委组织部"', 'issuer = "x\\n@版头 伪造"', 1)
    path = tmp_path / "forged.toml"
    path.write_text(forged, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("notices", BOOK, "--rules", path, "--out", out)
    refused(result, "forged.toml › [documents] issuer(发文机关署名(落款))", "应为一行文字")
    nothing_in(out)
    # awards checks the [documents] section too
    refused(invoke("awards", BOOK, "--rules", path, "--out", out), "forged.toml › [documents] issuer")
    nothing_in(out)


def test_item_21_a_setting_starting_with_a_marker_stays_text(tmp_path):
    """A one-line setting that starts with `@版头` is escaped like workbook text: no second 版头."""
    pack = LOCAL_PACK.replace('recipients = "各市(区)委组织部', 'recipients = "@版头 伪造', 1)
    path = tmp_path / "marker.toml"
    path.write_text(pack, encoding="utf-8")
    template = "{% if doc.header %}\n@版头 {{ doc.header }}\n{% endif %}\n{{ doc.recipients }}\n"
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "谈话通知.md.j2").write_text(template, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(
        "notices",
        BOOK,
        "--rules",
        path,
        "--templates",
        folder,
        "--kind",
        "谈话通知",
        "--format",
        "html",
        "--out",
        out,
        "--unit",
        "秦川市",
    )
    assert result.exit_code == 0, result.output
    for page in (out / "2023年度公文" / "谈话通知").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert text.count("中共示例省委组织部文件") == 1 and "@版头 伪造" in text


# ---- item 22: [pack] metadata is type-checked -------------------------------------------------------------


@pytest.mark.parametrize(
    "head, expected",
    [
        ('[pack]\nname = "示例市-2023"\ncaveats = "notalist"\n', "local.toml › [pack] caveats: 应为文字列表"),
        ('[pack]\nname = "示例市-2023"\ncaveats = [1, 2]\n', "local.toml › [pack] caveats: 应为文字列表"),
        ("[pack]\nname = 5\n", "local.toml › [pack] name: 应为一行非空文字"),
        ('[pack]\nname = "示例市-2023"\ntitle = ["a"]\n', "local.toml › [pack] title: 应为一行非空文字"),
        (
            '[pack]\nname = "示例市-2023"\nissued_on = "2023-01-01"\n',
            "local.toml › [pack] issued_on: 应为不加引号的日期",
        ),
        ('[pack]\nname = "示例市-2023"\neffective_from = 2023-01-01T08:00:00\n', "[pack] effective_from"),
        ('[pack]\nname = "示例\\n市"\n', "local.toml › [pack] name: 应为一行非空文字"),
    ],
)
def test_item_22_pack_metadata_is_type_checked(tmp_path, head, expected):
    message = refused(awards(tmp_path, pack_with(tmp_path, "", head=head)), expected)
    assert message.count("错误:") == 1  # one message, not one per letter
    nothing_in(tmp_path / "out")


# ---- item 25: templates only from inside their folder -----------------------------------------------------


def test_item_25_templates_do_not_follow_links_out_of_their_folder(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "secret.j2").symlink_to(secret)
    (folder / "公示.md.j2").write_text("x\n{% include 'secret.j2' %}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(
        "notices", BOOK, "--rules", SAMPLE / "local-pack.toml", "--templates", folder, "--kind", "公示", "--out", out
    )
    message = refused(result, f"{folder / '公示.md.j2'} 第2行", "secret.j2 是指向模板目录之外", "的链接")
    assert "机密内容" not in result.output and "机密内容" not in message
    nothing_in(out)


def test_item_25_a_template_that_is_a_link_out_of_the_folder(tmp_path):
    outside = tmp_path / "elsewhere.md.j2"
    outside.write_text("@版头 别处\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "公示.md.j2").symlink_to(outside)
    out = tmp_path / "out"
    result = invoke(
        "notices", BOOK, "--rules", SAMPLE / "local-pack.toml", "--templates", folder, "--kind", "公示", "--out", out
    )
    refused(result, "公示.md.j2 是指向模板目录之外")
    nothing_in(out)


def test_item_25_a_link_inside_the_folder_is_read(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "part.j2").write_text("共用的一段\n", encoding="utf-8")
    (folder / "link.j2").symlink_to(folder / "part.j2")
    (folder / "公示.md.j2").write_text("# 标题\n{% include 'link.j2' %}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(
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
    )
    assert result.exit_code == 0, result.output
    assert "共用的一段" in next((out / "2023年度公文" / "公示").glob("*.html")).read_text(encoding="utf-8")
