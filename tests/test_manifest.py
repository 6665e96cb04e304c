"""Reproducible outputs and run manifests: the same inputs give byte-identical files whatever the
clock or the hash seed; every run that writes files writes a manifest beside them; `sanshi verify`
re-hashes what a manifest lists. Through the real entry point."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sanshi
from sanshi.cli import app
from sanshi.rules.params import builtin_pack_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
BOOK = SAMPLE / "2023.xlsx"
PACK = SAMPLE / "local-pack.toml"
AWARDS = "2023年度考核奖励结果"
DEMOTIONS = "2023年度能下触发名单"
PROMOTIONS = "2023年度选拔重用名单"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# ---- byte-identical reruns ------------------------------------------------------------------------


def readme_commands(db: Path, out: Path) -> list[list[str]]:
    """The README's 两条命令 after the history import, into `out`, plus the blank template."""
    return [
        ["awards", str(BOOK), "--rules", str(PACK), "--db", str(db), "--out", str(out)],
        ["demotions", str(BOOK), "--db", str(db), "--out", str(out)],
        ["promotions", str(BOOK), "--db", str(db), "--out", str(out)],
        ["report", str(BOOK), "--rules", str(PACK), "--db", str(db), "--out", str(out)],
        ["notices", str(BOOK), "--rules", str(PACK), "--db", str(db), "--out", str(out)],
        ["template", str(out / "考核数据模板.xlsx")],
    ]


