"""Crew safety before and during work: briefings, pre-trip checks, work zones (#16)."""
