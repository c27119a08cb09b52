"""Keyed hashes and sealing: versioned keys, rotation, and refusal of damaged values."""

from typing import Any

import pytest

from huzhu import keys


def test_digests_depend_on_the_key_and_its_version(settings: Any) -> None:
    settings.HUZHU_IDENTITY_KEYS = "1:first"
    first = keys.digest("+8613812345678", purpose="phone")
    settings.HUZHU_IDENTITY_KEYS = "1:first,2:second"
    assert keys.current_version() == 2
    assert keys.digest("+8613812345678", purpose="phone", version=1) == first
    assert keys.digest("+8613812345678", purpose="phone") != first
    assert keys.digests("+8613812345678", purpose="phone")[1] == first
    assert keys.digest("+8613812345678", purpose="email", version=1) != first


def test_a_bare_secret_is_version_one(settings: Any) -> None:
    settings.HUZHU_IDENTITY_KEYS = "just-a-secret"
    assert keys.keys() == {1: b"just-a-secret"}


def test_sealed_values_open_after_a_rotation_and_not_when_damaged(settings: Any) -> None:
    settings.HUZHU_IDENTITY_KEYS = "1:first"
    sealed = keys.seal("+8613812345678")
    assert "13812345678" not in sealed
    assert sealed != keys.seal("+8613812345678")  # a fresh nonce each time
    settings.HUZHU_IDENTITY_KEYS = "1:first,2:second"
    assert keys.unseal(sealed) == "+8613812345678"
    with pytest.raises(keys.IdentityKeyError):
        keys.unseal(sealed[:-4] + "AAAA")
    settings.HUZHU_IDENTITY_KEYS = "2:second"
    with pytest.raises(keys.IdentityKeyError):
        keys.unseal(sealed)


@pytest.mark.parametrize("raw", ["", "x:secret", "1:"])
def test_malformed_keys_are_refused(settings: Any, raw: str) -> None:
    settings.HUZHU_IDENTITY_KEYS = raw
    with pytest.raises(keys.IdentityKeyError):
        keys.keys()
