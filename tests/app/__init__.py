"""Tests of the Textual app, driven with keys through Textual's Pilot against a real store."""
