"""The clause registry refuses declarations that would clash with what the schema and the packs already have."""

import pytest

from sanshi.inputs.schema import CADRES, Column, Kind, add_columns
from sanshi.rules import registry
from sanshi.rules.params import ParamSpec, register_params


def test_a_declared_column_may_not_reuse_a_header_or_a_field_of_its_sheet():
    with pytest.raises(ValueError, match="干部 表已有列「职务」"):
        add_columns(CADRES.name, Column("职务", "another_field", Kind.TEXT))
    with pytest.raises(ValueError, match="字段 position"):
        add_columns(CADRES.name, Column("别的表头", "position", Kind.TEXT))


def test_a_declared_column_is_optional():
    with pytest.raises(ValueError, match="只能是选填列"):
        add_columns(CADRES.name, Column("新必填列", "new_required", Kind.TEXT, required=True))


def test_a_parameter_is_declared_once_and_with_a_kind_that_is_checked():
    with pytest.raises(ValueError, match="已有不同的声明"):
        register_params(ParamSpec("target.excellent_ratio", "count", "别的含义"))
    with pytest.raises(ValueError, match="没有检查函数"):
        register_params(ParamSpec("test.unknown_kind", "no_such_kind", "未知类型"))


def test_a_clause_is_run_by_a_command_that_runs_declared_clauses():
    rule = registry.ClauseRule("test", "awards", "测试", "测试", "个", run=lambda _: registry.ClauseOutcome())
    with pytest.raises(ValueError, match="命令 awards 不运行登记的条款"):
        registry.register(rule)
