"""A reader that closes the pipe early (`apiward … | head`) ends the command quietly, as with any Unix tool."""

from __future__ import annotations

import subprocess
import sys


def _run_and_close_early(args: list[str]) -> tuple[int, str]:
    with subprocess.Popen(
        [sys.executable, "-m", "apiward", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.read(200)
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        return proc.wait(timeout=60), stderr


def test_closed_pipe_exits_without_an_error_message() -> None:
    code, stderr = _run_and_close_early(["detect", "rules", "--format", "markdown"])
    assert "unexpected" not in stderr, stderr
    assert "Traceback" not in stderr, stderr
    assert code in (0, 141)


def test_output_that_fits_the_reader_exits_cleanly() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "apiward", "detect", "rules", "--format", "markdown"], capture_output=True, timeout=60
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith(b"# Detection rules")
