"""Short terminal summaries with tabulate (the full detail is in the workbook and JSON)."""

from __future__ import annotations

from tabulate import tabulate

from sanshi.results import (POVERTY_EXCELLENT, TARGET_EXCELLENT, TOLERATED_LABEL, AwardsResult, CountyHead,
                             DemotionsResult, Exclusion, Explanation, PromotedCadre, PromotedUnit, PromotionsResult,
                             Trigger, YearReport)
from sanshi.rules.arith import num, percent
from sanshi.rules.params import RulePack, format_value


def _prize_lines(result: AwardsResult) -> list:
    """The awards that are prizes (all but the target assessment's 优秀 title, which pays per person)."""
    return [a for a in result.awards if a.award != TARGET_EXCELLENT]


def report_summary(report: YearReport, path: str) -> str:
    """What the year report holds, in three lines, and where it was written."""
    awards, demotions = report.awards, report.demotions
    return (f"{report.year}年度考核结果报告 · 规则包 {report.rules}\n"
            f"奖励资金合计 {num(awards.total_amount_wan)} 万元(共 {len(_prize_lines(awards))} 项);"
            f"能下触发 {len(demotions.candidates)} 人次,未能判定 {len(demotions.undetermined)} 人次;"
            f"历年趋势 {len(report.trends)} 个单位\n\n报告:{path}")


def awards_summary(result: AwardsResult) -> str:
    """The year's cuts, excellent units, county awards and the total, as plain-text tables."""
    parts = [f"{result.year}年度考核奖励结果 · 规则包 {result.rules} · 上年数据:{result.previous.source}"]
    if result.cuts:
        rows = [[c.assessment, c.group or "—", c.units, f"{c.units}×{percent(c.ratio)}→{c.quota}", c.eligible,
                 c.excellent, num(c.cut_score) if c.cut_score is not None else "—"] for c in result.cuts]
        parts.append(tabulate(rows, headers=["考核", "类别", "单位数", "名额", "可评优", "优秀", "名额线得分"],
                              tablefmt="simple"))
        for grades, title in ((result.target_units, "目标责任考核优秀单位"), (result.poverty_units, "脱贫攻坚优秀单位")):
            by_group: dict[str, list[str]] = {}
            for g in grades:
                if g.excellent:
                    by_group.setdefault(g.group, []).append(g.unit)
            for group, names in by_group.items():
                parts.append(f"{title}{'(' + group + ')' if group else ''}:{'、'.join(names)}")
    money = _prize_lines(result)
    if money:
        rows = [[a.award, a.unit, a.tier or "", num(a.amount_wan) if a.amount_wan is not None else "",
                 a.basis if a.award != POVERTY_EXCELLENT else ""] for a in money]
        parts.append(tabulate(rows, headers=["奖项", "单位", "等级", "万元", "依据"], tablefmt="simple"))
    parts.append(f"奖励资金合计:{num(result.total_amount_wan)} 万元(共 {len(money)} 项)")
    if result.bonus:
        paid = [b.amount_yuan for b in result.bonus if b.amount_yuan is not None]
        uplifted = sum(1 for b in result.bonus if b.coefficient > 1)
        total = f",合计 {num(sum(paid))} 元" if paid else ",每人金额未设定(只给出系数)"
        parts.append(f"目标责任考核个人奖金:{len(result.bonus)} 人,其中本人优秀提高系数 {uplifted} 人{total}")
    if result.cadre_quotas:
        parts.append(f"干部年度考核优秀名额:{len(result.cadre_quotas)} 个单位,合计 {sum(q.quota for q in result.cadre_quotas)} 名")
    return "\n\n".join(parts)


def rules_table(pack: RulePack) -> str:
    """Every parameter of a pack with its value, clause and note."""
    head = [f"规则包 {pack.label}:{pack.title}",
            f"发布:{pack.issued_by} {pack.issued_on or ''} · 施行:{pack.effective_from or ''} · 来源:{pack.origin}"]
    head.extend(f"注意:{c}" for c in pack.caveats)
    rows = [[p.key, p.label, format_value(p), p.clause, p.note] for p in pack.params.values()]
    table = tabulate(rows, headers=["参数", "含义", "取值", "条款", "说明"], tablefmt="simple", maxcolwidths=[None, 18, 24, 22, 40])
    return "\n".join(head) + "\n\n" + table


