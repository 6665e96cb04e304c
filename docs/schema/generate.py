"""Writes the JSON Schemas of sanshi's `--json` outputs (docs/schema/*.schema.json).

The schemas are written here, by hand, field by field as sanshi/writers/json_out.py writes them; a value
that can be absent in a result record (`str | None`) is nullable here. tests/test_json_schema.py checks that
the files are what this script writes and that real outputs validate. Run: python docs/schema/generate.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMA_VERSION = 1  # the `schema_version` every --json document carries; raised when a key changes meaning
DRAFT = "https://json-schema.org/draft/2020-12/schema"

STR, INT, BOOL, NUM = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}


def nullable(schema: dict) -> dict:
    return {"type": [schema["type"], "null"]}


def obj(**properties: dict) -> dict:
    """An object with exactly these keys, all present."""
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
SOURCE = obj(file=STR, sha256={"type": "string", "pattern": "^[0-9a-f]{64}$"})
PREVIOUS = obj(year=nullable(INT), source=STR)
UNIT_GRADE = obj(unit=STR, group=STR, score=NUM, rank=INT, grade=nullable(STR), excellent=BOOL, clause=STR, basis=STR)
CUT = obj(
    assessment=STR,
    group=STR,
    units=INT,
    ratio=NUM,
    rounding=STR,
    quota=INT,
    eligible=INT,
    excellent=INT,
    cut_score=nullable(NUM),
    clause=STR,
    basis=STR,
)
FACT = obj(what=STR, value=STR, year=nullable(INT), source=STR)
AWARD = obj(unit=STR, award=STR, tier=nullable(STR), amount_wan=nullable(NUM), clause=STR, basis=STR, facts=array(FACT))
PENDING = obj(unit=STR, award=STR, clause=STR, missing=STR)
QUOTA = obj(unit=STR, grade=nullable(STR), staff=INT, ratio=NUM, quota=INT, clause=STR, basis=STR)
BONUS = obj(
    name=STR,
    unit=STR,
    unit_grade=nullable(STR),
    cadre_grade=nullable(STR),
    coefficient=NUM,
    base_amount_yuan=nullable(NUM),
    amount_yuan=nullable(NUM),
    clause=STR,
    basis=STR,
)
TRIGGER = obj(
    name=STR,
    unit=STR,
    position=nullable(STR),
    role=nullable(STR),
    article=INT,
    item=INT,
    clause=STR,
    basis=STR,
    tolerated=BOOL,
    tolerance_ref=nullable(STR),
    reduced=BOOL,
    cadre_id=nullable(STR),
    facts=array(FACT),
)
IMPACT = obj(
    name=STR, unit=STR, cadre_id=nullable(STR), method=STR, decided=DATE, until=DATE, clause=STR, basis=STR, source=STR
)
COMPONENT = obj(assessment=STR, value=STR, rank=INT, count=INT, percentile=NUM)
PROMOTED_UNIT = obj(unit=STR, years=array(INT), clause=STR, basis=STR)
PROMOTED_CADRE = obj(
    name=STR, unit=STR, years=array(INT), cadre_id=nullable(STR), position=nullable(STR), clause=STR, basis=STR
)
COUNTY_HEAD = obj(
    name=STR,
    unit=STR,
    score=NUM,
    components=array(COMPONENT),
    place=INT,
    cadre_id=nullable(STR),
    position=nullable(STR),
    clause=STR,
    basis=STR,
)
EXCLUSION = obj(name=STR, unit=STR, reason=STR, clause=STR, cadre_id=nullable(STR))
# The lists of the declared clauses (sanshi/rules/clauses/), each under its clause's key: the same row shape for
# every clause, its own facts as text under `facts`. A new clause adds a key, not a schema change.
LISTED = obj(
    name=nullable(STR),
    unit=STR,
    cadre_id=nullable(STR),
    position=nullable(STR),
    clause=STR,
    basis=STR,
    facts={"type": "object", "additionalProperties": STR},
)
LISTS = {"type": "object", "additionalProperties": array(LISTED)}
UNCOMPUTED = obj(clause=STR, what=STR, why=STR)
# `diff`: an input cell that differs (column 新增行/删除行 for a whole row only one version has) and a result
# that differs, with the cells behind it or the units whose changes pushed it.
INPUT_CHANGE = obj(file=STR, sheet=STR, cell=STR, column=STR, row=STR, old=nullable(STR), new=nullable(STR))
RESULT_CHANGE = obj(
    kind={
        "enum": [
            "目标责任考核等次",
            "脱贫攻坚等次",
            "奖励",
            "未能判定的奖励",
            "干部优秀名额",
            "个人奖金",
            "能下情形",
            "影响期",
            "选拔重用",
        ]
    },
    change={"enum": ["新增", "取消", "变化"]},
    unit=STR,
    name=nullable(STR),
    subject=STR,
    before=nullable(STR),
    after=nullable(STR),
    clause=STR,
    before_basis=nullable(STR),
    after_basis=nullable(STR),
    inputs=array(INPUT_CHANGE),
    pushed_by=array(STR),
    parameters={
        **array(STR),
        "description": "测算(diff --set)时,本单位及同组输入均未变而由规则包参数改动引起的变化:参数 原值→测算值",
    },
)
DIFF_SIDE = obj(file=STR, sha256={"type": "string", "pattern": "^[0-9a-f]{64}$"}, rules=STR)
VERSION = {"const": SCHEMA_VERSION}
PACK_IDENTITY = obj(name=STR, label=STR, title=STR, origin=STR)
# A what-if run (--set key=value): each parameter it changed, with its value as the pack ships it and as set, both
# as `sanshi rules show` prints them; and the marker every output of the run carries. A real run: [] and "".
WHAT_IF = {
    **obj(key=STR, label=STR, shipped=STR, value=STR),
    "description": "测算(--set)改动的参数:参数名、中文名称、规则包原值、测算取值",
}
WHAT_IF_LIST = {**array(WHAT_IF), "description": "测算改动的参数;正式结果为空列表"}
WHAT_IF_TITLE = {
    **STR,
    "description": "测算标记,如「【测算,非正式结果】target.excellent_ratio 35%→30%」;正式结果为空字符串",
}

SCHEMAS = {
    "awards": obj(
        schema_version=VERSION,
        year=INT,
        rules=STR,
        source=SOURCE,
        what_if=WHAT_IF_LIST,
        what_if_title=WHAT_IF_TITLE,
        previous_year=PREVIOUS,
        target_units=array(UNIT_GRADE),
        poverty_units=array(UNIT_GRADE),
        cuts=array(CUT),
        awards=array(AWARD),
        total_amount_wan=NUM,
        undetermined=array(PENDING),
        pending_count=INT,
        cadre_quotas=array(QUOTA),
        bonus=array(BONUS),
        warnings=array(STR),
    ),
    "demotions": obj(
        schema_version=VERSION,
        year=INT,
        rules=STR,
        source=SOURCE,
        what_if=WHAT_IF_LIST,
        what_if_title=WHAT_IF_TITLE,
        history_years=array(INT),
        candidates=array(TRIGGER),
        undetermined=array(TRIGGER),
        impact_periods=array(IMPACT),
        warnings=array(STR),
    ),
    "promotions": obj(
        schema_version=VERSION,
        year=INT,
        rules=STR,
        source=SOURCE,
        what_if=WHAT_IF_LIST,
        what_if_title=WHAT_IF_TITLE,
        history_years=array(INT),
        units=array(PROMOTED_UNIT),
        cadres=array(PROMOTED_CADRE),
        county_heads=array(COUNTY_HEAD),
        lists=LISTS,
        county_ranking=array(obj(unit=STR, score=NUM, place=INT, components=array(COMPONENT))),
        excluded=array(EXCLUSION),
        undetermined=array(EXCLUSION),
        warnings=array(STR),
    ),
    "explain": obj(
        schema_version=VERSION,
        year=INT,
        rules=STR,
        subject=STR,
        kind={"enum": ["单位", "个人"]},
        units=array(STR),
        grades=array(UNIT_GRADE),
        cuts=array(CUT),
        awards=array(AWARD),
        cadre_quotas=array(QUOTA),
        bonus=array(BONUS),
        candidates=array(TRIGGER),
        undetermined=array(TRIGGER),
        impact_periods=array(IMPACT),
        previous_year=PREVIOUS,
        history_years=array(INT),
        promotions=obj(
            units=array(PROMOTED_UNIT),
            cadres=array(PROMOTED_CADRE),
            county_heads=array(COUNTY_HEAD),
            lists=LISTS,
            excluded=array(EXCLUSION),
        ),
        notes=array(STR),
        uncomputed=array(UNCOMPUTED),
    ),
    "diff": obj(
        schema_version=VERSION,
        year=INT,
        old=DIFF_SIDE,
        new=DIFF_SIDE,
        changed=BOOL,
        changes=array(RESULT_CHANGE),
        totals=array(obj(what=STR, before=NUM, after=NUM, unit=STR)),
        inputs=array(INPUT_CHANGE),
        warnings=array(STR),
        what_if=WHAT_IF_LIST,
        what_if_title=WHAT_IF_TITLE,
    ),
    "rules": obj(
        schema_version=VERSION,
        name=STR,
        base=nullable(STR),
        title=STR,
        origin=STR,
        caveats=array(STR),
        params=array(obj(key=STR, label=STR, value=STR, clause=STR, note=STR, set_by=STR)),
        uncomputed=array(UNCOMPUTED),
    ),
    # `rules diff A B --json`: the parameters whose values differ (as `rules show` prints them), with both clauses;
    # `clause_only` counts those whose values are equal and whose clauses differ.
    "rules_diff": obj(
        schema_version=VERSION,
        a=PACK_IDENTITY,
        b=PACK_IDENTITY,
        differences=array(obj(key=STR, label=STR, a=STR, b=STR, clause_a=STR, clause_b=STR)),
        clause_only=INT,
    ),
}


def documents() -> dict[str, str]:
    """Each schema file's name and text."""
    out = {}
    for name, schema in SCHEMAS.items():
        whole = {
            "$schema": DRAFT,
            "$id": f"sanshi-{name}-{SCHEMA_VERSION}",
            "title": f"sanshi {name} --json(第{SCHEMA_VERSION}版)",
            **schema,
        }
        out[f"{name}.schema.json"] = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    return out


if __name__ == "__main__":
    for file_name, text in documents().items():
        (HERE / file_name).write_text(text, encoding="utf-8")
        print(f"wrote docs/schema/{file_name}")
