"""The demo's simulated shell, virtual file system, document matcher and template sandbox stay contained."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.exceptions import SecurityError

from apiward.demo._nosql import matches
from apiward.demo._shell import MAX_SLEEP_S, simulate
from apiward.demo._templates import render_heading, sandbox
from apiward.demo._vfs import FILES_ROOT, VirtualFileSystem


@pytest.fixture
def vfs() -> VirtualFileSystem:
    return VirtualFileSystem()


# -- shell --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ping -c 1 x;echo aw$((9127*3))x", "aw27381x\n"),
        ("echo a && echo b", "a\nb\n"),
        ("false && echo no", ""),
        ("false || echo yes", "yes\n"),
        ("echo $(whoami)", "www-data\n"),
        ("echo `id`", "uid=33(www-data) gid=33(www-data) groups=33(www-data)\n"),
        ("ping -c 1 x | id", "uid=33(www-data) gid=33(www-data) groups=33(www-data)\n"),
        ("echo $((1/0))", "0\n"),
        ("frobnicate", "sh: 1: frobnicate: not found\n"),
    ],
)
def test_shell_interprets_the_usual_injection_syntax(vfs: VirtualFileSystem, line: str, expected: str) -> None:
    assert simulate(line, vfs).output.endswith(expected)


def test_shell_reads_only_the_virtual_file_system(vfs: VirtualFileSystem) -> None:
    out = simulate("cat /etc/passwd", vfs).output
    assert out.startswith("root:x:0:0:")
    assert "shop:x:1000:1000:Demo Shop" in out  # the fake file, not the host's
    assert "No such file" in simulate("cat /etc/shadow", vfs).output


def test_shell_never_executes_anything(vfs: VirtualFileSystem, tmp_path: Path) -> None:
    marker = tmp_path / "created"
    result = simulate(f'touch {marker}; rm -rf {tmp_path}; python3 -c \'open("{marker}", "w")\'', vfs)
    assert not marker.exists()
    assert tmp_path.exists()
    assert "touch: not found" in result.output


def test_shell_caps_sleep(vfs: VirtualFileSystem) -> None:
    assert simulate("sleep 2", vfs).sleep_s == 2
    assert simulate("sleep 100; sleep 100", vfs).sleep_s == MAX_SLEEP_S


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_shell_never_raises_and_sleep_is_bounded(line: str) -> None:
    result = simulate(line, VirtualFileSystem())
    assert 0 <= result.sleep_s <= MAX_SLEEP_S


# -- virtual file system ------------------------------------------------------------------------------
def test_traversal_walks_the_virtual_tree_only(vfs: VirtualFileSystem) -> None:
    data = vfs.read(f"{FILES_ROOT}/../../../../../../etc/passwd")
    assert data is not None
    assert b"Demo Shop" in data
    assert vfs.read("/etc/shadow") is None
    assert vfs.read(f"{FILES_ROOT}/../../../../../../{Path(__file__).resolve()}") is None


# -- document matcher ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "condition", "expected"),
    [
        ("alice", "alice", True),
        ("alice", "bob", False),
        ("alice", {"$ne": None}, True),
        ("alice", {"$gt": ""}, True),
        ("alice", {"$in": ["bob", "alice"]}, True),
        ("alice", {"$nin": ["alice"]}, False),
        ("alice", {"$regex": "^al"}, True),
        ("alice", {"$regex": "("}, False),
        ("alice", {"$exists": True}, True),
        ("alice", {"$where": "1"}, False),
        (3, {"$gte": 3, "$lt": 4}, True),
    ],
)
def test_nosql_matcher(value: object, condition: object, expected: bool) -> None:
    assert matches(value, condition) is expected


# -- template sandbox ---------------------------------------------------------------------------------
def test_sandbox_evaluates_arithmetic() -> None:
    env = sandbox()
    assert render_heading(env, "Report: {{1337*1337}}") == "Report: 1787569"
    assert render_heading(env, "{{ 7*7 }}") == "49"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ 'a' * 100000000 }}",
        "{{ 9 ** 9999999 }}",
    ],
)
def test_sandbox_refuses_escapes_and_bombs(source: str) -> None:
    with pytest.raises(SecurityError):
        render_heading(sandbox(), source)


# -- SQL sleep budget ---------------------------------------------------------------------------------
def test_injected_sql_sleep_is_bounded_per_query(vfs: VirtualFileSystem) -> None:
    from apiward.demo._store import Store

    store = Store(vfs)
    store._sleep_left = 0.0  # what is left after a 3 s sleep; each query starts with a fresh budget
    assert len(store.query_products("SELECT * FROM products WHERE category = 'x' OR sleep(0)=0")) == 8
    assert store._sleep_left == 3.0
