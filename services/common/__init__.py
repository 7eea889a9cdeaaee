"""Pieces every Ladder process shares: the rung vocabulary, settings, logs, events."""
