"""Load the Hypothesis profiles before the fuzz tests run (see profiles.py)."""

from __future__ import annotations

import tests.fuzz.profiles  # noqa: F401
