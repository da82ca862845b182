"""The YAML samples in docs/gateway/authentication.md are valid policy options."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from apiward.gateway.policies import policy_modules
from apiward.gateway.policies._auth._apikey import parse_stored
from apiward.gateway.policies._validation._options import validate_options

DOC = Path(__file__).resolve().parents[3] / "docs" / "gateway" / "authentication.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_page_has_samples() -> None:
    assert len(BLOCKS) >= 6


@pytest.mark.parametrize("block", BLOCKS, ids=range(len(BLOCKS)))
def test_sample_is_valid(block: str) -> None:
    doc: dict[str, Any] = yaml.safe_load(block)
    modules = policy_modules()
    for name, options in doc.get("policies", {}).items():
        validate_options(modules[name].OPTIONS_SCHEMA, options, name=name)
        for i, key in enumerate(options.get("keys", ()) if name == "authn_apikey" else ()):
            parse_stored(key["hash"], pointer=f"keys[{i}]")
    for route, per_policy in doc.get("routes", {}).items():
        for name, options in per_policy.items():
            validate_options(modules[name].OPTIONS_SCHEMA, options, name=f"{name}.routes[{route}]")
