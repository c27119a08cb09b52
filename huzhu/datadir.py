"""The data directory is its owner's alone: 0700, and every file in it 0600.

It holds the SQLite database and its WAL, the secret key, the identity keys and uploaded
identity documents. `prepare` runs when Django starts in every process (`huzhu migrate`,
`huzhu serve`, gunicorn's workers, the task worker, tests), from the web app's `ready`,
before any connection is opened; importing settings creates nothing. It sets the process's
umask to 077, so whatever the process creates next is owner-only whatever umask it was
started with (SQLite gives the WAL and shared-memory files the database file's mode), and
it narrows what an earlier run, a copy or another tool left wider.
"""

import os
import stat
from pathlib import Path
from typing import Any

from huzhu.env import secret_file

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


def prepare(settings: Any) -> None:
    """Make the data directory owner-only, with the folders and secrets Huzhu needs in it.

    A secret the environment did not give (`HUZHU_SECRET_FILES`) is generated on first
    start and put into the running settings, as importing settings could not read it yet.
    """
    secure_data_dir(settings.DATA_DIR)
    # whitenoise warns on every request until collectstatic ran, if the folder is missing
    Path(settings.STATIC_ROOT).mkdir(exist_ok=True)
    for name, path in settings.HUZHU_SECRET_FILES.items():
        setattr(settings, name, secret_file(path))


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
