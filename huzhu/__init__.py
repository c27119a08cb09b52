"""Huzhu (互助): a self-hostable, trust-first mutual-aid exchange."""
