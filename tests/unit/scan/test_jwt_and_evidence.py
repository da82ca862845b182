from __future__ import annotations

import json

from apiward.core import REDACTED
from apiward.scan._evidence import curl_command, exchange_evidence
from apiward.scan._jwt import Jwt, crack_hs, generate_rsa, jwk_to_pem_variants, rsa_public_jwk
from apiward.scan._request import Exchange


def test_crack_weak_secret_offline() -> None:
    token = Jwt.parse(Jwt.hs({"alg": "HS256", "typ": "JWT"}, {"sub": "1"}, b"changeme"))
    assert token is not None
    assert crack_hs(token) == b"changeme"
    strong = Jwt.parse(Jwt.hs({"alg": "HS256"}, {"sub": "1"}, b"x" * 40 + b"unguessable"))
    assert strong is not None
    assert crack_hs(strong) is None


def test_none_and_rsa_forgery_round_trip() -> None:
    none = Jwt.parse(Jwt.none({"alg": "HS256"}, {"sub": "1"}))
    assert none is not None
    assert none.alg == "none"
    assert none.signature == b""
    key = generate_rsa()
    jwk = rsa_public_jwk(key, "k1")
    assert len(jwk_to_pem_variants(jwk)) == 4
    assert Jwt.parse(Jwt.rs({"kid": "k1"}, {"sub": "1"}, key)) is not None
    assert Jwt.parse("not.a-token") is None


def test_curl_and_evidence_never_carry_secrets() -> None:
    ex = Exchange(
        method="POST",
        url="http://127.0.0.1:1/x?api_key=s3cret&q=1",
        request_headers=(("Authorization", "Bearer abc.def.ghi"), ("Content-Type", "application/json")),
        request_body=b'{"password": "hunter2", "name": "n"}',
        status=200,
        headers=(("Set-Cookie", "sid=zzz"),),
        body=b'{"token": "tok", "ok": true}',
        elapsed_ms=1.0,
    )
    curl = curl_command(ex)
    assert "abc.def.ghi" not in curl
    assert "s3cret" not in curl
    assert "hunter2" not in curl
    assert "$APIWARD_AUTHORIZATION" in curl
    assert "q=1" in curl
    evidence = exchange_evidence(ex)
    text = repr(evidence)
    assert "hunter2" not in text
    assert "zzz" not in text
    assert "'tok'" not in text
    assert json.loads(evidence["response"]["body"])["token"] == REDACTED
