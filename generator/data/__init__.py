"""Thresholds, word lists and boilerplate patterns: data that tuners and editors change."""
