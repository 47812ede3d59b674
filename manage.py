#!/usr/bin/env python
"""Run management commands from a checkout; installed as the `shudarga` command too."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from shudarga.manage import main

if __name__ == "__main__":
    main()
