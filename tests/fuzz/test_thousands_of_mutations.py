"""The importer over thousands of mutated seeds: each ends in a plan or a clear error.

Plain `random` with a fixed seed, not Hypothesis: many cheap inputs rather than a few
shrunk ones. `FUZZ_MUTATIONS=20000` (and `FUZZ_SEED`) run more or other inputs by hand.
"""

from __future__ import annotations

import os
import random
import time
import traceback
from collections import Counter

from tests.fuzz.mutations import SEED, apply, random_mutation
from tests.fuzz.outcomes import ERROR, INVALID, PLAN, read_outcome

COUNT = int(os.environ.get("FUZZ_MUTATIONS", "3000"))
RANDOM_SEED = int(os.environ.get("FUZZ_SEED", "20231010"))


def test_thousands_of_mutated_seeds_end_in_a_plan_or_a_clear_error(capsys):
    rng = random.Random(RANDOM_SEED)
    outcomes: Counter[str] = Counter()
    crashes: list[str] = []
    started = time.perf_counter()
    for _ in range(COUNT):
        ops = [random_mutation(rng) for _ in range(rng.randint(1, 6))]
        try:
            outcome, _document = read_outcome(apply(SEED, ops))
        except Exception as exc:  # the crash this test looks for
            crashes.append(f"{ops!r}: {exc!r}\n{traceback.format_exc(limit=-3)}")
            continue
        outcomes[outcome] += 1
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\nfuzz: {COUNT} mutated seeds (random seed {RANDOM_SEED}) in {seconds:.1f} s: "
            f"{outcomes[PLAN]} plans, {outcomes[INVALID]} read but refused by validate(), "
            f"{outcomes[ERROR]} refused while reading, {len(crashes)} crashes"
        )
    assert not crashes, f"{len(crashes)} crashes; the first:\n{crashes[0]}"
    assert sum(outcomes.values()) == COUNT
    assert outcomes[PLAN] and outcomes[ERROR]  # the mutations reach both ends
