"""Huzhu (互助): a self-hostable, trust-first mutual-aid exchange."""

from huzhu.sqlite import install as _install_sqlite

# Before anything imports `sqlite3`: see huzhu/sqlite.py for why.
_install_sqlite()
