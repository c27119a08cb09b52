"""Pages and API answers are gzip-compressed for clients that accept it, never for others.

Static files are precompressed by whitenoise's storage at collectstatic; the reverse-proxy
test (huzhu/tests/test_reverse_proxy.py) checks them as served by `huzhu serve`.
"""

import gzip
import json

import pytest
from django.test import Client


@pytest.mark.django_db
def test_it_compresses_html_for_a_client_that_accepts_gzip() -> None:
    response = Client().get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert "<html" in page
    assert len(response.content) < len(page) / 2


@pytest.mark.django_db
def test_it_compresses_json() -> None:
    answer = Client().get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert answer["Content-Encoding"] == "gzip"
    assert "paths" in json.loads(gzip.decompress(answer.content))


@pytest.mark.django_db
def test_it_sends_plain_bodies_to_a_client_that_does_not_accept_gzip() -> None:
    response = Client().get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response
    assert b"<html" in response.content


@pytest.mark.django_db
def test_compressed_answers_carry_random_padding() -> None:
    """Heal the Breach: random padding, so a body's length does not give a secret away."""
    client = Client()
    bodies = {client.get("/login", headers={"Accept-Encoding": "gzip"}).content for _ in range(8)}
    assert len({len(body) for body in bodies}) > 1
