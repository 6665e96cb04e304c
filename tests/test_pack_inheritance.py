"""Packs inherit: a built-in pack may build on another (shaanxi-2016 states only what differs from 2018, its
citations restated by `[pack] base_citation`), a local pack may build on either, and parameters are read by
typed accessors that check the parameter's kind."""

import hashlib
from decimal import Decimal
from fractions import Fraction

import pytest

import sanshi.rules.params as params
from sanshi.errors import PackError
from sanshi.rules.params import builtin_pack_bytes, load_pack

OLD, NEW = "shaanxi-2016", "shaanxi-2018"


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_a_builtin_pack_reads_its_builtin_base_and_records_both_files():
    pack = load_pack(OLD)
    own, base = builtin_pack_bytes(OLD), builtin_pack_bytes(NEW)
    assert b'base = "shaanxi-2018"' in own
    assert pack.files == ((OLD, None, sha(own)), (NEW, None, sha(base)))
    assert pack.sha256 == sha(own + base)
    # How the edition is written is not how a run names it: still a built-in pack, not "基于" another.
    assert pack.base is None and pack.label == OLD and pack.origin == "内置 shaanxi-2016"


def test_2016_citations_are_the_2018_ones_restated():
    pack = load_pack(OLD)
    assert pack.clause("target.excellent_ratio") == "鼓励激励办法(2016年版,条款编号待核;对应2018年版第五条第(一)项)"
    assert pack.clause("poverty.barring_cases") == (
        "鼓励激励办法(2016年版,条款编号待核;对应2018年版第五条第(三)项);"
        "能上能下办法(2016年版,条款编号待核;对应2018年版第十条)"
    )
    # A part citing another document stays as written.
    assert pack.clause("county.amount_cap") == (
        "鼓励激励办法(2016年版,条款编号待核;对应2018年版第六条第(二)项);陕西省县域经济社会发展监测考评办法(2016年)"
    )
    assert [m.clause for m in pack.manual_clauses("uncomputed.clauses")] == [
        "能上能下办法(2016年版,条款编号待核;对应2018年版第七条)",
        "能上能下办法(2016年版,条款编号待核;对应2018年版第四条、第十五条)",
        "容错纠错办法(2016年版,条款编号待核;对应2018年版第六条至第八条)",
    ]
    # The file writes none of these: they come from 2018's through base_citation.
    assert "2018年版第五条第(一)项)".encode() not in builtin_pack_bytes(OLD)


def test_2016_keeps_its_own_notes_values_and_case_texts():
    pack = load_pack(OLD)
    assert pack.ratio("target.excellent_ratio") == Fraction(35, 100)  # the 2018 value, restated
    assert pack["target.excellent_ratio"].note == (
        "对年度目标责任考核综合得分排序靠前的单位授予“年度目标责任考核优秀等次”;比例沿用35%,待核"
    )
    assert pack.optional_ratio("demotion.vote_incompetent_ratio") == Fraction(15, 100)
    assert pack.names("strong_county.titles") == ()
    assert pack.cite(10, 2) == (
        "能上能下办法(2016年版)依据扶贫绩效考核结果调整的情形(条、项编号待核,对应2018年版第十条第(二)项)"
    )
    assert pack["target.rounding"].note == load_pack(NEW)["target.rounding"].note  # not restated: 2018's


def test_base_citation_restates_inherited_case_texts(tmp_path):
    path = tmp_path / "local.toml"
    path.write_text(
        '[pack]\nname = "本地"\nbase = "shaanxi-2018"\nbase_citation = "{办法}(本地引用;{条款})"\n', encoding="utf-8"
    )
    pack = load_pack(path)
    assert pack.cite(10, 2) == "能上能下办法(本地引用;第十条第(二)项)"
    assert pack.cite(9) == "能上能下办法(本地引用;第九条)"
    assert pack.clause("target.excellent_ratio") == "鼓励激励办法(本地引用;第五条第(一)项)"
    assert pack["target.excellent_ratio"].source == "本地"


def test_a_local_pack_on_2016_inherits_through_two_levels(tmp_path):
    path = tmp_path / "local.toml"
    path.write_text(
        '[pack]\nname = "本地"\nbase = "shaanxi-2016"\n\n[county.base_amount]\nvalue = 40\n', encoding="utf-8"
    )
    pack = load_pack(path)
    assert pack.amount("county.base_amount") == Decimal(40)
    assert pack.clause("county.base_amount") == "鼓励激励办法(2016年版,条款编号待核;对应2018年版第六条第(二)项)"
    assert pack.optional_ratio("demotion.vote_incompetent_ratio") == Fraction(15, 100)
    assert pack.names("strong_county.titles") == ()
    assert pack.label == "本地(基于 shaanxi-2016)" and pack.effective_from == load_pack(OLD).effective_from
    raw, old, new = path.read_bytes(), builtin_pack_bytes(OLD), builtin_pack_bytes(NEW)
    assert pack.files == (("本地", str(path.resolve()), sha(raw)), (OLD, None, sha(old)), (NEW, None, sha(new)))
    assert pack.sha256 == sha(raw + old + new)


def fake_builtins(monkeypatch, packs: dict[str, str]) -> None:
    monkeypatch.setattr(params, "builtin_names", lambda: sorted(packs))
    monkeypatch.setattr(params, "builtin_pack_bytes", lambda name: packs[name].encode("utf-8"))


@pytest.mark.parametrize(
    "packs, expected",
    [
        (
            {"甲": '[pack]\nname = "甲"\nbase = "乙"\n', "乙": '[pack]\nname = "乙"\nbase = "甲"\n'},
            "乙.toml › [pack] base: 规则包循环基于自身(甲 → 乙 → 甲),请改为基于其他内置规则包",
        ),
        ({"甲": '[pack]\nname = "甲"\nbase = "甲"\n'}, "甲.toml › [pack] base: 规则包循环基于自身(甲 → 甲)"),
        ({"甲": '[pack]\nname = "甲"\nbase = "丙"\n'}, "甲.toml › [pack] base: 「丙」不是内置规则包(甲)"),
    ],
)
def test_a_builtin_base_must_be_another_builtin_without_a_cycle(monkeypatch, packs, expected):
    fake_builtins(monkeypatch, packs)
    with pytest.raises(PackError) as caught:
        load_pack("甲")
    assert expected in str(caught.value)


def test_base_citation_needs_a_base_and_both_slots(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('[pack]\nname = "x"\nbase = "shaanxi-2018"\nbase_citation = "{办法}2016年版"\n', encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(path)
    assert "x.toml › [pack] base_citation: 应为含 {办法}、{条款} 的文字" in str(caught.value)


def test_typed_accessors_check_the_kind():
    pack = load_pack(NEW)
    assert pack.count("county.top_counties") == 10
    assert pack.years("demotion.decline_years") == 2
    assert pack.optional_amount("county.amount_cap") is None
    with pytest.raises(TypeError, match="county.top_counties is a count parameter, not ratio"):
        pack.ratio("county.top_counties")
    with pytest.raises(TypeError, match="demotion.decline_years is a years parameter, not count"):
        pack.count("demotion.decline_years")
    with pytest.raises(TypeError, match="county.amount_cap is an optional amount parameter, not amount"):
        pack.amount("county.amount_cap")
