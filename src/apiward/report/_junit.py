"""JUnit XML renderer: one testcase per rule/check per operation, a ``failure`` for each finding.

CI systems (GitLab, Jenkins, Azure DevOps) show these as test results. Operations come from
``stats["operation_keys"]`` (audit) or the keys of ``stats["coverage"]`` (scan), plus any operation a
finding names; findings about the whole document go to the ``(document)`` testcase of their rule.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping

from apiward.core import Finding
from apiward.report._common import evidence_blocks, evidence_fields
from apiward.report._model import Report

__all__ = ["render_junit"]

_DOCUMENT = "(document)"
#: Characters XML 1.0 cannot carry at all, even escaped; ElementTree would write them and break the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _operation_keys(report: Report) -> list[str]:
    keys: list[str] = []
    listed = report.stats.get("operation_keys")
    if isinstance(listed, list | tuple):
        keys += [str(k) for k in listed]
    coverage = report.stats.get("coverage")
    if isinstance(coverage, Mapping):
        keys += [str(k) for k in coverage]
    keys += [f.operation.key for f in report.findings if f.operation is not None]
    return list(dict.fromkeys(keys))


def _failure_text(finding: Finding) -> str:
    lines = [finding.message, f"fix: {finding.remediation}", f"{finding.owasp.value} {finding.cwe}"]
    if finding.location:
        lines.append(f"location: {finding.location}")
    lines += [f"{k}: {v}" for k, v in evidence_fields(finding)]
    for label, text in evidence_blocks(finding):
        lines += [f"{label}:", text]
    return "\n".join(lines)


def render_junit(report: Report) -> str:
    by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_case[(f.check_id, f.operation.key if f.operation else _DOCUMENT)].append(f)
    rule_ids = list(dict.fromkeys([r.id for r in report.rules] + [f.check_id for f in report.findings]))
    operations = _operation_keys(report)
    suites = ET.Element("testsuites", name=f"apiward {report.kind}")
    total = failures = 0
    for rule_id in rule_ids:
        info = report.rule(rule_id)
        suite = ET.SubElement(suites, "testsuite", name=_x(f"{rule_id} {info.title if info else ''}".strip()))
        cases = list(operations)
        if (rule_id, _DOCUMENT) in by_case:
            cases.append(_DOCUMENT)
        suite_failures = 0
        for op_key in cases:
            case = ET.SubElement(suite, "testcase", classname=_x(rule_id), name=_x(op_key))
            found = by_case.get((rule_id, op_key), [])
            for f in found:
                failure = ET.SubElement(case, "failure", message=_x(f.message), type=f.severity.label)
                failure.text = _x(_failure_text(f))
            suite_failures += bool(found)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        total += len(cases)
        failures += suite_failures
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", "0")
    suites.set("time", f"{report.duration_s:.3f}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