def _trigger_table(triggers: list[Trigger]) -> str:
    """能下 rows as one table: clause, unit, name, role, basis and 容错."""
    rows = [[t.key, t.unit, t.name or "(未列出)", t.role or "", t.basis,
             f"{TOLERATED_LABEL} {t.tolerance_ref}" if t.tolerated else ""] for t in triggers]
    return tabulate(rows, headers=["条款", "单位", "姓名", "岗位类别", "依据", "容错"],
                    maxcolwidths=[None, 16, 8, 10, 60, 22])


def demotions_summary(result: DemotionsResult) -> str:
    """The candidate list, the undetermined cases and the impact periods as plain-text tables."""
    unit = result.unit
    history = "、".join(f"{y}年" for y in result.history_years) or "无(只用工作簿的上年列)"
    scope = f" · 单位 {unit}" if unit else ""
    parts = [f"{result.year}年度能下触发名单{scope} · 规则包 {result.rules} · 历史数据:{history}"]
    tolerated = sum(1 for t in result.candidates if t.tolerated)
    if result.candidates:
        parts.append(f"能下触发名单:{len(result.candidates)} 人次,其中容错免责 {tolerated} 人次\n"
                     + _trigger_table(result.candidates))
    else:
        parts.append(f"{unit or '本年度'}未触发能下情形(能上能下办法第六条、第八条至第十三条)")
    if result.undetermined:
        parts.append(f"未能判定:{len(result.undetermined)} 人次(须补齐数据后重新运行)\n"
                     + _trigger_table(result.undetermined))
    if result.impact_periods:
        rows = [[p.name, p.unit, p.method, p.until.isoformat(), p.basis] for p in result.impact_periods]
        parts.append(f"{result.year}年末在影响期内:{len(result.impact_periods)} 人(能上能下办法第十六条)\n"
                     + tabulate(rows, headers=["姓名", "单位", "调整方式", "影响期至", "依据"],
                                maxcolwidths=[None, 16, None, None, 60]))
    return "\n\n".join(parts)


def notices_summary(counts: dict[str, int], sizes: dict[str, int], folder: str, formats: list[str]) -> str:
    """How many documents of each kind were written, and where."""
    rows = [[kind, counts.get(kind, 0), sizes[kind]] for kind in sizes]
    total = sum(counts.values())
    return "\n".join([
        tabulate(rows, headers=["公文", "本次生成", "全年共有"], tablefmt="simple"),
        f"\n共 {total} 份公文({'、'.join(formats)}),写到 {folder}" if total else "\n没有符合条件的公文,未写任何文件",
    ])


