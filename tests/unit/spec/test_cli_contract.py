"""The CLI contract for a bad description: one line naming file and pointer, exit code 2, no traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from apiward.cli import main

BAD = """openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /users/{id}:
    get:
      parameters:
        - name: id
      responses: {}
"""


def test_invalid_description_exits_2_with_the_pointer(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write("spec.yaml", BAD).parent)
    result = CliRunner().invoke(main, ["audit", "spec.yaml"])
    assert result.exit_code == 2
    assert "spec.yaml: /paths/~1users~1{id}/get/parameters/0: 'in' is required" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
