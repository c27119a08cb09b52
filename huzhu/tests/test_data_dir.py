"""The data directory is 0700 and every file in it 0600, whatever the umask Huzhu is started
with and whatever modes an earlier run or a copy left behind."""

import json
import stat
import subprocess
from pathlib import Path

import pytest

from huzhu.tests.processes import PYTHON, child_env

pytestmark = pytest.mark.slow

# Writes (so SQLite's -wal and -shm exist), then reports every mode while still connected.
WRITE_AND_REPORT = """
import json, os, stat, sys, django
django.setup()
from django.db import connection
from huzhu.accounts.outbox import send_sms
send_sms("+8613800138000", "hello")
modes = {}
for root, folders, files in os.walk(sys.argv[1]):
    for name in [*folders, *files, "."]:
        path = os.path.normpath(os.path.join(root, name))
        modes[os.path.relpath(path, sys.argv[1])] = stat.S_IMODE(os.stat(path).st_mode)
print(json.dumps(modes))
"""


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [PYTHON, *args],
        env=env,
        cwd=Path(env["HUZHU_DATA_DIR"]).parent,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        umask=0o022,  # a usual login shell's: files 0644, folders 0755
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_wide_data_directory_is_narrowed_and_new_files_are_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "uploads" / "documents").mkdir(parents=True)
    for folder in (data, data / "uploads", data / "uploads" / "documents"):
        folder.chmod(0o755)
    for name in ("secret_key", "identity_keys", "uploads/documents/passport.jpg"):
        (data / name).write_text("1:an-earlier-run" if name == "identity_keys" else "x" * 60)
        (data / name).chmod(0o644)
    env = child_env(data)
    run(["-m", "huzhu.cli", "migrate", "--no-input"], env)
    modes = json.loads(run(["-c", WRITE_AND_REPORT, str(data)], env))
    assert {"huzhu.sqlite3", "huzhu.sqlite3-wal", "huzhu.sqlite3-shm", "secret_key"} <= set(modes)
    assert "uploads/documents/passport.jpg" in modes
    wrong = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o700 if (data / name).is_dir() else 0o600)
    }
    assert wrong == {}
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
