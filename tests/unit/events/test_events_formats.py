"""CEF/syslog rendering holds for any text the request carried (property tests)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from apiward.core import Decision, Identity, SecurityEvent
from apiward.events import syslog_message, to_cef, to_ecs, to_ocsf

text = st.text(min_size=0, max_size=60)


def split_header(cef: str) -> list[str]:
    """Split on unescaped pipes, undoing ``\\|`` and ``\\\\`` (the CEF header escapes)."""
    fields, current, chars = [], "", iter(cef)
    for ch in chars:
        if ch == "\\":
            current += next(chars, "")
        elif ch == "|" and len(fields) < 7:
            fields.append(current)
            current = ""
        else:
            current += ch
    return [*fields, current]


@settings(max_examples=200, deadline=None)
@given(path=text, reason=text, subject=text, agent=text, rule=text)
def test_cef_stays_one_well_formed_line(path: str, reason: str, subject: str, agent: str, rule: str) -> None:
    event = SecurityEvent(
        kind="request",
        decision=Decision.DENY,
        path=path,
        reason=reason or None,
        user_agent=agent,
        identity=Identity(subject=subject),
        matched_rules=(rule,) if rule else (),
    )
    cef = to_cef(event)
    assert "\n" not in cef
    assert "\r" not in cef
    fields = split_header(cef)
    assert fields[:3] == ["CEF:0", "apiward", "apiward"]
    assert fields[6] == "1"  # severity of an info event
    assert fields[7].startswith("rt=")
    message = syslog_message(event, facility=10)
    assert message.startswith(b"<86>1 ")  # authpriv (10) * 8 + informational (6)
    assert b"\n" not in message


@settings(max_examples=100, deadline=None)
@given(path=text, subject=text)
def test_ecs_and_ocsf_always_render(path: str, subject: str) -> None:
    event = SecurityEvent(kind="detection", decision=Decision.ALERT, path=path, identity=Identity(subject=subject))
    assert to_ecs(event)["event"]["kind"] == "alert"
    assert to_ocsf(event)["class_uid"] == 2004
