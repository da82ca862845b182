"""Layer 1 — the audit trail: event sinks (JSONL, SQLite, PostgreSQL, syslog/CEF, ECS, OCSF, webhook) and queries.

    sink = open_sink("sqlite:///var/lib/apiward/events.sqlite")
    await sink.start()
    sink.emit(event)          # never blocks, never raises: spooled to disk, queued for a writer thread
    await sink.aclose()       # flush

The back-pressure policy is documented on :class:`EventSink`.
"""

from apiward.events._cef import syslog_message, to_cef
from apiward.events._ecs import to_ecs
from apiward.events._ocsf import to_ocsf
from apiward.events._open import SCHEMES, default_spool_dir, open_sink
from apiward.events._query import EventQuery, EventStore, open_store
from apiward.events._recorder import MemorySink, Recorder
from apiward.events._schema import EVENT_JSON_SCHEMA
from apiward.events._sink import EventSink
from apiward.events._spooled import SinkStats, SpooledSink
from apiward.events._writer import BatchWriter

__all__ = [
    "EVENT_JSON_SCHEMA",
    "SCHEMES",
    "BatchWriter",
    "EventQuery",
    "EventSink",
    "EventStore",
    "MemorySink",
    "Recorder",
    "SinkStats",
    "SpooledSink",
    "default_spool_dir",
    "open_sink",
    "open_store",
    "syslog_message",
    "to_cef",
    "to_ecs",
    "to_ocsf",
]
