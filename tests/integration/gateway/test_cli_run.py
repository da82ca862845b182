"""`apiward gateway` as a process: serves, shares one port between workers, stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys

import httpx

RUN = [sys.executable, "-c", "from apiward.cli._gateway import gateway; gateway()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _wait_port(port: int, proc: asyncio.subprocess.Process) -> None:
    for _ in range(600):
        if proc.returncode is not None:
            raise AssertionError(f"gateway exited with {proc.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise AssertionError("gateway did not listen")


async def test_two_workers_share_a_port_and_stop_on_sigterm(upstream, spec_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    config = tmp_path / "apiward.yaml"
    config.write_text(
        f"spec: {spec_file}\nupstream: {{url: '{upstream.url}'}}\nlisten: {{port: {port}}}\n"
        "policies: {threat: {mode: 'off'}}\n"
    )
    proc = await asyncio.create_subprocess_exec(
        *RUN, "--config", str(config), "--workers", "2", stderr=asyncio.subprocess.PIPE
    )
    try:
        await _wait_port(port, proc)
        for _ in range(10):
            async with httpx.AsyncClient() as client:  # a new connection each time: spread over workers
                r = await client.get(f"http://127.0.0.1:{port}/items/1")
                assert r.status_code == 200
                assert (await client.get(f"http://127.0.0.1:{port}/nope")).status_code == 404
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    text = err.decode()
    assert "memory:// state" in text
    assert text.count("listening on") == 2
    assert "Traceback" not in text
