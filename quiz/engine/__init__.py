"""The exam engine: pure functions on plain data (no Django, no DB, no clock, no global random)."""
