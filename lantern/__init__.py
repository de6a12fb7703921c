"""Lantern: case management and oversight for sexual-violence cases."""
