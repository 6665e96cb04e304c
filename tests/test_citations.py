"""Clause texts as data (rules/cases.parse_citation): the 办法, 条 and 项 of every citation the packs write."""

import pytest

from sanshi.rules.arith import chinese_number
from sanshi.rules.cases import Citation, parse_citation
from sanshi.rules.params import load_pack


def test_one_clause_two_documents_and_ranges():
    assert parse_citation("鼓励激励办法第五条第(三)项;能上能下办法第十条") == (
        Citation("鼓励激励办法", 5, 3),
        Citation("能上能下办法", 10),
    )
    assert parse_citation("能上能下办法第六条、第八条第(四)项、第十一条至第十三条") == (
        Citation("能上能下办法", 6),
        Citation("能上能下办法", 8, 4),
        Citation("能上能下办法", 11),
        Citation("能上能下办法", 12),
        Citation("能上能下办法", 13),
    )
    assert parse_citation("能上能下办法第六条第(一)项至第(三)项、第十一条第(一)项") == (
        Citation("能上能下办法", 6, 1),
        Citation("能上能下办法", 6, 2),
        Citation("能上能下办法", 6, 3),
        Citation("能上能下办法", 11, 1),
    )
    assert parse_citation("容错纠错办法第九条第(一)项、第(二)项") == (
        Citation("容错纠错办法", 9, 1),
        Citation("容错纠错办法", 9, 2),
    )


def test_the_2016_edition_keeps_the_2018_numbers_and_says_its_edition():
    assert parse_citation(
        "鼓励激励办法(2016年版,条款编号待核;对应2018年版第五条第(三)项);能上能下办法(2016年版,条款编号待核;对应2018年版第十条)"
    ) == (
        Citation("鼓励激励办法", 5, 3, "2016年版"),
        Citation("能上能下办法", 10, None, "2016年版"),
    )
    assert parse_citation(
        "能上能下办法(2016年版)依据扶贫绩效考核结果调整的情形(条、项编号待核,对应2018年版第十条第(二)项)"
    ) == (Citation("能上能下办法", 10, 2, "2016年版"),)
    assert parse_citation("能上能下办法、容错纠错办法(2016年版,条款编号待核)") == (
        Citation("能上能下办法", None, None, "2016年版"),
        Citation("容错纠错办法", None, None, "2016年版"),
    )


def test_another_document_or_a_local_wording_is_kept_as_written():
    assert parse_citation("鼓励激励办法第六条第(二)项;陕西省县域经济社会发展监测考评办法(2016年)") == (
        Citation("鼓励激励办法", 6, 2),
        Citation("陕西省县域经济社会发展监测考评办法(2016年)"),
    )
    assert parse_citation("示例市实施细则第七条") == (Citation("示例市实施细则", 7),)
    assert parse_citation("示例市实施细则第七条第一款") == (Citation("示例市实施细则第七条第一款"),)  # not 第(X)项


@pytest.mark.parametrize("name", ["shaanxi-2018", "shaanxi-2016"])
def test_every_clause_the_built_in_packs_write_is_read_with_its_numbers(name):
    pack = load_pack(name)
    texts = {p.clause for p in pack.params.values()} | set(pack.text_map("demotion.clauses").values())
    texts |= {m.clause for m in pack.manual_clauses("uncomputed.clauses")}
    for text in texts:
        citations = parse_citation(text)
        assert citations, text
        for c in citations:
            if c.document in ("鼓励激励办法", "容错纠错办法", "能上能下办法"):
                # a 办法 is cited with an article, except where the pack names a whole 2016 办法
                assert c.article is not None or c.edition, text
            else:
                assert "第" not in c.document or "(" in c.document, (text, c)


def test_clause_numbers_in_words():
    assert [chinese_number(n) for n in (1, 8, 10, 13, 16, 20, 21)] == [
        "一",
        "八",
        "十",
        "十三",
        "十六",
        "二十",
        "二十一",
    ]
    assert Citation("能上能下办法", 8, 1).text == "能上能下办法第八条第(一)项"
    assert Citation("能上能下办法", 16).text == "能上能下办法第十六条"


def test_a_result_record_has_its_clause_as_data():
    from decimal import Decimal

    from sanshi.results import Award

    award = Award("鹤亭县", "十强县", None, Decimal(110), "鼓励激励办法第五条第(二)项;鼓励激励办法第六条第(二)项", "")
    assert award.citations == (Citation("鼓励激励办法", 5, 2), Citation("鼓励激励办法", 6, 2))


def test_a_reference_names_each_document_once_and_keeps_an_earlier_editions_text():
    from sanshi.rules.cases import cite

    assert (
        cite(["鼓励激励办法第五条第(二)项", "鼓励激励办法第六条第(二)项"])
        == "鼓励激励办法第五条第(二)项、第六条第(二)项"
    )
    assert cite(["容错纠错办法第九条第(一)项、第(二)项"]) == "容错纠错办法第九条第(一)项、第(二)项"
    assert cite(["鼓励激励办法第五条第(三)项;能上能下办法第十条"]) == "鼓励激励办法第五条第(三)项和能上能下办法第十条"
    assert cite(["鼓励激励办法第五条第(二)项", "鼓励激励办法第五条第(二)项"]) == "鼓励激励办法第五条第(二)项"
    old = "鼓励激励办法(2016年版,条款编号待核;对应2018年版第五条第(二)项)"
    assert cite([old]) == old  # never presented as the 2016 text's own numbering


@pytest.mark.parametrize("name", ["shaanxi-2018", "shaanxi-2016"])
def test_every_clause_of_the_packs_is_cited_with_each_document_named_once(name):
    """The one formatter, on every clause text the built-in packs contain: the result cites the same articles and
    items, and a 办法 of the current edition is never named twice in a row."""
    from sanshi.rules.cases import cite

    pack = load_pack(name)
    texts = {p.clause for p in pack.params.values()} | set(pack.text_map("demotion.clauses").values())
    texts |= {m.clause for m in pack.manual_clauses("uncomputed.clauses")}
    for text in texts:
        reference = cite([text])
        citations = parse_citation(text)
        if any(c.edition for c in citations):
            assert reference == text
            continue
        for document in {c.document for c in citations if c.article}:
            assert reference.count(document) == 1, (text, reference)
        assert parse_citation(reference.replace("和", ";")) == tuple(dict.fromkeys(citations)), (text, reference)