def templates_listing(entries: list[dict]) -> str:
    """--list-templates: each kind's template, when it is used, the variables and settings it reads."""
    parts = []
    for e in entries:
        lines = [f"{e['kind']}:{e['path']}{'' if e['exists'] else '(缺少)'}",
                 f"  用途:{e['description']}", f"  份数:{e['one_per']}"]
        if e.get("error"):
            lines.append(f"  错误:{e['error']}")
        for name, (line, meaning) in e.get("variables", {}).items():
            lines.append(f"  变量 {name}(第{line}行起):{meaning}")
        for key, (line, state) in e.get("settings", {}).items():
            lines.append(f"  发文设置 doc.{key}(第{line}行起):{state}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def layout_report(path: str, measurements: list[tuple[str, str]], problems: list[str]) -> str:
    """--check: the measured layout numbers, then the problems (or that there are none)."""
    table = tabulate(measurements, headers=["项目", "测得"], tablefmt="simple")
    verdict = (f"{path}:符合 GB/T 9704-2012 的版式要求" if not problems else
               f"{path}:{len(problems)} 处不符合 GB/T 9704-2012:\n" + "\n".join(f"  - {p}" for p in problems))
    return f"{table}\n\n{verdict}"


def explain_summary(result: Explanation) -> str:
    """Everything concluded about one unit or person, each line with its clause and arithmetic."""
    history = "、".join(f"{y}年" for y in result.history_years) or "无"
    where = "" if result.kind == "单位" else f"({'、'.join(result.units)})"
    parts = [f"{result.subject}{where} · {result.year}年度考核结论及依据 · 规则包 {result.rules}\n"
             f"上年名次:{result.previous.source} · 能下所用历史数据:{history}"]
    if result.grades:
        rows = [[g.group or "脱贫攻坚", num(g.score), g.rank, g.grade or "—", g.basis] for g in result.grades]
        title = "所在单位等次" if result.kind == "个人" else "等次"
        parts.append(f"{title}\n" + tabulate(rows, headers=["类别", "得分", "名次", "等次", "依据"],
                                             maxcolwidths=[None, None, None, None, 70]))
        parts.extend(f"名额测算({c.assessment}{' ' + c.group if c.group else ''}):{c.basis}({c.clause})"
                     for c in result.cuts)
    if result.awards:
        rows = [[a.award, a.tier or "", num(a.amount_wan) if a.amount_wan is not None else "—", a.basis, a.clause]
                for a in result.awards]
        total = sum(a.amount_wan for a in result.awards if a.amount_wan is not None)
        parts.append(f"奖励:{len(result.awards)} 项,奖励资金 {num(total)} 万元\n"
                     + tabulate(rows, headers=["奖项", "等级", "万元", "依据", "条款"],
                                maxcolwidths=[16, None, None, 50, 24]))
    parts.extend(f"干部年度考核优秀名额:{q.basis}({q.clause})" for q in result.cadre_quotas)
    if result.kind == "个人":
        parts.extend(f"个人考核奖金:{b.basis}({b.clause})" for b in result.bonus)
    elif result.bonus:
        paid = [b.amount_yuan for b in result.bonus if b.amount_yuan is not None]
        total = f",合计 {num(sum(paid))} 元" if paid else ",每人金额未设定"
        parts.append(f"个人考核奖金:{len(result.bonus)} 人{total}(逐人见 --json 或 awards 结果工作簿)")
    if result.candidates:
        parts.append(f"能下触发:{len(result.candidates)} 项\n"
                     + _trigger_table(result.candidates))
    else:
        parts.append("能下触发:无(能上能下办法第六条、第八条至第十三条)")
    if result.undetermined:
        parts.append(f"未能判定:{len(result.undetermined)} 项\n"
                     + _trigger_table(result.undetermined))
    parts.extend(f"影响期:{p.name} {p.basis}({p.clause})" for p in result.impact_periods)
    parts.extend(_promotion_lines(result.promoted_units, result.promoted_cadres, result.county_heads,
                                  result.excluded))
    parts.extend(f"提示:{note}" for note in result.notes)
    return "\n\n".join(parts)


def _years(years: tuple[int, ...]) -> str:
    return f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"


def _promotion_lines(units: list[PromotedUnit], cadres: list[PromotedCadre], heads: list[CountyHead],
                     excluded: list[Exclusion]) -> list[str]:
    """The subject's places on the promotion lists (鼓励激励办法第七条) and any exclusion, for explain."""
    lines = [f"选拔重用:{u.unit} {u.basis}({u.clause})" for u in units]
    lines += [f"选拔重用:{c.name} {c.basis}({c.clause})" for c in cadres]
    lines += [f"选拔重用:{h.name}({h.unit}{h.position or ''})优秀县(市、区)党政正职,{h.basis}({h.clause})"
              for h in heads]
    lines += [f"选拔重用不列入:{e.name}({e.unit}),本应列入{e.clause}:{e.reason}" for e in excluded]
    return lines


def promotions_summary(result: PromotionsResult) -> str:
    """The three promotion lists (鼓励激励办法第七条), who was left out and why, and what could not be judged."""
    history = "、".join(f"{y}年" for y in result.history_years) or "无"
    parts = [f"{result.year}年度选拔重用名单 · 规则包 {result.rules} · 历史数据:{history}"]
    if result.cadres:
        rows = [[c.name, c.unit, c.position or "", _years(c.years), c.basis] for c in result.cadres]
        parts.append(f"连续三年以上年度考核优秀的党政干部(第七条第(一)项):{len(result.cadres)} 人\n"
                     + tabulate(rows, headers=["姓名", "单位", "职务", "优秀年度", "依据"],
                                maxcolwidths=[None, 16, 16, None, 50]))
    else:
        parts.append("连续三年以上年度考核优秀的党政干部(第七条第(一)项):无")
    if result.units:
        rows = [[u.unit, _years(u.years), u.basis] for u in result.units]
        parts.append(f"连续三年目标责任考核优秀的单位(第七条第(二)项):{len(result.units)} 个\n"
                     + tabulate(rows, headers=["单位", "优秀年度", "依据"], maxcolwidths=[16, None, 60]))
    else:
        parts.append("连续三年目标责任考核优秀的单位(第七条第(二)项):无")
    if result.county_heads:
        rows = [[h.place, h.unit, h.name, h.position or "", percent(h.score),
                 ";".join(f"{c.assessment}{c.value} {percent(c.percentile)}" for c in h.components)]
                for h in result.county_heads]
        parts.append(f"优秀县(市、区)党政正职(第七条第(三)项):{len(result.county_heads)} 人\n"
                     + tabulate(rows, headers=["综合名次", "县(市、区)", "姓名", "职务", "综合分", "各项(百分位)"],
                                maxcolwidths=[None, None, None, 16, None, 50]))
    if result.excluded:
        rows = [[e.name, e.unit, e.clause, e.reason] for e in result.excluded]
        parts.append(f"不列入:{len(result.excluded)} 人(影响期或本年能下情形)\n"
                     + tabulate(rows, headers=["姓名", "单位", "本应列入", "原因"], maxcolwidths=[None, 16, 22, 60]))
    if result.undetermined:
        rows = [[e.name or "—", e.unit, e.clause, e.reason] for e in result.undetermined]
        parts.append(f"未能判定:{len(result.undetermined)} 项(须补齐数据后重新运行)\n"
                     + tabulate(rows, headers=["姓名", "单位", "条款", "原因"], maxcolwidths=[None, 16, 22, 60]))
    return "\n\n".join(parts)


def year_end_summary(run, folder: str, files: list) -> str:
    """What `sanshi year` did: the history it imported, one line per result, and the folder's contents."""
    awards, demotions, promotions = run.awards, run.demotions, run.promotions
    parts = [f"{run.year}年度考核结果 · 规则包 {run.rules} · 上年数据:{awards.previous.source}"]
    lines = []
    for path, outcome in run.imports:
        if outcome.unchanged:
            lines.append(f"历史库:{outcome.year}年 {path} 与第{outcome.revision}版是同一文件,未重复导入")
        elif outcome.replaced:
            lines.append(f"历史库:{outcome.year}年 {path} 已导入为第{outcome.revision}版,取代第{outcome.replaced.revision}版")
        else:
            lines.append(f"历史库:{outcome.year}年 {path} 已导入(第{outcome.revision}版)")
    excellent = [g for g in awards.target_units if g.excellent]
    poverty = [g for g in awards.poverty_units if g.excellent]
    lines.append(f"评优与奖励:目标责任考核优秀单位 {len(excellent)} 个,脱贫攻坚优秀单位 {len(poverty)} 个;"
                 f"奖励资金合计 {num(awards.total_amount_wan)} 万元(共 {len(_prize_lines(awards))} 项)")
    tolerated = sum(1 for t in demotions.candidates if t.tolerated)
    lines.append(f"能下触发名单:{len(demotions.candidates)} 人次(其中容错免责 {tolerated} 人次),"
                 f"未能判定 {len(demotions.undetermined)} 人次,年末在影响期内 {len(demotions.impact_periods)} 人")
    lines.append(f"选拔重用名单:连续三年优秀干部 {len(promotions.cadres)} 人,连续三年优秀单位 {len(promotions.units)} 个,"
                 f"优秀县(市、区)党政正职 {len(promotions.county_heads)} 人")
    lines.append(f"公文:{len(run.notices.documents)} 份")
    parts.append("\n".join(lines))
    documents = [f for f in files if len(f.parts) > 1]
    listing = [f"  {f}" for f in files if len(f.parts) == 1]
    if documents:
        listing.insert(-1, f"  {documents[0].parts[0]}/({len(documents)} 个文件)")
    parts.append(f"结果文件夹:{folder}(共 {len(files)} 个文件)\n" + "\n".join(listing))
    return "\n\n".join(parts)
