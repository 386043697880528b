"""Widgets of the counter screen: each owns its pixels and decides nothing."""
