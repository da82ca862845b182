"""``threat``: attack detection (SQLi, XSS, command and template injection, traversal, SSRF …) with
:class:`apiward.detect.Engine`, anomaly-scored, with exclusions and a paranoia level.

Exclusions turn rules or whole families off for a route and/or a location (``body:/comment``,
``query:q``, globs allowed) — the way to keep a WAF on for an API whose ``/search`` legitimately takes
SQL-looking text. Per-route options (``routes.<operationId or "METHOD /path">.threat``) may raise or
lower the paranoia level and add exclusions for that route only. Every rule that fired is recorded
in ``exchange.matched_rules`` (also below the threshold, for tuning); a request whose score in any
family reaches the threshold is refused with ``403``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from apiward.core import ConfigError, HttpRequest
from apiward.detect import (
    FAMILIES,
    Engine,
    Exclusion,
    Inspection,
    Match,
    Rule,
    example_failures,
    load_rule_files,
    load_rules,
)
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._validation._options import object_schema, validate_options
from apiward.spec import ApiModel

__all__ = ["NAME", "OPTIONS_SCHEMA", "ThreatDetection", "build"]

NAME = "threat"
RULE_ATTACK = "GW-THREAT-001"

_EXCLUSION = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "rule_ids": {"type": "array", "items": {"type": "string"}},
        "families": {"type": "array", "items": {"enum": list(FAMILIES)}},
        "route": {"type": "string", "description": "'METHOD /path/template' (globs allowed); implied per route."},
        "location": {"type": "string", "description": "e.g. 'body:/comment', 'query:q', 'header:referer'."},
    },
}

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "paranoia": {"type": "integer", "minimum": 1, "maximum": 4, "default": 1},
        "threshold": {"type": "integer", "minimum": 1, "default": 5},
        "exclusions": {"type": "array", "items": _EXCLUSION},
        "status": {"enum": [400, 403, 406], "default": 403, "description": "Status of a refused request."},
        "rules": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "Custom rule files (YAML, the built-in rule format; relative to the configuration's "
            "folder), added to the built-in rules. Their examples are checked at start-up.",
        },
    },
    description="Detect attacks in requests with apiward.detect, with exclusions and a paranoia level.",
)


def _exclusion(raw: Mapping[str, Any], route: str | None) -> Exclusion:
    return Exclusion(
        rule_ids=frozenset(raw.get("rule_ids", ())),
        families=frozenset(raw.get("families", ())),
        route=route if route is not None else raw.get("route"),
        location=raw.get("location"),
    )


class ThreatDetection:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        self._setup(options, ctx.mode, ctx.model, ctx.route_options, ctx.config_dir)

    @classmethod
    def offline(
        cls,
        options: Mapping[str, Any],
        model: ApiModel | None,
        route_options: Mapping[str, Mapping[str, Any]],
        config_dir: str = ".",
    ) -> ThreatDetection:
        """The policy as a gateway configuration defines it, for judging recorded traffic (``detect tune``):
        it needs no state backend or HTTP client."""
        policy = cls.__new__(cls)
        policy._setup(options, Mode.ENFORCE, model, route_options, config_dir)
        return policy

    @property
    def paranoia(self) -> int:
        return self._default.paranoia

    @property
    def threshold(self) -> int:
        return self._threshold

    def _setup(
        self,
        options: Mapping[str, Any],
        mode: Mode,
        model: ApiModel | None,
        route_options: Mapping[str, Mapping[str, Any]],
        config_dir: str,
    ) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", mode.value))
        self._status = int(opts.get("status", 403))
        threshold = int(opts.get("threshold", 5))
        exclusions = [_exclusion(e, None) for e in opts.get("exclusions", ())]
        paranoia = int(opts.get("paranoia", 1))
        self._route_paranoia: dict[str, int] = {}
        self._templates: dict[str, str] = {}  # route key -> "METHOD /template" (what exclusions match)
        if model is not None:
            for op in model.operations:
                self._templates[op.operation_id or f"{op.method} {op.path}"] = f"{op.method} {op.path}"
        for key, route in route_options.items():
            checked = validate_options(OPTIONS_SCHEMA, route, name=f"{NAME}.routes[{key}]")
            template = self._templates.get(key, key)
            exclusions.extend(_exclusion(e, template) for e in checked.get("exclusions", ()))
            if "paranoia" in checked:
                self._route_paranoia[key] = int(checked["paranoia"])
        custom = _custom_rules(opts.get("rules", ()), config_dir)
        try:
            levels = {paranoia, *self._route_paranoia.values()}
            self._engines = {level: _engine(level, threshold, custom) for level in levels}
        except ConfigError as exc:
            raise ConfigError(exc.message, pointer=f"policies.{NAME}") from exc
        problems = [p for engine in self._engines.values() for p in example_failures(engine, custom)]
        if problems:
            shown = "; ".join(sorted(set(problems))[:5])
            raise ConfigError(f"custom rules do not match their examples: {shown}", pointer=f"policies.{NAME}.rules")
        self._default = self._engines[paranoia]
        self._exclusions = tuple(exclusions)
        self._threshold = threshold

    def judge(
        self, request: HttpRequest, template: str | None, extra: Sequence[Exclusion] = (), *, key: str | None = None
    ) -> Inspection:
        """What this policy concludes about ``request`` on the operation ``template`` (``"METHOD /path"``, ``None``
        when unrouted): the matches left after the configured exclusions and ``extra`` ones, and their scores.
        ``key`` is the route key when known (operationId or template); ``apiward detect tune`` passes only the
        template."""
        level = self._route_paranoia.get(key) if key is not None else None
        if level is None and template is not None:
            level = next((v for k, v in self._route_paranoia.items() if self._templates.get(k, k) == template), None)
        engine = self._engines[level] if level is not None else self._default
        # Pure CPU work, bounded by the engine's limits; it never raises.
        inspection = engine.inspect(request, route=template)
        if not inspection.matches:
            return inspection
        matches = _without_excluded(inspection.matches, (*self._exclusions, *extra), template)
        return Inspection(
            matches=tuple(matches),
            scores=_scores(matches),
            threshold=self._threshold,
            limits_hit=inspection.limits_hit,
        )

    async def on_request(self, exchange: Exchange) -> Deny | None:
        key = exchange.route_key
        template = self._templates.get(key, key) if key is not None else None
        inspection = self.judge(exchange.request, template, key=key)
        if not inspection.matches:
            return None
        matches = inspection.matches
        scores = dict(inspection.scores)
        exchange.matched_rules.extend(sorted({m.rule_id for m in matches}))
        families = sorted(inspection.families)
        exchange.notes["threat"] = {"scores": scores, "families": families}
        if not families:
            return None
        return Deny(
            status=self._status,
            title="Request blocked",
            detail="the request looks like an attack",
            rule_id=RULE_ATTACK,
            evidence={
                "families": families,
                "scores": scores,
                "matches": [
                    {"rule": m.rule_id, "family": m.family, "location": m.location, "fragment": m.shown[:80]}
                    for m in matches[:10]
                ],
            },
        )


def _custom_rules(files: Sequence[str], config_dir: str) -> tuple[Rule, ...]:
    paths = [path if Path(path).is_absolute() else str(Path(config_dir) / path) for path in files]
    try:
        return load_rule_files(paths)
    except ConfigError as exc:  # names the rule file and rule; the pointer names the option that listed it
        raise ConfigError(str(exc), pointer=f"policies.{NAME}.rules") from exc


@functools.lru_cache(maxsize=8)
def _engine(paranoia: int, threshold: int, custom: tuple[Rule, ...] = ()) -> Engine:
    """Engines are immutable and thread-safe, and compiling the rule set is the slow part of start-up:
    share one per (paranoia, threshold, custom rules) across policy instances and config reloads (rules are
    values: an edited rule file makes another engine). Exclusions are applied by the policy, not compiled into the
    engine, so they do not multiply engines."""
    return Engine(paranoia=paranoia, threshold=threshold, rules=(*load_rules(), *custom) if custom else None)


def _without_excluded(matches: Sequence[Match], exclusions: Sequence[Exclusion], route: str | None) -> list[Match]:
    """Matches left after the exclusions.

    The engine inspects a whole container (the raw query string, ``query``) as well as each value in it
    (``query:q``). Excluding ``query:q`` must also silence the container match of the same rule, unless
    the rule fired on another, non-excluded value of that container too.
    """
    if not exclusions:
        return list(matches)
    excluded = [m for m in matches if any(e.applies(m, route) for e in exclusions)]
    if not excluded:
        return list(matches)
    kept = [m for m in matches if m not in excluded]
    silenced = {(m.location.split(":", 1)[0], m.rule_id) for m in excluded if ":" in m.location}
    still = {(m.location.split(":", 1)[0], m.rule_id) for m in kept if ":" in m.location}
    return [m for m in kept if ":" in m.location or (m.location, m.rule_id) not in silenced - still]


def _scores(matches: Sequence[Match]) -> dict[str, int]:
    """Anomaly score per family; a rule counts once per request (as in :class:`apiward.detect.Engine`)."""
    scores: dict[str, int] = {}
    seen: set[str] = set()
    for m in matches:
        if m.rule_id not in seen:
            seen.add(m.rule_id)
            scores[m.family] = scores.get(m.family, 0) + m.score
    return scores


def build(options: Mapping[str, Any], ctx: PolicyContext) -> ThreatDetection:
    return ThreatDetection(options, ctx)