def run_all(db: Path, out: Path, hash_seed: str, cwd: Path) -> float:
    """Each command in its own process (a set's iteration order changes with the hash seed between
    processes, never inside one); returns when the last command started (time.monotonic)."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    env.pop("SANSHI_DB", None)
    started = 0.0
    for command in readme_commands(db, out):
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "sanshi", *command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    return started


def files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow  # every command twice in subprocesses
def test_reruns_are_byte_identical_whatever_the_clock_and_hash_seed(sample_db, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    last_started = run_all(sample_db, first, "1", tmp_path)
    # Zip entries keep time in 2-second steps: the second set starts well over 2 s after each command of
    # the first, so any clock reading left in a file shows up as a difference.
    time.sleep(max(0.0, 2.2 - (time.monotonic() - last_started)))
    run_all(sample_db, second, "2", tmp_path)

    one, two = files(first), files(second)
    assert one.keys() == two.keys()
    manifests = {name for name in one if name.endswith("manifest.json")}
    assert manifests == {
        f"{AWARDS}.manifest.json",
        f"{DEMOTIONS}.manifest.json",
        f"{PROMOTIONS}.manifest.json",
        "2023年度考核结果报告.manifest.json",
        "2023年度公文/manifest.json",
    }
    outputs = sorted(set(one) - manifests)
    assert len(outputs) == 3 + 1 + 2 * 86 + 1  # three workbooks, the report, 86 documents twice, the template
    different = [name for name in outputs if one[name].read_bytes() != two[name].read_bytes()]
    assert different == []
    # A manifest records when it was written and the --out given; what it says about the outputs is the same.
    for name in manifests:
        a, b = load(one[name]), load(two[name])
        assert a["outputs"] == b["outputs"] and a["inputs"] == b["inputs"] and a["rules"] == b["rules"]


def test_zip_entries_and_document_dates_never_come_from_the_clock(sample_db, tmp_path):
    out = tmp_path / "out"
    assert invoke("awards", BOOK, "--rules", PACK, "--db", sample_db, "--out", out).exit_code == 0
    assert (
        invoke(
            "notices", BOOK, "--rules", PACK, "--db", sample_db, "--out", out, "--kind", "公示", "--format", "docx"
        ).exit_code
        == 0
    )
    assert invoke("template", out / "模板.xlsx").exit_code == 0
    for path in [out / f"{AWARDS}.xlsx", out / "模板.xlsx", *sorted(out.rglob("*.docx"))]:
        with zipfile.ZipFile(path) as package:
            assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}, path.name
            core = package.read("docProps/core.xml").decode("utf-8")
        if path.suffix == ".docx":
            assert "dcterms:" not in core  # the .docx carries no dates at all
    with zipfile.ZipFile(out / f"{AWARDS}.xlsx") as package:
        core = package.read("docProps/core.xml").decode("utf-8")
    # A year's result workbook is dated 31 December of the assessment year; the blank template 1980-01-01.
    assert ">2023-12-31T00:00:00Z</dcterms:created>" in core and ">2023-12-31T00:00:00Z</dcterms:modified>" in core
    with zipfile.ZipFile(out / "模板.xlsx") as package:
        assert ">1980-01-01T00:00:00Z</dcterms:modified>" in package.read("docProps/core.xml").decode("utf-8")


# ---- the manifest ---------------------------------------------------------------------------------


def test_awards_manifest_records_tool_command_pack_inputs_and_outputs(sample_db, tmp_path):
    out = tmp_path / "out"
    before = datetime.now(timezone.utc).replace(microsecond=0)
    result = invoke("awards", BOOK, "--rules", PACK, "--db", sample_db, "--out", out)
    assert result.exit_code == 0, result.stderr
    path = out / f"{AWARDS}.manifest.json"
    text = path.read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert "示例市-2023" in text  # UTF-8, not \u escapes
    assert list(manifest) == sorted(manifest)
    assert manifest["format"] == "sanshi-manifest" and manifest["format_version"] == 1
    assert manifest["tool"] == {"name": "sanshi", "version": sanshi.__version__}
    assert manifest["command"] == "awards" and manifest["year"] == 2023
    assert manifest["arguments"]["book"] == str(BOOK) and manifest["arguments"]["rules"] == str(PACK)
    assert manifest["arguments"]["tie"] is None and manifest["arguments"]["force"] is False
    # A local pack's hash covers its file and its base pack's packaged TOML, in that order.
    base = builtin_pack_bytes("shaanxi-2018")
    assert manifest["rules"]["name"] == "示例市-2023" and manifest["rules"]["base"] == "shaanxi-2018"
    assert manifest["rules"]["title"]
    assert manifest["rules"]["sha256"] == hashlib.sha256(PACK.read_bytes() + base).hexdigest()
    assert manifest["inputs"] == [
        {"kind": "workbook", "path": str(BOOK), "sha256": sha256(BOOK)},
        {"kind": "rules", "name": "示例市-2023", "path": str(PACK), "sha256": sha256(PACK)},
        {"kind": "rules", "name": "shaanxi-2018", "path": None, "sha256": hashlib.sha256(base).hexdigest()},
        *(
            {
                "kind": "history",
                "path": str(sample_db.resolve()),
                "year": year,
                "revision": 1,
                "source": f"{year}.xlsx",
                "sha256": sha256(SAMPLE / f"{year}.xlsx"),
            }
            for year in (2021, 2022)
        ),
    ]
    workbook = out / f"{AWARDS}.xlsx"
    assert manifest["outputs"] == [{"path": workbook.name, "size": workbook.stat().st_size, "sha256": sha256(workbook)}]
    created = datetime.fromisoformat(manifest["created_at"].replace("Z", "+00:00"))
    assert created.tzinfo == timezone.utc and before <= created <= datetime.now(timezone.utc)


def test_a_builtin_pack_is_hashed_as_shipped_and_no_history_means_no_revisions(tmp_path):
    out = tmp_path / "out"
    result = invoke("demotions", BOOK, "--out", out, "--db", tmp_path / "absent.db", "--rules", "shaanxi-2018")
    assert result.exit_code == 2  # a named database must exist
    result = runner.invoke(app, ["demotions", str(BOOK), "--out", str(out)], env={"SANSHI_DB": None})
    assert result.exit_code == 0, result.stderr
    manifest = load(out / f"{DEMOTIONS}.manifest.json")
    digest = hashlib.sha256(builtin_pack_bytes("shaanxi-2018")).hexdigest()
    assert manifest["rules"]["sha256"] == digest and manifest["rules"]["base"] is None
    assert [i["kind"] for i in manifest["inputs"]] == ["workbook", "rules"]
    assert manifest["inputs"][1] == {"kind": "rules", "name": "shaanxi-2018", "path": None, "sha256": digest}


def test_several_commands_share_one_out_folder_each_with_its_manifest(sample_db, tmp_path):
    out = tmp_path / "out"
    for command in ("awards", "demotions", "promotions"):
        assert invoke(command, BOOK, "--db", sample_db, "--out", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{stem}{suffix}" for stem in (AWARDS, DEMOTIONS, PROMOTIONS) for suffix in (".xlsx", ".manifest.json")
    )
    assert load(out / f"{PROMOTIONS}.manifest.json")["command"] == "promotions"


def test_json_alone_writes_neither_workbook_nor_manifest(sample_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("awards", BOOK, "--db", sample_db, "--json").exit_code == 0
    assert list(tmp_path.iterdir()) == []


def test_the_manifest_obeys_force_and_is_checked_before_anything_is_written(sample_db, tmp_path):
    out = tmp_path / "out"
    assert invoke("awards", BOOK, "--db", sample_db, "--out", out).exit_code == 0
    (out / f"{AWARDS}.xlsx").unlink()  # only the manifest is left
    again = invoke("awards", BOOK, "--db", sample_db, "--out", out)
    assert again.exit_code == 2 and f"{AWARDS}.manifest.json" in again.stderr and "--force" in again.stderr
    assert not (out / f"{AWARDS}.xlsx").exists()
    assert invoke("awards", BOOK, "--db", sample_db, "--out", out, "--force").exit_code == 0
    assert (out / f"{AWARDS}.xlsx").exists()


def test_notices_manifest_lists_every_document_and_the_templates(sample_db, tmp_path):
    out = tmp_path / "out"
    result = invoke("notices", BOOK, "--rules", PACK, "--db", sample_db, "--out", out, "--format", "html")
    assert result.exit_code == 0, result.stderr
    folder = out / "2023年度公文"
    manifest = load(folder / "manifest.json")
    assert manifest["command"] == "notices" and manifest["arguments"]["format"] == "html"
    documents = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
    assert len(documents) == 86
    assert sorted(o["path"] for o in manifest["outputs"]) == documents
    assert "公示/001-年度目标责任考核优秀单位-公示.html" in documents
    templates = [i for i in manifest["inputs"] if i["kind"] == "template"]
    assert {Path(i["path"]).name for i in templates} == {
        f"{k}.md.j2" for k in ("公示", "表彰通报", "奖励资金通知", "谈话通知", "容错认定结果通知")
    }
    assert all(i["sha256"] == sha256(Path(i["path"])) for i in templates)


def test_a_blank_template_has_no_manifest_and_is_never_overwritten_by_surprise(tmp_path):
    """A blank form has no inputs and no results: nothing for a manifest to vouch for."""
    path = tmp_path / "模板.xlsx"
    assert invoke("template", path).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["模板.xlsx"]
    again = invoke("template", path)
    # template has no --out: it suggests only what it has.
    assert again.exit_code == 2
    assert again.stderr.strip() == f"错误:输出文件已存在:{path}。如需覆盖请加 --force,或另给一个文件名"
    assert invoke("template", path, "--force").exit_code == 0


# ---- sanshi verify --------------------------------------------------------------------------------


@pytest.fixture
def awards_run(sample_db, tmp_path):
    """An awards run from copies of the workbook, the pack and the history database, which tests may change."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    book, pack, db = (shutil.copy(p, inputs / p.name) for p in (BOOK, PACK, sample_db))
    out = tmp_path / "out"
    result = invoke("awards", book, "--rules", pack, "--db", db, "--out", out)
    assert result.exit_code == 0, result.stderr
    return Path(book), Path(pack), Path(db), out / f"{AWARDS}.manifest.json"


