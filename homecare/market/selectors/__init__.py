"""Reads of the market oversight figures (shared/specs/market-definitions.md)."""
