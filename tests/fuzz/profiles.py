"""Hypothesis profiles for the fuzz tests (registered here, so before any test runs).

`fuzz` (the default) is what CI runs: a fixed seed (`derandomize`), so a run fails only on a
real change, and few enough examples that the directory runs in under half a minute on two cores.
`HYPOTHESIS_PROFILE=explore` runs ten times more random examples, for a deeper look by hand.
No example database: nothing is written into the work tree.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,  # parsing a whole plan takes milliseconds, and CI machines stall
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("fuzz", max_examples=500, derandomize=True, **_COMMON)
settings.register_profile("explore", max_examples=5000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


def examples(n: int) -> int:
    """`n` examples under the CI profile, scaled up with the profile (for slow tests)."""
    return max(1, n * settings.default.max_examples // 500)