def test_verify_passes_when_nothing_changed(awards_run):
    *_, manifest = awards_run
    result = invoke("verify", manifest)
    assert result.exit_code == 0, result.stderr
    assert "文件" in result.stdout and "记录的 SHA-256" in result.stdout and "现在" in result.stdout
    assert result.stdout.count("一致") >= 6  # the workbook, the book, two pack files, two history revisions
    assert f"{AWARDS}.xlsx" in result.stdout and "核对通过" in result.stdout


def test_verify_reports_a_changed_and_a_missing_output_with_exit_2(sample_db, tmp_path):
    out = tmp_path / "out"
    assert invoke("notices", BOOK, "--rules", PACK, "--db", sample_db, "--out", out, "--format", "html").exit_code == 0
    folder = out / "2023年度公文"
    changed = folder / "公示" / "001-年度目标责任考核优秀单位-公示.html"
    changed.write_text("手工修改", encoding="utf-8")
    missing = next((folder / "谈话通知").iterdir())
    missing.unlink()
    result = invoke("verify", folder / "manifest.json")
    assert result.exit_code == 2
    assert "已改动" in result.stdout and "缺失" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误:")]
    assert errors == [f"错误:输出文件 公示/{changed.name}:内容已改动", f"错误:输出文件 谈话通知/{missing.name}:缺失"]
    assert "Traceback" not in result.output


