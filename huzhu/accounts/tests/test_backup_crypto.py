"""A backup's encryption refuses every way a file can be wrong instead of restoring it."""

import io

import pytest

from huzhu.accounts import backup_crypto
from huzhu.accounts.backup_crypto import WrongPassphrase, decrypt, encrypt

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_crypto, "CHUNK", 1000)  # several chunks from a small text


def sealed(plain: bytes) -> bytes:
    target = io.BytesIO()
    encrypt(io.BytesIO(plain), target, PASSPHRASE)
    return target.getvalue()


def opened(data: bytes, passphrase: str = PASSPHRASE) -> bytes:
    target = io.BytesIO()
    decrypt(io.BytesIO(data), target, passphrase)
    return target.getvalue()


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 4321])
def test_it_round_trips_any_size(size: int) -> None:
    plain = bytes(range(256)) * (size // 256) + bytes(size % 256)
    data = sealed(plain)
    assert size < 64 or plain[:64] not in data
    assert opened(data) == plain


def test_a_wrong_passphrase_is_refused() -> None:
    with pytest.raises(WrongPassphrase, match="Wrong passphrase"):
        opened(sealed(b"x" * 3000), "another passphrase")


def test_a_changed_byte_a_cut_or_swapped_chunks_are_refused() -> None:
    data = sealed(b"abc" * 1000)  # four chunks
    header = len(backup_crypto.MAGIC) + 16 + 7
    changed = bytearray(data)
    changed[header + 10] ^= 1
    chunk = 4 + 1000 + 16
    first, second = data[header : header + chunk], data[header + chunk : header + 2 * chunk]
    swapped = data[:header] + second + first + data[header + 2 * chunk :]
    for bad in (bytes(changed), data[: header + 2 * chunk], swapped, data + b"x"):
        with pytest.raises(WrongPassphrase):
            opened(bad)
    with pytest.raises(WrongPassphrase, match="not a Huzhu backup"):
        opened(b"PK\x03\x04 a zip file")
