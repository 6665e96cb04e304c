"""Hypothesis profiles: deterministic by default, random on request."""

from __future__ import annotations

from hypothesis import settings

# Hypothesis never draws by chance unless asked to: the default profile ("ci") derives every example
# from the test itself, keeps no example database, and runs each test's own fixed example count, so a
# failure is reproduced by the next run. `pytest --hypothesis-profile=fuzz` draws at random, ten times
# as many examples, and remembers failures in .hypothesis/ (README, 开发).
settings.register_profile("ci", derandomize=True, database=None, max_examples=100, print_blob=True)
settings.register_profile("fuzz", derandomize=False, max_examples=1000, print_blob=True)
settings.load_profile("ci")


def examples(count: int) -> int:
    """A test's example count: `count` under the default profile, scaled with the loaded profile (×10 for fuzz)."""
    return count * settings().max_examples // 100
