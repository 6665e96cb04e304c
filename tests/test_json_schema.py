"""Every `--json` document follows its schema in docs/schema/, and the schema files are what
docs/schema/generate.py writes (the schemas are written by hand there, field by field)."""

import importlib.util
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from sanshi.cli import app
from sanshi.writers.json_out import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schema"
GOLDEN = Path(__file__).parent / "golden"


def _generator():
    spec = importlib.util.spec_from_file_location("schema_generate", SCHEMAS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(name: str, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(document)]


def test_the_schema_files_are_what_the_generator_writes_and_carry_the_outputs_version():
    generator = _generator()
    assert generator.SCHEMA_VERSION == SCHEMA_VERSION
    for file_name, text in generator.documents().items():
        assert (SCHEMAS / file_name).read_text(encoding="utf-8") == text, "run python docs/schema/generate.py"


@pytest.mark.parametrize(
    "golden, name",
    [
        ("awards-2023.json", "awards"),
        ("demotions-2023.json", "demotions"),
        ("promotions-2023.json", "promotions"),
        ("explain-鹤亭县.json", "explain"),
        ("explain-省中医药管理局.json", "explain"),
    ],
)
def test_the_sample_years_documents_follow_their_schema(golden, name):
    document = json.loads((GOLDEN / golden).read_text(encoding="utf-8"))
    assert document["schema_version"] == SCHEMA_VERSION
    assert errors(name, document) == []


def invoke(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_documents_with_pending_undetermined_and_reduced_rows_follow_their_schema(book, tmp_path):
    monitoring = [["县区", "类型", "名次", "上年名次", "不得评优"]] + [
        [f"{i}号县", "县(市)", i, {5: 15, 15: 5}.get(i, i), "一票否决" if i == 2 else None] for i in range(1, 16)
    ]
    target = [["单位", "综合得分", "等次", "上年等次"]] + [
        [f"{c}市", 100 - i, "一般" if c == "癸" else None, None] for i, c in enumerate("甲乙丙丁戊己庚辛壬癸")
    ]
    cadres = [["姓名", "单位", "岗位类别", "年度考核等次"], ["张三", "癸市", "主要负责人", "基本称职"]]
    tolerance = [["单位", "文号", "范围", "结论"], ["癸市", "容1号", "目标责任考核", "减责"]]
    path = book({"县域监测": monitoring, "目标责任考核": target, "干部": cadres, "容错认定": tolerance})
    awards = invoke("awards", path, "--json")
    assert awards["pending_count"] == 1 and errors("awards", awards) == []
    demotions = invoke("demotions", path, "--json")
    assert demotions["undetermined"] and demotions["undetermined"][0]["reduced"] is True
    assert errors("demotions", demotions) == []
    assert errors("promotions", invoke("promotions", path, "--json")) == []
    assert errors("explain", invoke("explain", path, "张三", "--json")) == []
    assert errors("explain", invoke("explain", path, "5号县", "--json")) == []


def test_rules_show_json_follows_its_schema_for_a_built_in_and_a_local_pack():
    for extra in ((), ("--rules", ROOT / "sample_data" / "local-pack.toml"), ("--rules", "shaanxi-2016")):
        document = invoke("rules", "show", "--json", *extra)
        assert errors("rules", document) == []


def test_a_record_is_written_field_by_field_as_it_declares():
    """json_out.entry: fields in the record's order under their own names; fields shown with json="hidden" left out; json="share" to six
    decimals; exact numbers as integers when integral; dates ISO; nested records and tuples as objects and lists."""
    from datetime import date
    from decimal import Decimal
    from fractions import Fraction

    from sanshi.results import Component, ImpactPeriod, RankedCounty, UnitGrade
    from sanshi.writers.json_out import entry

    grade = UnitGrade("甲县", "县", Decimal("90.50"), 1, "优秀", True, "第五条", "依据", preset=True, barred="一票否决")
    assert entry(grade) == {
        "unit": "甲县",
        "group": "县",
        "score": 90.5,
        "rank": 1,
        "grade": "优秀",
        "excellent": True,
        "clause": "第五条",
        "basis": "依据",
    }
    county = RankedCounty("甲县", Fraction(2, 3), 1, (Component("县域监测", "名次 3", 3, 10, Fraction(7, 9)),))
    assert list(entry(county)) == ["unit", "score", "place", "components"]
    assert entry(county)["score"] == 0.666667 and entry(county)["components"][0]["percentile"] == 0.777778
    period = ImpactPeriod("张三", "甲县", None, "降职", date(2023, 3, 1), date(2025, 2, 28), "第十六条", "依据", "本年")
    assert (entry(period)["decided"], entry(period)["until"]) == ("2023-03-01", "2025-02-28")