def test_verify_reports_a_changed_input_and_tolerates_one_that_moved(awards_run):
    book, pack, _, manifest = awards_run
    pack.write_text(pack.read_text(encoding="utf-8").replace("12000", "13000"), encoding="utf-8")
    book.rename(book.with_name("移走.xlsx"))
    result = invoke("verify", manifest)
    assert result.exit_code == 2
    assert f"错误:输入 规则包 {pack}:内容已改动" in result.stderr
    assert "未找到" in result.stdout and f"工作簿 {book}:未找到" in result.stderr
    assert result.stderr.count("错误:") == 1  # the moved workbook is a note, not a failure
    pack.write_text(PACK.read_text(encoding="utf-8"), encoding="utf-8")
    assert invoke("verify", manifest).exit_code == 0  # outputs and the inputs still there all match


def test_verify_reports_history_reimported_since_the_run(awards_run):
    *_, db, manifest = awards_run
    other = Path(shutil.copy(SAMPLE / "2021.xlsx", Path(db).parent / "另一版本.xlsx"))  # no year in the name
    imported = invoke("history", "import", other, "--year", "2022", "--db", db)
    assert imported.exit_code == 0, imported.stderr
    result = invoke("verify", manifest)
    assert result.exit_code == 2
    assert "错误:输入 历史库 2022年第1版" in result.stderr and "当前为第2版" in result.stderr


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "找不到清单文件"),
        ("{不是 JSON", "不是有效的 JSON"),
        ('{"outputs": []}', "不是 sanshi 的运行清单"),
        ('{"format": "sanshi-manifest", "format_version": 99, "outputs": [], "inputs": []}', "无法读取"),
        ('{"format": "sanshi-manifest", "format_version": 1, "inputs": []}', '缺少 "outputs"'),
        (
            '{"format": "sanshi-manifest", "format_version": 1, "inputs": [], "outputs": [{"path": "a.xlsx"}]}',
            "outputs 第1项:缺少 sha256",
        ),
        (
            '{"format": "sanshi-manifest", "format_version": 1, "inputs": [], '
            '"outputs": [{"path": "../a.xlsx", "sha256": "00"}]}',
            "不在清单所在文件夹之内",
        ),
        (
            '{"format": "sanshi-manifest", "format_version": 1, "inputs": [{"kind": "x", "sha256": "00"}], "outputs": []}',
            "inputs 第1项:无法识别",
        ),
    ],
)
def test_verify_refuses_what_is_not_a_manifest_with_a_message_and_exit_2(tmp_path, content, message):
    path = tmp_path / "manifest.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = invoke("verify", path)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_an_aliases_file_is_recorded_as_an_input_and_verified(tmp_path):
    from sanshi.manifest import RunRecord, verify, write_manifest

    aliases = tmp_path / "对照.csv"
    aliases.write_text("别名,规范名称\n龙滩,龙滩市\n", encoding="utf-8")
    output = tmp_path / "结果.xlsx"
    output.write_bytes(b"whole")
    record = RunRecord("awards", {"aliases": aliases}, 2023, BOOK, "", None, None, aliases=aliases)
    manifest = write_manifest(tmp_path / "结果.manifest.json", record, [output])
    assert {"kind": "aliases", "path": str(aliases.resolve()), "sha256": sha256(aliases)} in manifest["inputs"]
    assert manifest["arguments"] == {"aliases": str(aliases)}
    aliases.write_text("别名,规范名称\n", encoding="utf-8")
    assert verify(tmp_path / "结果.manifest.json").problems == [f"输入 单位名称对照 {aliases.resolve()}:内容已改动"]


def test_the_manifest_records_the_history_revision_the_run_read_not_a_later_one(book, tmp_path):
    """An import between the run and its manifest does not change what the manifest says the run read."""
    from sanshi.manifest import RunRecord, build
    from sanshi.pipeline import HistorySource, import_year, run_awards

    db = tmp_path / "h.db"
    ranks = [["县区", "类型", "名次"]] + [[f"{i}号县", "县(市)", i] for i in range(1, 13)]
    import_year(book({"县域监测": ranks}, name="2022.xlsx"), db)
    result = run_awards(book({"县域监测": ranks}), history=HistorySource(db, explicit=True))
    ranks[1][2], ranks[2][2] = 2, 1  # a corrected 2022 arrives while the run's files are being written
    import_year(book({"县域监测": ranks}, name="2022.xlsx"), db)
    document = build(RunRecord("awards", {}, 2023, None, read=result.read), tmp_path, [])
    [stored] = [i for i in document["inputs"] if i["kind"] == "history"]
    assert (stored["year"], stored["revision"], stored["path"]) == (2022, 1, str(db.resolve()))
    assert document["rules"]["name"] == "shaanxi-2018" and len(document["rules"]["sha256"]) == 64
