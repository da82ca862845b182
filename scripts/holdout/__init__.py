"""The benign hold-out corpus generator; ``scripts/make_holdout_corpus.py`` is its command line.

Modules, each importing only those above it:

* ``texts`` — pools of real text by shape, and how a README becomes prose paragraphs and code snippets;
* ``sources`` — readers of the real text found on the machine (package READMEs, docstrings, changelogs, licences,
  man pages, gettext catalogs, CJK samples);
* ``values``, ``phrases`` — hand-written data: value tables (names, places, money, products, User-Agents) and prose
  templates (22 languages, business and everyday English, support answers, markdown);
* ``gen`` — ``Gen``, random values of realistic shapes from one seeded generator;
* ``request`` — ``Req``, the JSON / form / query encodings and the headers every row carries;
* ``builders`` — one builder per category, in four modules by kind of value, and the weighted ``BUILDERS`` list;
* ``corpus`` — rows in the CRS-regression format and the five groups; ``readme`` — the README next to the corpus.
"""
