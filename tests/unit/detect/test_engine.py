"""The engine contract: extraction by location, decoding, scoring, paranoia, exclusions, anomalies, threads."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from apiward.core import ConfigError, HttpRequest
from apiward.detect import Engine, Exclusion, Inspection, Limits, Match

PL1 = Engine(paranoia=1)


def req(
    method: str = "GET",
    path: str = "/items",
    query: str = "",
    body: bytes = b"",
    content_type: str | None = None,
    headers: tuple[tuple[str, str], ...] = (),
) -> HttpRequest:
    hs = (("Content-Type", content_type),) if content_type else ()
    return HttpRequest(method=method, path=path, query=query, headers=hs + headers, body=body)


def locations(result: Inspection) -> set[str]:
    return {m.location for m in result.matches}


def test_public_contract_shapes() -> None:
    result = PL1.inspect(req(query="id=1%27%20or%201%3D1--"), route="GET /items")
    assert isinstance(result, Inspection)
    assert result.is_attack
    assert "sqli" in result.families
    assert result.scores["sqli"] >= 5
    match = result.matches[0]
    assert isinstance(match, Match)
    assert match.rule_id
    assert match.family
    assert match.location
    assert match.fragment
    assert match.score > 0
    assert match.confidence is not None


def test_clean_request_has_no_matches() -> None:
    body = json.dumps({"name": "Siobhán O'Brien", "note": "Please select the best option from our menu."}).encode()
    result = PL1.inspect(req("POST", "/comments", body=body, content_type="application/json"))
    assert result.matches == ()
    assert not result.is_attack
    assert result.families == frozenset()


@pytest.mark.parametrize(
    ("request_", "location"),
    [
        (req(query="q=%3Cscript%3Ealert(1)%3C/script%3E"), "query:q"),
        (
            req("POST", body=b'{"a": [{"text": "<script>x</script>"}]}', content_type="application/json"),
            "body:/a/0/text",
        ),
        (req("POST", body=b"c=%3Cscript%3Ex", content_type="application/x-www-form-urlencoded"), "body:c"),
        (req(headers=(("Referer", "https://x/<script>alert(1)</script>"),)), "header:referer"),
        (req(headers=(("Cookie", "sid=<script>alert(1)</script>"),)), "cookie:sid"),
        (req(path="/items/%3Cscript%3Ealert(1)%3C%2Fscript%3E"), "path"),
        (req("POST", body=b"<r><t>&lt;script&gt;x</t></r>", content_type="application/xml"), "body:/r/t"),
    ],
)
def test_values_are_located(request_: HttpRequest, location: str) -> None:
    result = PL1.inspect(request_)
    assert result.is_attack
    assert location in locations(result)


def test_json_keys_are_inspected_for_nosql_operators() -> None:
    body = b'{"user": "admin", "password": {"$ne": null}}'
    result = PL1.inspect(req("POST", body=body, content_type="application/json"))
    assert "nosql" in result.families
    assert "body:/password/$ne" in locations(result)


def test_multipart_parts_and_filenames() -> None:
    body = (
        b'--B\r\nContent-Disposition: form-data; name="comment"\r\n\r\n1\' union select password from users--\r\n'
        b'--B\r\nContent-Disposition: form-data; name="f"; filename="shell.php"\r\nContent-Type: image/png\r\n\r\n'
        b"<?php system($_GET['c']); ?>\r\n--B--\r\n"
    )
    result = PL1.inspect(req("POST", body=body, content_type="multipart/form-data; boundary=B"))
    assert {"sqli", "php"} <= result.families
    assert "body:comment" in locations(result)
    assert "body:f#filename" in locations(result)


@pytest.mark.parametrize(
    ("value", "family"),
    [
        ("%2527%2520or%25201%253D1--", "sqli"),  # double URL encoding
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "xss"),  # HTML entities
        ("\\u003cscript\\u003ealert(1)", "xss"),  # JSON/JS escapes
        ("\\x3cscript\\x3ealert(1)", "xss"),  # \x escapes
        ("PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "xss"),  # base64
        ("..%c0%af..%c0%afetc%c0%afpasswd", "lfi"),  # overlong UTF-8
        ("＜script＞alert(1)＜/script＞", "xss"),  # fullwidth forms
        ("+ADw-script+AD4-alert(1)+ADw-/script+AD4-", "xss"),  # UTF-7
        ("1 UN/**/ION SEL/**/ECT password FROM users", "sqli"),  # comment folding
        ("w'h'o'am'i", "rce"),  # shell quote evasion
    ],
)
def test_decoding_reveals_payloads(value: str, family: str) -> None:
    assert family in PL1.inspect_value(value).families


def test_prose_lookalikes_are_not_attacks() -> None:
    for text in (
        "O'Brien",
        "select the best option from our menu",
        "Please drop the table reservation by Friday; update your order as needed.",
        "Rock 'n' roll & blues — 5' or 6' tall",
        "JavaScript: The Good Parts",
        "| id | name |\n|---|---|\n| 1 | cat tree |",
    ):
        assert not PL1.inspect_value(text).is_attack, text


def test_exclusions_by_family_route_and_location() -> None:
    attack = req(
        "POST", "/comments", body=b'{"text": "1\' or \'1\'=\'1", "title": "x"}', content_type="application/json"
    )
    assert PL1.inspect(attack, route="POST /comments").is_attack
    by_family = Engine(exclusions=(Exclusion(families=frozenset({"sqli"}), route="POST /comments"),))
    assert not by_family.inspect(attack, route="POST /comments").is_attack
    assert by_family.inspect(attack, route="POST /other").is_attack
    by_location = Engine(exclusions=(Exclusion(location="body:/text"),))
    assert not by_location.inspect(attack).is_attack
    by_rule = Engine(exclusions=(Exclusion(rule_ids=frozenset({"SQLI-001", "SQLI-008"})),))
    remaining = {m.rule_id for m in by_rule.inspect(attack).matches}
    assert not remaining & {"SQLI-001", "SQLI-008"}
    glob = Exclusion(route="POST /comm*", location="body:/*")
    assert glob.applies(Match("X-1", "sqli", "body:/text", "f", 5, PL1.rules[0].confidence), "POST /comments")


def test_paranoia_levels_add_rules() -> None:
    counts = [len(Engine(paranoia=p).rules) for p in (1, 2, 3, 4)]
    assert counts == sorted(counts)
    assert counts[0] < counts[-1]
    # An off-site URL in a query parameter is CRS's paranoia-2 RFI signal; a URL in a JSON field is not one.
    probe = HttpRequest(method="GET", path="/", query="x=http://foo.bar")
    assert not PL1.inspect(probe).is_attack
    assert "rfi" in {m.family for m in Engine(paranoia=2).inspect(probe).matches}
    assert not Engine(paranoia=2).inspect_value("http://foo.bar", "body:/website").is_attack


@pytest.mark.parametrize("bad", [0, 5, -1])
def test_bad_paranoia_is_a_config_error(bad: int) -> None:
    with pytest.raises(ConfigError, match="paranoia"):
        Engine(paranoia=bad)


@pytest.mark.parametrize(
    ("request_", "rule_id"),
    [
        (req("POST", body=b'{"a": ', content_type="application/json"), "PROTO-001"),
        (req("POST", body=b"<a><b></a>", content_type="application/xml"), "PROTO-002"),
        (req("POST", body=b"no boundary here", content_type="multipart/form-data; boundary=ZZ"), "PROTO-003"),
        (
            req(
                "POST",
                body=b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
                content_type="text/xml",
            ),
            "XXE-002",
        ),
        (req(headers=(("X-Forwarded-For", "1.2.3.4\r\nSet-Cookie: a=b"),)), "CRLF-002"),
    ],
)
def test_protocol_anomalies_become_matches(request_: HttpRequest, rule_id: str) -> None:
    assert rule_id in {m.rule_id for m in PL1.inspect(request_).matches}


def test_bounds_are_reported_not_raised() -> None:
    small = Engine(limits=Limits(max_values=5, max_depth=3, max_value_length=10))
    deep = b"[" * 50 + b"1" + b"]" * 50
    result = small.inspect(req("POST", body=deep, content_type="application/json"))
    assert "max_depth" in result.limits_hit
    many = json.dumps({f"k{i}": "v" for i in range(50)}).encode()
    assert "max_values" in small.inspect(req("POST", body=many, content_type="application/json")).limits_hit
    assert "max_value_length" in small.inspect_value("x" * 100).limits_hit


def test_score_counts_a_rule_once_per_request() -> None:
    query = "&".join(f"a{i}=%3Cscript%3E" for i in range(5))
    result = PL1.inspect(req(query=query))
    xss001 = [m for m in result.matches if m.rule_id == "XSS-001"]
    assert len(xss001) >= 5
    assert result.scores["xss"] == sum({m.rule_id: m.score for m in result.matches if m.family == "xss"}.values())


def test_thread_safe_and_deterministic() -> None:
    requests = [req(query=f"q={i}%27%20or%201%3D1--") if i % 2 else req(query=f"q=hello{i}") for i in range(40)]
    expected = [PL1.inspect(r) for r in requests]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(PL1.inspect, requests))
    assert got == expected


def test_session_id_in_url_from_elsewhere_is_fixation() -> None:
    host = ("Host", "shop.example.com")
    planted = req(path="/login", query="jsessionid=ABC123", headers=(host, ("Referer", "https://evil.example/x")))
    assert "SESS-001" in {m.rule_id for m in PL1.inspect(planted).matches}
    no_referer = req(path="/login", query="PHPSESSID=abc", headers=(host,))
    assert "session" in PL1.inspect(no_referer).families
    same_site = req(path="/login", query="jsessionid=ABC123", headers=(host, ("Referer", "https://shop.example.com/a")))
    assert not PL1.inspect(same_site).matches


@pytest.mark.parametrize("name", ["koa.sess", "_rails_session", "weblogicsession", "__Host-next-auth.session-token"])
def test_more_frameworks_session_names_in_the_url_are_fixation(name: str) -> None:
    assert "session" in PL1.inspect(req(path="/login", query=f"{name}=abc123")).families


@pytest.mark.parametrize("query", ["session_id=cs_test_a1b2", "sessionId=42", "sess=1", "session=summer"])
def test_ordinary_session_parameters_are_not_fixation(query: str) -> None:
    assert not PL1.inspect(req(path="/checkout/success", query=query)).matches


def test_parameter_exclusion_also_quiets_the_raw_query_string() -> None:
    attack = req(query="q=%3Cscript%3Ealert(1)%3C/script%3E&page=2")
    assert "query" in locations(PL1.inspect(attack))
    engine = Engine(exclusions=(Exclusion(families=frozenset({"xss"}), location="query:q"),))
    assert not engine.inspect(attack).is_attack
    other = req(query="q=hello&r=%3Cscript%3Ealert(1)%3C/script%3E")
    assert engine.inspect(other).is_attack


@pytest.mark.parametrize("query", ["1=1", "x=1&&1=1", "select=from", "x=&ltscript&gt"])
def test_a_plain_query_string_is_read_as_its_parameters(query: str) -> None:
    # Only unreserved characters, '=' and '&': the shapes SQL and HTML decoding would find in the whole are names,
    # values and separators; each parameter is still inspected on its own.
    assert "query" not in locations(PL1.inspect(req(query=query)))
    assert "query" not in locations(PL1.inspect_value(query, "query"))


def test_an_encoded_query_string_is_still_decoded_and_fingerprinted_whole() -> None:
    for query in ("x=1+and+1=1", "x=%26lt;script%26gt;", "x=1%26%261=1"):
        assert "query" in locations(PL1.inspect(req(query=query))), query


FORM = "application/x-www-form-urlencoded"


def test_a_form_body_with_escapes_is_also_read_raw() -> None:
    # Escapes no form decoder accepts ('%c0%qf', '%c1%1c') garble the parameter; the raw body, like the raw query
    # string, keeps the traversal's shape.
    probes = (
        b"csrf=8f14e45f&q=..%01%c0%qf..%01%c0%qf..%01%c0%qfetc%c0%qfhosts",
        b"id=%2e.%c1%1c%2e.%c1%1cetc%c1%1cpasswd",
    )
    for body in probes:
        result = PL1.inspect(req("POST", body=body, content_type=FORM))
        assert result.is_attack, body
        assert "body" in locations(result), body
    # Ordinary encoded forms are not flagged as a whole.
    for body in (b"comment=100%25+sure%2C+caf%C3%A9+%26+more&page=2", b"q=O%27Brien&sort=-created_at&tags=a%2Cb"):
        assert not PL1.inspect(req("POST", body=body, content_type=FORM)).matches, body
    # A form without escapes is read as its parameters (the raw body would add nothing).
    assert "body" not in locations(PL1.inspect(req("POST", body=b"cmd=whoami&x=1", content_type=FORM)))


@pytest.mark.parametrize("where", ["query", "form"])
def test_percent_escapes_of_a_query_or_form_are_not_read_as_sql(where: str) -> None:
    # '%40' is an escaped '@', not the operator '%' and a number: the raw string is not fingerprinted as SQL, nor
    # is its part after the first '=' (still escaped); the decoded forms are.
    def inspect(text: str) -> Inspection:
        if where == "query":
            return PL1.inspect(req(query=text))
        return PL1.inspect(req("POST", body=text.encode(), content_type=FORM))

    assert "sqli" not in inspect("var=x'%40email--").families
    assert "sqli" in inspect("var=%27%3bprint%27").families  # ';print' is read decoded as a whole


def test_a_plain_query_string_is_still_read_whole_by_the_pattern_rules() -> None:
    assert {"query", "query:cmd"} <= locations(PL1.inspect(req(query="x=1&cmd=whoami")))
    # A value equal to the query string is decoded and fingerprinted as any other.
    body = json.dumps({"a": "1=1", "b": "x=&ltscript&gt"}).encode()
    for query, location in (("1=1", "body:/a"), ("x=&ltscript&gt", "body:/b")):
        result = PL1.inspect(req("POST", query=query, body=body, content_type="application/json"))
        assert location in locations(result), query


def test_a_json_body_setting_constructor_prototype_is_prototype_pollution() -> None:
    for doc in ({"constructor": {"prototype": {"isAdmin": True}}}, {"a": [{"b": {"constructor": {"prototype": {}}}}]}):
        result = PL1.inspect(req("POST", body=json.dumps(doc).encode(), content_type="application/json"))
        assert "GEN-017" in {m.rule_id for m in result.matches}, doc
        assert result.is_attack
    pointer = PL1.inspect(
        req("POST", body=b'{"a": [{"constructor": {"prototype": 1}}]}', content_type="application/json")
    )
    assert "body:/a/0/constructor/prototype" in locations(pointer)
    # The words alone, or a prototype beside a constructor, are ordinary data.
    for doc in ({"constructor": "Acme Ltd", "prototype": "v2"}, {"constructor": {"name": "x"}, "prototype": {"a": 1}}):
        body = json.dumps(doc).encode()
        assert not PL1.inspect(req("POST", body=body, content_type="application/json")).matches, doc


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("_ga_ABC123XYZ", "GS2.1.s1718000000$o16$g1$t1718000123$j60$l0$h397893916"),  # Google Analytics 4
        ("CookieConsent", "{stamp:'-1',necessary:true,preferences:true,statistics:true,method:'implied',ver:1}"),
        ("ci_session", 'a:2:{s:10:"session_id";s:32:"0123456789abcdef0123456789abcdef";}'),  # CodeIgniter
    ],
)
def test_common_tracking_consent_and_session_cookies_are_not_attacks(name: str, value: str) -> None:
    assert not PL1.inspect(req(headers=(("Cookie", f"{name}={value}"),))).matches


@pytest.mark.parametrize(
    ("value", "family"),
    [
        ("c1=c;c2=a;c3=t;c4=x;$c1$c2$c3$c4", "rce"),  # a command spelled from short variables
        ("x:'a' or 1=1--", "sqli"),  # a quoted term after ':' followed by SQL is still a break
        ('a:1:{i:0;O:8:"stdClass":0:{}}', "php"),  # an array holding an object
    ],
)
def test_near_misses_of_those_cookies_still_fire(value: str, family: str) -> None:
    assert family in PL1.inspect_value(value, "cookie:x").families


def test_comments_up_to_a_line_break_are_folded_away() -> None:
    # sqlmap's space2hash and space2dash: a comment with junk, then a line break, as a space.
    for value in ("1'#qwe\nor#qwe\n'1'='1", "1'--abc\nor--abc\n'1'='1"):
        assert "sqli" in PL1.inspect_value(value, "query:id").families, value
    assert not PL1.inspect_value("# Heading\nSome text -- see below\nmore", "body:/text").matches


def test_a_base64_path_segment_is_decoded() -> None:
    # '/' is a base64 character: the whole path is one run, the payload one of its segments.
    assert "sqli" in PL1.inspect(req(path="/api/files/MScgb3IgJzEnPScx")).families  # 1' or '1'='1
    assert not PL1.inspect(req(path="/api/files/UmVwb3J0IFEzIGZpbmFs")).matches  # "Report Q3 final"


def test_unset_braced_variables_inside_command_words_are_removed() -> None:
    assert "rce" in PL1.inspect_value("127.0.0.1;c${xyz}at /e${xyz}tc/p${xyz}asswd", "query:ip").families
    assert not PL1.inspect_value("Hello ${name}, your order ${id} shipped", "body:/text").matches


def test_cmd_carets_keep_windows_path_separators() -> None:
    # Carets split words for cmd.exe; the backslashes are then path separators, not POSIX escapes.
    assert "rce" in PL1.inspect_value("127.0.0.1&t^y^p^e C:\\w^i^n^d^o^w^s\\w^i^n.i^n^i", "query:ip").families
    assert "rce" in PL1.inspect_value("x;c\\at /e\\tc/pa\\sswd", "query:ip").families  # POSIX escapes still go
    assert not PL1.inspect_value("Press Ctrl^C to stop, files in C:\\Users\\me", "body:/text").matches
