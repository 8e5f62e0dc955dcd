"""Data package: the router's example bank (examples.json), shipped as package data."""
