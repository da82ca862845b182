"""The YAML samples in the gateway how-tos are valid configurations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from apiward.gateway import load_config

DOCS = Path(__file__).resolve().parents[3] / "docs" / "gateway"
PAGES = ["in-front-of-an-api.md", "behind-nginx.md", "several-instances.md"]
ENV = {"APIWARD_ADMIN_TOKEN": "x" * 32}


def samples() -> list[tuple[str, int, str]]:
    out = []
    for page in PAGES:
        text = (DOCS / page).read_text()
        for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", text, flags=re.S)):
            out.append((page, i, block))
    return out


@pytest.mark.parametrize(("page", "index", "block"), samples(), ids=lambda v: str(v)[:24])
def test_sample_is_a_valid_config(page: str, index: int, block: str) -> None:
    config = load_config(yaml.safe_load(block), env=ENV)
    assert config.version
