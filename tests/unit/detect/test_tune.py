"""Exclusions learnt from known-good traffic (:class:`apiward.detect._tune.Tuner`)."""

from __future__ import annotations

import json

import pytest

from apiward.core import HttpRequest
from apiward.detect import Engine, Exclusion
from apiward.detect._tune import Tuner, engine_judge, generalise_location

SQL_POST = "To fix it run: SELECT name FROM users WHERE id = 42; then DELETE FROM sessions WHERE user_id = 42;"


def _post(path: str, doc: object, query: str = "", headers: tuple[tuple[str, str], ...] = ()) -> HttpRequest:
    return HttpRequest(
        method="POST",
        path=path,
        query=query,
        headers=(("Content-Type", "application/json"), *headers),
        body=json.dumps(doc).encode(),
    )


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(paranoia=1)


def test_generalise_location_turns_array_indexes_into_globs_and_escapes_glob_characters() -> None:
    assert generalise_location("body:/posts/3/comments/12/text") == "body:/posts/*/comments/*/text"
    assert generalise_location("body:/items/0") == "body:/items/*"
    assert generalise_location("body:/v2/text") == "body:/v2/text"  # a key that is not all digits stays
    assert generalise_location("query:filter[name]") == "query:filter[[]name[]]"
    assert generalise_location("query:a*b?") == "query:a[*]b[?]"
    assert generalise_location("header:referer") == "header:referer"
    assert generalise_location("query:10") == "query:10"  # only JSON pointers carry array indexes


def test_clean_traffic_gets_no_proposal(engine: Engine) -> None:
    tuner = Tuner(engine)
    tuner.add(_post("/posts", {"title": "Mary O'Brien's café", "body": "Select the size you want."}))
    tuner.add(HttpRequest(method="GET", path="/posts", query="q=drop%20shipping&page=2"))
    report = tuner.report()
    assert (report.requests, report.refused_before, report.refused_after) == (2, 0, 0)
    assert report.proposals == ()


def test_a_refused_legitimate_request_gets_the_narrowest_exclusion(engine: Engine) -> None:
    tuner = Tuner(engine)
    for n in range(3):
        tuner.add(_post("/posts", {"posts": [{"text": "hello"}, {"text": SQL_POST}], "n": n}), "POST /posts")
    tuner.add(_post("/posts", {"posts": [{"text": "plain words"}]}), "POST /posts")
    report = tuner.report()
    assert report.requests == 4
    assert report.refused_before == 3
    assert report.refused_after == 0
    (proposal,) = report.proposals
    assert proposal.route == "POST /posts"
    assert proposal.location == "body:/posts/*/text"
    assert proposal.requests == 3
    assert proposal.rule_ids
    assert all(r.startswith("SQLI-") for r in proposal.rule_ids)
    assert proposal.to_config() == {
        "route": "POST /posts",
        "location": "body:/posts/*/text",
        "rule_ids": sorted(proposal.rule_ids),
    }
    assert report.config()["policies"]["threat"]["exclusions"] == [proposal.to_config()]


def test_proposals_really_let_the_traffic_through_and_nothing_else(engine: Engine) -> None:
    tuner = Tuner(engine)
    tuner.add(_post("/posts", {"text": SQL_POST}), "POST /posts")
    report = tuner.report()
    excluding = Engine(paranoia=1, exclusions=[p.exclusion() for p in report.proposals])
    assert not excluding.inspect(_post("/posts", {"text": SQL_POST}), route="POST /posts").is_attack
    # the same text elsewhere — another route, another field — is still refused
    assert excluding.inspect(_post("/users", {"text": SQL_POST}), route="POST /users").is_attack
    assert excluding.inspect(_post("/posts", {"title": SQL_POST}), route="POST /posts").is_attack
    # and other attacks on the excluded field still are
    assert excluding.inspect(_post("/posts", {"text": "<script>alert(1)</script>"}), route="POST /posts").is_attack


def test_a_high_confidence_match_in_known_good_traffic_is_marked_for_review(engine: Engine) -> None:
    tuner = Tuner(engine)
    tuner.add(HttpRequest(method="GET", path="/items", query="id=1%27%20or%20%271%27%3D%271"), "GET /items")
    (proposal,) = tuner.report().proposals
    assert proposal.location == "query:id"
    assert proposal.review  # a tautology in "legitimate" traffic deserves a second look


def test_container_match_is_proposed_only_where_no_value_carries_the_rule(engine: Engine) -> None:
    tuner = Tuner(engine)
    tuner.add(HttpRequest(method="GET", path="/items", query="id=1%27%20or%20%271%27%3D%271"))
    locations = {p.location for p in tuner.report().proposals}
    assert "query:id" in locations
    assert "query" not in locations


def test_secret_locations_never_show_their_values(engine: Engine) -> None:
    tuner = Tuner(engine)
    tuner.add(
        HttpRequest(
            method="GET",
            path="/me",
            headers=(("Cookie", "session=' or '1'='1' --"), ("X-Api-Token", "' union select password from users--")),
        )
    )
    report = tuner.report()
    assert report.proposals
    shown = json.dumps(report.to_json())
    assert "union select" not in shown.lower()
    assert "'1'='1" not in shown


def test_exclusions_already_deployed_are_respected_and_only_new_ones_proposed() -> None:
    deployed = Exclusion(rule_ids=frozenset({"SQLI-010"}), route="POST /posts", location="body:/text")
    tuner = Tuner(Engine(paranoia=1, exclusions=[deployed]))
    tuner.add(_post("/posts", {"text": SQL_POST}), "POST /posts")
    tuner.add(_post("/posts", {"text": SQL_POST, "title": "<script>alert(document.cookie)</script>"}), "POST /posts")
    report = tuner.report()
    assert report.refused_before == 1
    assert [p.location for p in report.proposals] == ["body:/title"]
    assert report.refused_after == 0


def test_a_judge_other_than_an_engine_must_say_its_paranoia_and_threshold(engine: Engine) -> None:
    with pytest.raises(ValueError, match="paranoia and threshold"):
        Tuner(engine_judge(engine))
    assert Tuner(engine_judge(engine), paranoia=1, threshold=5).report().requests == 0
