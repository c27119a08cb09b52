"""The data directory is its owner's alone: 0700, and every file in it 0600.

It holds the SQLite database and its WAL, the secret key, the identity keys and uploaded
identity documents. `settings.py` calls `secure_data_dir` in every process (`huzhu
migrate`, `huzhu serve`, gunicorn's workers, the task worker), before any connection is
opened: it sets the process's umask to 077, so whatever the process creates next is
owner-only whatever umask it was started with (SQLite gives the WAL and shared-memory
files the database file's mode), and it narrows what an earlier run, a copy or another
tool left wider. Only Django is imported after it, so it imports nothing of Django's.
"""

import os
import stat
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def _narrow(path: Path, mode: int) -> None:
    try:
        current = path.lstat()
        if stat.S_ISLNK(current.st_mode):
            return  # a link's target is not ours to change
        if stat.S_IMODE(current.st_mode) != mode:
            path.chmod(mode)
    except FileNotFoundError:
        pass  # gone meanwhile (SQLite removes its -wal and -shm when the last user closes)


def secure_data_dir(path: Path) -> None:
    """Create `path` if needed; make it and every folder in it 0700, every file 0600."""
    os.umask(0o077)
    path.mkdir(parents=True, exist_ok=True, mode=DIRECTORY_MODE)
    _narrow(path, DIRECTORY_MODE)
    for root, folders, files in os.walk(path):
        for folder in folders:
            _narrow(Path(root, folder), DIRECTORY_MODE)
        for name in files:
            _narrow(Path(root, name), FILE_MODE)
