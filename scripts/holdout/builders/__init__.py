"""The request builders, one module per kind of value, and the category mix in one explicit list.

Each builder takes the seeded :class:`~holdout.gen.Gen` and returns one :class:`~holdout.request.Req`. The order of
:data:`BUILDERS` is part of the corpus: the generator draws a builder by weight from this list, so reordering it
changes every row after the first.
"""

from __future__ import annotations

from collections.abc import Callable

from holdout.builders.developer import (
    build_changelog,
    build_code,
    build_legal,
    build_querylang,
    build_readme_upload,
    build_richtext,
    build_sysadmin,
    build_techdocs,
    build_techprose,
    build_template,
)
from holdout.builders.documents import (
    build_data,
    build_json_patch,
    build_schema,
    build_tokens,
    build_webhook,
    build_xml,
)
from holdout.builders.forms import (
    build_csv,
    build_files,
    build_form,
    build_headers,
    build_multipart,
    build_nested_form,
    build_paths,
    build_query,
    build_sso,
)
from holdout.builders.prose import (
    build_business,
    build_emoji,
    build_i18n,
    build_markdown,
    build_math,
    build_product,
    build_profile,
    build_prose,
    build_support,
    build_ui,
)
from holdout.gen import Gen
from holdout.request import Req

__all__ = ["BUILDERS"]


# (builder, weight): the category mix. Code posts are ~8 % of the rows; query languages ~2 %.
BUILDERS: list[tuple[Callable[[Gen], Req], int]] = [
    (build_prose, 1400),
    (build_techprose, 600),
    (build_legal, 200),
    (build_ui, 700),
    (build_changelog, 400),
    (build_techdocs, 400),
    (build_support, 500),
    (build_i18n, 1300),
    (build_profile, 900),
    (build_business, 800),
    (build_markdown, 700),
    (build_query, 1400),
    (build_form, 600),
    (build_multipart, 300),
    (build_tokens, 600),
    (build_product, 500),
    (build_math, 250),
    (build_emoji, 350),
    (build_csv, 250),
    (build_files, 400),
    (build_headers, 500),
    (build_querylang, 300),
    (build_richtext, 500),
    (build_template, 200),
    (build_xml, 400),
    (build_webhook, 400),
    (build_paths, 400),
    (build_sysadmin, 250),
    (build_data, 400),
    (build_readme_upload, 120),
    (build_json_patch, 250),
    (build_nested_form, 200),
    (build_schema, 250),
    (build_sso, 200),
    (build_code, 1200),
]
