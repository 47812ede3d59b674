"""Shudarga: anti-corruption action plans from import to published report."""
