"""`sanshi notices` on the sample year: golden text of every document, the layout of each kind,
and the batch rules (no overwrite without --force, nothing written on a template error,
safe file names) through the real entry point.

Regenerate the golden text after an intended change with SANSHI_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.documents.markup import to_markup
from sanshi.pipeline import HistorySource, run_notices
from sanshi.writers.docx import write_docx
from sanshi.documents.layout_check import check_docx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PACK = SAMPLE / "local-pack.toml"
GOLDEN = Path(__file__).parent / "golden" / "documents"
KINDS = ("公示", "表彰通报", "奖励资金通知", "谈话通知", "容错认定结果通知")
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def sample_batch(sample_db):
    return run_notices(
        SAMPLE / "2023.xlsx",
        templates=ROOT / "sanshi" / "documents" / "templates",
        rules=str(PACK),
        history=HistorySource(sample_db, explicit=True),
    )


@pytest.mark.parametrize("kind", KINDS)
def test_golden_text_of_each_kind(sample_batch, kind):
    docs = [d for d in sample_batch.documents if d.kind == kind]
    assert docs, kind
    text = "".join(f"===== {sample_batch.file_stem(d)} =====\n{to_markup(d.blocks)}\n" for d in docs)
    golden = GOLDEN / f"{kind}.md"
    if os.environ.get("SANSHI_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_sample_year_counts_and_hand_checked_numbers(sample_batch):
    counts = {k: sum(1 for d in sample_batch.documents if d.kind == k) for k in KINDS}
    # 2 公示 (target, poverty); 1 通报; 46 units with prize money (30 county awards' units + 17 poverty
    # units, some overlapping); 34 people not tolerated with a name (12 from 第八至十条, 22 more from the
    # 责任认定 sheet: 第六条 2, 8(4) 3, 第十一条 1, 12(1) 6, 12(2) 5, 13(1) 3, 13(2) 2; 12(1) names no one beyond
    # its roles, so the 分管领导 the 省政府 censure names is not called in); the 3 容错 records.
    assert counts == {"公示": 2, "表彰通报": 1, "奖励资金通知": 46, "谈话通知": 34, "容错认定结果通知": 3}
    by_subject = {(d.kind, d.subject): to_markup(d.blocks) for d in sample_batch.documents}
    heting = by_subject[("奖励资金通知", "鹤亭县")]
    assert "@发文字号 示考办发〔2024〕2号" in heting  # first_number 1, second unit in the year
    assert "| 1 | 十强县 | 110 |" in heting and "| 2 | 县域争先进位奖二等奖 | 50 |" in heting
    assert "以上奖励资金合计160万元。" in heting  # 110 + 50
    # 白城县's 十强县 amount floors to 0万元: a title without money, so no 奖励资金通知 (the 通报 lists it as —)
    assert ("奖励资金通知", "白城县") not in by_subject
    notice = by_subject[("表彰通报", "县域经济社会发展先进县(市、区)")]
    assert "@发文字号 示政发〔2024〕82号" in notice and "奖励资金共计2170万元" in notice
    talk = by_subject[("谈话通知", "秦荣霞")]
    assert "调离岗位、改任非领导职务、免职的1年内不得提拔；降职的2年内不得提拔。" in talk
    feedback = by_subject[("容错认定结果通知", "省中医药管理局")]
    assert "考核奖金按良好等次核发" in feedback
    lessened = by_subject[("容错认定结果通知", "碧乐县")]  # 结论 减责: lighter, not exempt, still called in
    assert "予以减责，酌情从轻、减轻处理" in lessened and "免除" not in lessened and "考核奖金" not in lessened
    assert ("谈话通知", "姚怡亮") in by_subject
    assert any("柳泉县" in w.message and "未生成谈话通知" in w.message for w in sample_batch.warnings)


def test_the_templates_come_with_the_package_and_a_users_file_replaces_only_its_own(sample_db, tmp_path):
    """No templates folder anywhere near: the built-in ones are used; --templates with one edited file changes
    that kind only; --export-templates writes editable copies and does not overwrite them without --force."""
    args = ("notices", SAMPLE / "2023.xlsx", "--rules", PACK, "--db", sample_db, "--format", "html")
    built_in = invoke(*args, "--kind", "谈话通知", "--kind", "公示", "--out", tmp_path / "a")
    assert built_in.exit_code == 0, built_in.output
    mine = tmp_path / "mine"
    exported = invoke("notices", "--export-templates", mine)
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in mine.iterdir()) == [
        "README.md",
        "公示.md.j2",
        "奖励资金通知.md.j2",
        "容错认定结果通知.md.j2",
        "表彰通报.md.j2",
        "谈话通知.md.j2",
    ]
    again = invoke("notices", "--export-templates", mine)
    assert again.exit_code == 2 and "已有" in again.stderr and "--force" in again.stderr
    for path in list(mine.iterdir()):
        if path.name != "谈话通知.md.j2":
            path.unlink()
    talk = mine / "谈话通知.md.j2"
    talk.write_text(talk.read_text(encoding="utf-8").replace("同志:", "同志:(本地措辞)"), encoding="utf-8")
    edited = invoke(*args, "--kind", "谈话通知", "--kind", "公示", "--out", tmp_path / "b", "--templates", mine)
    assert edited.exit_code == 0, edited.output

    def text(out, kind):
        return "".join(p.read_text(encoding="utf-8") for p in sorted((out / "2023年度公文" / kind).glob("*.html")))

    assert "本地措辞" in text(tmp_path / "b", "谈话通知") and "本地措辞" not in text(tmp_path / "a", "谈话通知")
    assert text(tmp_path / "b", "公示") == text(tmp_path / "a", "公示")  # not overridden: the built-in one

    # A file of no kind would be ignored without a word: a template saved under the kind's old name (容错认定
    # 结果反馈, before it was named as the 通知 it is) stops the run, with the name to use.
    (mine / "容错认定结果反馈.md.j2").write_text("@落款 甲\n", encoding="utf-8")
    stray = invoke(*args, "--out", tmp_path / "c", "--templates", mine)
    assert stray.exit_code == 2, stray.output
    assert "容错认定结果反馈.md.j2 不是任何公文类型的模板,不会被使用:是否想写 容错认定结果通知.md.j2?" in stray.stderr
    assert not (tmp_path / "c").exists()


def test_cli_batch_refuses_to_overwrite_and_force_replaces(sample_db, tmp_path):
    args = ("notices", SAMPLE / "2023.xlsx", "--rules", PACK, "--db", sample_db, "--out", tmp_path, "--format", "html")
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    files = sorted((tmp_path / "2023年度公文").rglob("*.html"))
    assert len(files) == 86
    assert "共 86 份公文(html)" in first.stdout
    files[0].write_text("手工修改", encoding="utf-8")
    again = invoke(*args)
    assert again.exit_code == 2
    # A run of the whole year owns its folder: it is replaced as a whole, only with --force.
    assert "输出文件夹已存在" in again.stderr and "2023年度公文" in again.stderr and "--force" in again.stderr
    assert files[0].read_text(encoding="utf-8") == "手工修改"
    forced = invoke(*args, "--force")
    assert forced.exit_code == 0
    assert "手工修改" not in files[0].read_text(encoding="utf-8")


def test_cli_kind_and_unit_select_one_document_with_its_stable_number(sample_db, tmp_path):
    result = invoke(
        "notices",
        SAMPLE / "2023.xlsx",
        "--rules",
        PACK,
        "--db",
        sample_db,
        "--out",
        tmp_path,
        "--kind",
        "奖励资金通知",
        "--unit",
        "鹤亭县",
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "2023年度公文" / "奖励资金通知"
    assert sorted(p.name for p in folder.iterdir()) == ["002-鹤亭县-奖励资金通知.docx", "002-鹤亭县-奖励资金通知.html"]


def test_cli_unknown_kind_unit_and_missing_documents_section(sample_db, tmp_path):
    book = SAMPLE / "2023.xlsx"
    kind = invoke("notices", book, "--rules", PACK, "--db", sample_db, "--out", tmp_path, "--kind", "通告")
    assert kind.exit_code == 2 and "--kind 通告:没有这种公文" in kind.stderr
    unit = invoke("notices", book, "--rules", PACK, "--db", sample_db, "--out", tmp_path, "--unit", "鹤亭")
    assert unit.exit_code == 2 and "是否指 鹤亭县" in unit.stderr
    bare = invoke("notices", book, "--db", sample_db, "--out", tmp_path)
    assert bare.exit_code == 2 and "没有 [documents] 部分" in bare.stderr
    assert not (tmp_path / "2023年度公文").exists()


def test_cli_template_with_a_misspelt_variable_writes_nothing(sample_db, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "sanshi" / "documents" / "templates", templates)
    path = templates / "谈话通知.md.j2"
    path.write_text(
        path.read_text(encoding="utf-8").replace("{{ impact_clause }}", "{{ impact_clasue }}"), encoding="utf-8"
    )
    result = invoke(
        "notices",
        SAMPLE / "2023.xlsx",
        "--rules",
        PACK,
        "--db",
        sample_db,
        "--out",
        tmp_path / "out",
        "--templates",
        templates,
    )
    assert result.exit_code == 2
    assert "谈话通知.md.j2 第" in result.stderr and "变量 impact_clasue 不存在" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_misspelt_attribute_names_template_line_and_document(sample_db, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "sanshi" / "documents" / "templates", templates)
    path = templates / "奖励资金通知.md.j2"
    text = path.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "award.statement" in row)
    path.write_text(text.replace("award.statement", "award.statment"), encoding="utf-8")
    result = invoke(
        "notices",
        SAMPLE / "2023.xlsx",
        "--rules",
        PACK,
        "--db",
        sample_db,
        "--out",
        tmp_path / "out",
        "--templates",
        templates,
    )
    assert result.exit_code == 2
    assert f"奖励资金通知.md.j2 第{line}行:值不存在" in result.stderr and "statment" in result.stderr
    assert "(生成「龙滩市」的奖励资金通知时)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_unit_names_with_slashes_and_dots_stay_in_their_folder(sample_db, tmp_path):
    book = tmp_path / "2023.xlsx"
    workbook = openpyxl.load_workbook(SAMPLE / "2023.xlsx")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "龙滩市":
                    cell.value = "../龙滩/市"
    workbook.save(book)
    result = invoke(
        "notices",
        book,
        "--rules",
        PACK,
        "--db",
        sample_db,
        "--out",
        tmp_path / "out",
        "--kind",
        "奖励资金通知",
        "--format",
        "html",
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "2023年度公文" / "奖励资金通知"
    assert (folder / "001-__龙滩_市-奖励资金通知.html").is_file()
    others = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and p.parent != folder]
    assert others == [tmp_path / "out" / "2023年度公文" / "manifest.json"]


def test_cli_list_templates_shows_variables_and_settings():
    result = invoke("notices", "--list-templates", "--rules", PACK)
    assert result.exit_code == 0, result.output
    for kind in KINDS:
        assert f"{kind}:" in result.stdout
    assert "变量 progress_tiers" in result.stdout
    assert "发文设置 doc.code" in result.stdout and "local-pack.toml:示政发" in result.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_layout_check_passes_on_each_kind(sample_batch, kind, tmp_path):
    for document in [d for d in sample_batch.documents if d.kind == kind][:3]:
        path = tmp_path / f"{sample_batch.file_stem(document)}.docx"
        write_docx(document, path)
        report = check_docx(path)
        assert report.ok, (path.name, report.problems)
        measured = dict(report.measurements)
        assert (measured["每页行数"], measured["每行字数"]) == ("22", "28")


def test_cli_check_reports_a_conforming_and_a_broken_file(sample_db, tmp_path):
    assert (
        invoke(
            "notices",
            SAMPLE / "2023.xlsx",
            "--rules",
            PACK,
            "--db",
            sample_db,
            "--out",
            tmp_path,
            "--kind",
            "谈话通知",
            "--unit",
            "省教育厅",
            "--format",
            "docx",
        ).exit_code
        == 0
    )
    [path] = (tmp_path / "2023年度公文" / "谈话通知").iterdir()
    good = invoke("notices", "--check", path)
    assert good.exit_code == 0, good.output
    assert "符合 GB/T 9704-2012 的版式要求" in good.stdout and "每行字数" in good.stdout
    fake = tmp_path / "fake.docx"
    fake.write_text("不是 Word 文件", encoding="utf-8")
    bad = invoke("notices", "--check", fake)
    # The verdict follows the file's path, so where its line wraps depends on how long the path is.
    assert bad.exit_code == 2 and "不符合 GB/T 9704-2012" in " ".join(bad.stdout.splitlines())
    # A folder: every .docx under it, one line each, then the count; exit 2 when any fails.
    folder = tmp_path / "2023年度公文"
    whole = invoke("notices", "--check", folder)
    assert whole.exit_code == 0 and "谈话通知/" in whole.stdout and "1 份公文均符合" in whole.stdout, whole.output
    shutil.copy(fake, folder / "谈话通知" / "fake.docx")
    mixed = invoke("notices", "--check", folder)
    assert mixed.exit_code == 2 and "2 份公文中 1 份不符合" in " ".join(mixed.stdout.splitlines()), mixed.output
    assert "谈话通知/fake.docx:" in mixed.stdout


def test_no_document_prints_the_tools_working_notes(sample_batch):
    """Every document of the sample year: no column names or 「」 quotes, no history store or workbook, no formula
    (=, ≥, ×), no bracket inside a bracket. Those stay in the workbook and `explain`; a document states facts."""
    import re

    notes = re.compile(r"[「」=≥×]|历史库|工作簿|取自|列核对")
    nested = re.compile(r"[(（][^)）]*[(（]")
    found = []
    for d in sample_batch.documents:
        for line in to_markup(d.blocks).splitlines():
            if line.startswith("@发文字号"):
                continue
            if notes.search(line) or nested.search(line):
                found.append(f"{sample_batch.file_stem(d)}: {line}")
    assert found == []


def test_a_case_and_an_award_are_stated_from_their_facts(sample_batch):
    by_subject = {(d.kind, d.subject): to_markup(d.blocks) for d in sample_batch.documents}
    heting = by_subject[("奖励资金通知", "鹤亭县")]
    assert "县域监测考评位列第2名，较上年前进6位" in heting and "50+6×10" not in heting
    tang = by_subject[("容错认定结果通知", "金关县汤志")]
    assert "2022年、2023年年度考核等次均为基本称职，属《能上能下办法》第八条第（三）项所列情形" in tang


def test_a_document_names_each_measure_in_full_the_first_time_then_by_its_short_name(sample_batch):
    by_subject = {(d.kind, d.subject): to_markup(d.blocks) for d in sample_batch.documents}
    tang = by_subject[("容错认定结果通知", "金关县汤志")]
    full = "《陕西省党政干部容错纠错办法（试行）》（以下简称《容错纠错办法》）第六条第（八）项"
    assert tang.count(full) == 1 and tang.index(full) < tang.index("按照《容错纠错办法》第八条第（四）项规定")
    assert "《陕西省推进省管党政领导干部能上能下办法（试行）》（以下简称《能上能下办法》）" in tang
    # The title is not the body: it never takes the full name.
    assert "# 关于金关县汤志同志容错认定结果" in tang
    for document in sample_batch.documents:
        text = to_markup(document.blocks)
        for short in ("鼓励激励办法", "容错纠错办法", "能上能下办法"):
            assert text.count(f"以下简称《{short}》") <= 1
            rest = re.sub(r"《陕西省[^》]*》", "", text)  # the full names contain the short ones
            assert re.search(f"(?<!《){short}", rest) is None, (document.subject, short)


def test_name_documents_leaves_the_heading_blocks_and_names_in_tables():
    from sanshi.documents.model import Block, BlockKind
    from sanshi.documents.phrasing import name_documents

    blocks = (
        Block(BlockKind.TITLE, "关于鼓励激励办法的通知"),
        Block(BlockKind.PARAGRAPH, "按照鼓励激励办法第六条规定"),
        Block(BlockKind.TABLE, rows=(("依据",), ("鼓励激励办法第五条",))),
    )
    named = name_documents(blocks, {"鼓励激励办法": "陕西省党政干部鼓励激励办法(试行)"})
    assert named[0].text == "关于鼓励激励办法的通知"
    assert named[1].text == "按照《陕西省党政干部鼓励激励办法（试行）》（以下简称《鼓励激励办法》）第六条规定"
    assert named[2].rows == (("依据",), ("《鼓励激励办法》第五条",))
