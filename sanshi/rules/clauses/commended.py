"""鼓励激励办法 第七条第(四)项: 对在党的建设、脱贫攻坚、生态环保、安全生产、综治维稳等方面作出突出贡献,受到党中央、
国务院或省委、省政府表彰的党政干部,优先提拔使用.

The 干部 sheet states each commendation: 「表彰」 (what it was) and 「表彰机关」 (who gave it). A cadre commended by
one of the bodies the pack lists ([promotion.commendation_bodies]; other spellings by [demotion.body_aliases]) is
listed, unless an impact period or this year's 能下 case holds them back. A commendation without its body, or a
body without the commendation, is undetermined: the text needs both. A body the pack does not list (市委, a
provincial department) is no case, and is said in case it is another way of writing a listed body.
"""

from __future__ import annotations

from typing import Any

from sanshi.errors import RunWarning
from sanshi.inputs.reader import Table
from sanshi.inputs.schema import CADRES, Column, Kind
from sanshi.results import Exclusion, ListedRow
from sanshi.rules import registry
from sanshi.rules.censure import Bodies
from sanshi.rules.params import ParamSpec

BODIES = "promotion.commendation_bodies"
COMMENDATION = Column("表彰", "commendation", Kind.REASON, help="所受表彰,如 全省脱贫攻坚先进个人;无则留空")
COMMENDED_BY = Column("表彰机关", "commended_by", Kind.TEXT, help="作出表彰的机关,如 省委、省政府")


def commended(given: registry.ClauseInput) -> registry.ClauseOutcome:
    outcome = registry.ClauseOutcome()
    table = given.tables.get(CADRES.name)
    if table is None:
        return outcome  # no 干部 sheet: the promotions already say so
    if not (table.has(COMMENDATION.field) or table.has(COMMENDED_BY.field)):
        outcome.warnings.append(
            RunWarning(
                "promotion.no_commendation_columns",
                f"干部表没有「{COMMENDATION.header}」「{COMMENDED_BY.header}」列,未评定第七条第(四)项"
                "(受党中央、国务院或省委、省政府表彰的党政干部)",
                clause=given.pack.clause(BODIES),
            )
        )
        return outcome
    listed = given.pack.names(BODIES)
    bodies = Bodies(given.pack)
    clause = given.pack.clause(BODIES)
    for index, row in enumerate(table.rows):
        _one(table, index, row, listed, bodies, clause, given, outcome)
    return outcome


def _one(
    table: Table,
    index: int,
    row: dict[str, Any],
    listed: tuple[str, ...],
    bodies: Bodies,
    clause: str,
    given: registry.ClauseInput,
    outcome: registry.ClauseOutcome,
) -> None:
    name, unit, cadre_id = row["name"], row["unit"], row.get("cadre_id")
    honour, written = row.get(COMMENDATION.field), row.get(COMMENDED_BY.field)
    if honour is None and written is None:
        return
    if honour is None or written is None:
        blank = COMMENDATION if honour is None else COMMENDED_BY
        cell = table.cell(index, blank.field)
        outcome.undetermined.append(
            Exclusion(
                name,
                unit,
                clause=clause,
                reason=f"{given.source} › {CADRES.name} › {cell}:「{blank.header}」未填",
                cadre_id=cadre_id,
            )
        )
        return
    named = bodies.split(written)
    among = [b for b in named if bodies.among(b, listed)]
    if not among:
        outcome.warnings.append(
            RunWarning(
                "promotion.commendation_body_unlisted",
                f"{given.source} › {CADRES.name} › {table.cell(index, COMMENDED_BY.field)}: {name}({unit})的"
                f"「{honour}」由{written}作出,不是{clause}所列的机关({'、'.join(listed)}),未列入;"
                "如是所列机关的其他写法,请在规则包 demotion.body_aliases 中补充",
                units=(unit,),
                people=(name,),
                clause=clause,
            )
        )
        return
    if given.holds.check(name, unit, cadre_id, clause, outcome):
        basis = f"受到{'、'.join(among)}表彰:{honour}"
        outcome.rows.append(ListedRow(unit, name, cadre_id, row.get("position"), clause, basis, (honour, written)))


registry.register(
    registry.ClauseRule(
        key="commended",
        command="promotions",
        title="受党中央、国务院或省委、省政府表彰的党政干部(第七条第(四)项)",
        short="受表彰干部",
        noun="人",
        run=commended,
        params=(ParamSpec(BODIES, "texts", "第七条第(四)项所列的表彰机关"),),
        columns=((CADRES.name, COMMENDATION), (CADRES.name, COMMENDED_BY)),
        facts=(registry.FactColumn.of(COMMENDATION), registry.FactColumn.of(COMMENDED_BY)),
    )
)
