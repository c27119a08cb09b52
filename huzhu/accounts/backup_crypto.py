"""A backup's encryption: a key from the operator's passphrase (scrypt), AES-256-GCM.

The archive is encrypted in 1 MiB chunks so that a database of any size streams through
memory. Each chunk's nonce is the file's random prefix, the chunk's number and whether it
is the last, and every chunk authenticates the header: a wrong passphrase, a changed byte,
chunks reordered or a truncated file are all refused rather than restored.

    header  = MAGIC | salt (16) | nonce prefix (7)
    chunk   = length (4, big-endian) | AES-GCM(key, prefix | number (4) | last (1), data, header)
"""

import secrets
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"HUZHU-BACKUP-1\n"
CHUNK = 1 << 20
TAG = 16
SALT_BYTES, PREFIX_BYTES = 16, 7
# scrypt's recommended interactive cost (2^15, 8, 1): ~0.1 s and 32 MiB per attempt.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 15, 8, 1


class WrongPassphrase(Exception):
    """The passphrase does not open this backup, or the file was changed or cut short."""


def derive_key(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, last)


def _chunks(source: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    current = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        yield current, not following
        if not following:
            return
        current = following


def encrypt(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    salt, prefix = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(PREFIX_BYTES)
    header = MAGIC + salt + prefix
    aead = AESGCM(derive_key(passphrase, salt))
    target.write(header)
    for number, (data, last) in enumerate(_chunks(source)):
        sealed = aead.encrypt(_nonce(prefix, number, last), data, header)
        target.write(struct.pack(">I", len(sealed)) + sealed)


def decrypt(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    header = source.read(len(MAGIC) + SALT_BYTES + PREFIX_BYTES)
    if not header.startswith(MAGIC) or len(header) < len(MAGIC) + SALT_BYTES + PREFIX_BYTES:
        raise WrongPassphrase("This is not a Huzhu backup.")
    salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    prefix = header[len(MAGIC) + SALT_BYTES :]
    aead = AESGCM(derive_key(passphrase, salt))
    number, finished = 0, False
    while not finished:
        length_bytes = source.read(4)
        if len(length_bytes) < 4:
            raise WrongPassphrase("The backup is cut short.")
        (length,) = struct.unpack(">I", length_bytes)
        sealed = source.read(length)
        if length > CHUNK + TAG or len(sealed) < length:
            raise WrongPassphrase("The backup is cut short or damaged.")
        data, finished = _open(aead, prefix, number, sealed, header)
        target.write(data)
        number += 1
    if source.read(1):
        raise WrongPassphrase("The backup has data after its end.")


def _open(
    aead: AESGCM, prefix: bytes, number: int, sealed: bytes, header: bytes
) -> tuple[bytes, bool]:
    """The chunk's data, and whether it was sealed as the last one."""
    for last in (False, True):
        try:
            return aead.decrypt(_nonce(prefix, number, last), sealed, header), last
        except InvalidTag:
            continue
    raise WrongPassphrase("Wrong passphrase, or the backup was changed.")
