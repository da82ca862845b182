"""SQL injection by tokenisation and fingerprints, in the spirit of libinjection.

A value is tokenised as SQL into a small alphabet and the first tokens are folded into a *fingerprint*:

    s string   1 number/literal   n bareword   v @variable   f known SQL function (followed by ``(``)
    a odd operator (/ % ^ ~ ! :: :=)
    E select   U union (then k for ALL/DISTINCT)   T statement verb (insert, update, drop, exec, waitfor…)
    N notnull/isnull (postfix null tests)
    F from     B clause keyword (where, having, order by, group by, limit, into…)
    & and/or/xor/&&/||   o operator (= < > + - * / like in is between regexp…)   k other SQL keyword
    c comment (C: one that goes on in words, ``-- see below``, ``#tag``)  ( ) , ; .   ? anything else

Injection breaks out of the context the value is pasted into, so the value is fingerprinted three ways: as is
(numeric context), and as if it continued a single- and a double-quoted string (the text up to the first quote
becomes one ``s`` token). A small set of fingerprint patterns (rule data, ``detector: sqli``) names the shapes of
an injection: ``s&1o1`` (``' or 1=1``), ``sc`` (``admin'--``), ``U E`` (``union select``)… Prose does not take
these shapes: ``O'Brien`` is ``s n`` in quote context, "select the best option from our menu" is ``E n n n F n n``.
Hand-written because no maintained Python binding of libinjection exists for this Python.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["CALLABLE", "WORD_TYPES", "Fingerprint", "break_index", "fingerprints", "tautology"]

_MAX_TOKENS = 12

_FUNCTIONS = frozenset(
    """
    abs acos ascii asin atan benchmark bin bit_length cast ceil char char_length character_length chr coalesce
    collation concat concat_ws conv convert count crc32 current_user database date_format datediff dbms_pipe
    decode elt encode exp export_set extractvalue field find_in_set floor format from_base64 geometrycollection
    get_lock group_concat gtid_subset hex if ifnull instr is_srvrolemember isnull json_extract json_keys lcase left
    length load_file locate lower lpad ltrim make_set master_pos_wait max md5 mid min multipoint name_const now
    nullif oct ord password pg_sleep polygon position pow quote rand randomblob release_lock repeat replace
    reverse right round row_count rpad rtrim schema sha sha1 sha2 sleep soundex space sqrt st_latfromgeohash
    strcmp string_agg subdate substr substring substring_index sum sys_eval sys_exec sysdate system_user
    to_base64 trim ucase unhex updatexml upper user utl_http utl_inaddr uuid version waitfor xmltype
    pg_read_file pg_ls_dir lo_import query_to_xml dblink sqlite_version db_name user_name host_name
    suser_name is_member has_dbaccess openrowset opendatasource xp_cmdshell exists json json_valid glob typeof
    zeroblob printf likelihood unlikely unicode sqlite_compileoption_get sqlite_compileoption_used load_extension
    iif lo_get lo_export lo_from_bytea json_search json_array json_object starts_with unistr to_char to_number
    """.split()
)
# Operators that rarely follow a quote break in SQL but are everywhere in paths and prose (``/``, ``%``, ``~``…).
_ODD_OPERATORS = frozenset({"/", "%", "^", "~", "!", "::", ":="})
_LOGIC = frozenset({"and", "or", "xor", "not", "&&", "||"})
_OPERATOR_WORDS = frozenset(
    {"like", "ilike", "rlike", "regexp", "in", "is", "between", "div", "mod", "sounds", "escape", "glob"}
)
# Operators that PostgreSQL also spells as functions (``div(23, -2)``).
_OPERATOR_CALLS = frozenset({"div", "mod"})
# Postfix null tests (``email notnull``); a call when a parenthesis follows (``isnull(x)``).
_POSTFIX = frozenset({"notnull", "isnull"})
_LITERALS = frozenset({"null", "true", "false", "current_user", "current_date", "current_time", "localtime"})
_VERBS = frozenset(
    {
        "insert",
        "update",
        "delete",
        "drop",
        "create",
        "alter",
        "truncate",
        "exec",
        "execute",
        "declare",
        "shutdown",
        "waitfor",
        "grant",
        "revoke",
        "merge",
        "call",
        "handler",
        "load",
        "copy",
        "pragma",
        "attach",
        "print",
    }
)
_CLAUSES = frozenset({"where", "having", "limit", "offset", "into", "procedure", "order", "group", "join", "returning"})
_KEYWORDS = frozenset(
    {
        "table",
        "database",
        "values",
        "set",
        "case",
        "when",
        "then",
        "else",
        "end",
        "as",
        "by",
        "asc",
        "desc",
        "distinct",
        "distinctrow",
        "all",
        "information_schema",
        "outfile",
        "dumpfile",
        "delay",
        "top",
        "collate",
        "on",
        "inner",
        "outer",
        "cross",
        "natural",
        "using",
        "analyse",
        "binary",
        "schema",
        "sysobjects",
        "syscolumns",
    }
)

# A comment that reads as prose — an em dash written ``--`` before words, a ``#hashtag`` — rather than one that cuts a
# query off (``--``, ``-- -``, ``#``, ``/**/``).
_PROSE_COMMENT = re.compile(r"\s*[^\W\d_]{2,}")
_PARAMETER = re.compile(r"[\w.\[\]-]+=")
_TOKEN = re.compile(
    r"""
    ([^\W\d][\w$]*(?:\[[\w$.]*\])*|\[[\w$.]+(?:\]|$))
  | (\s+|/\*!\d*|\*/)
  | (--[^\n]*|\#[^\n]*|/\*.*?(?:\*/|$))
  | ('(?:[^'\\]++|\\.|'')*(?:'|$)|"(?:[^"\\]++|\\.|"")*(?:"|$)|`[^`]*(?:`|$))
  | (0x[0-9a-f]+|0b[01]+|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+)
  | (@@?[\w.$]+|@`[^`]*`)
  | (!=|<>|<=>|<=|>=|\|\||&&|::|:=|@>|<@|->>?|\?[|&]|@[?@]|[=<>!+\-*/%^|&~])
  | ([(),;.])
  | (.)
    """,
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)
# A string's runs of ordinary characters are possessive (``[^'\\]++``): a run nested in the ``*`` could otherwise be
# split in 2^n ways when the string ends in a lone backslash (``"`` + n spaces + ``\\`` took seconds at n = 24), and
# no split can end a string where the whole run does not (a quote or the end of the text ends it).
# The groups of ``_TOKEN`` (``Match.lastindex``): word, space, comment, string, number, variable, op, punct, other.
# No other alternative can match where a word starts (a letter, an underscore or ``[``), so words are tried first.
_WORD, _SPACE, _COMMENT, _STRING, _NUMBER, _VARIABLE, _OP, _PUNCT, _OTHER = range(1, 10)
# The token type of each group that has a single one (words, operators, comments and punctuation are worked out).
_GROUP_TYPES: dict[int | None, str] = {_STRING: "s", _NUMBER: "1", _VARIABLE: "v", _OTHER: "?"}
# Leading words (a letter or underscore, then letters, digits and underscores), each followed by spaces and another such
# word: ``_TOKEN`` reads each as one word token with no parenthesis after it, so they are split off without it.
_PROSE = re.compile(r"(?:\s*+[^\W\d]\w*+(?=\s+[^\W\d]))*+")


def _word_types() -> dict[str, str]:
    types: dict[str, str] = {}
    # Lowest precedence first: a word in two vocabularies takes the type of the later one.
    for code, words in (
        ("k", _KEYWORDS),
        ("B", _CLAUSES),
        ("T", _VERBS),
        ("1", _LITERALS),
        ("N", _POSTFIX),
        ("o", _OPERATOR_WORDS),
        ("&", _LOGIC),
    ):
        types.update(dict.fromkeys(words, code))
    types.update({"select": "E", "union": "U", "from": "F"})
    return types


# The type of a (lowercased) SQL word that is not called; any other word is a bareword (``n``).
WORD_TYPES = _word_types()
# Words that are a function (``f``) when a parenthesis follows: functions and the operators spelled as functions, but
# not SELECT, UNION and FROM, which keep their own types.
CALLABLE = (_FUNCTIONS | _OPERATOR_CALLS) - {"select", "union", "from"}
_OPERATOR_TYPES = {"||": "&", "&&": "&", **dict.fromkeys(_ODD_OPERATORS, "a")}


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A fingerprint with its context (``as-is``, ``quote-single``, ``quote-double``) and the folded tokens."""

    context: str
    shape: str
    tokens: tuple[str, ...]


def _called(text: str, end: int) -> bool:
    """Whether a parenthesis follows the word ending at ``end`` (after spaces and one inline comment)."""
    following = text[end : end + 40].lstrip()
    if following.startswith("/*"):
        following = following.split("*/", 1)[-1].lstrip()
    return following.startswith("(")


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """The first tokens of ``text`` as (type, text), space skipped: leading prose split off, then one pass of
    ``_TOKEN`` (which matches at every position, its last alternative being any character). A generator: folding
    stops reading once it has enough."""
    count = 0
    prose = _PROSE.match(text)
    end = prose.end() if prose else 0
    if end:
        for word in text[:end].split():
            yield WORD_TYPES.get(word.lower(), "n"), word
            count += 1
            if count >= _MAX_TOKENS * 2:
                return
    for m in _TOKEN.finditer(text, end):
        group = m.lastindex
        if group == _SPACE:
            continue
        value = m.group()
        if group == _WORD:
            lower = value.lower()
            if lower in CALLABLE and _called(text, m.end()):
                yield "f", value
            else:
                yield WORD_TYPES.get(lower, "n"), value
        elif group == _OP:
            if value == "&" and _PARAMETER.match(text, m.end()):
                yield "?", value  # a query-string separator (…'&page=1), not a bitwise AND
            else:
                yield _OPERATOR_TYPES.get(value, "o"), value
        elif group == _PUNCT:
            yield value, value
        elif group == _COMMENT:
            body = value[1:] if value[0] == "#" else value[2:]
            yield ("C" if _PROSE_COMMENT.match(body) else "c"), value
        else:
            yield _GROUP_TYPES[group], value
        count += 1
        if count >= _MAX_TOKENS * 2:
            return


_NEGATED = frozenset({"like", "ilike", "rlike", "regexp", "in", "between", "glob", "similar"})


# Token types that may fold into the token before them, and those a token after may fold into.
_FOLDING = frozenset(".1sko&")
_FOLDED_INTO = frozenset("cC")


def _fold(tokens: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    after_dot = False
    for tok in tokens:
        kind, value = tok
        if not after_dot and kind not in _FOLDING and (not out or out[-1][0] not in _FOLDED_INTO):
            out.append(tok)  # the common case (words): none of the steps below applies
            if len(out) >= _MAX_TOKENS:
                break
            continue
        prev = out[-1][0] if out else ""
        if kind == "." and (prev in ("n", "k", "v") or (prev == "s" and out[-1][1].startswith("`"))):
            after_dot = True  # schema.table, `db`.`table` → one bareword
            continue
        if after_dot and (kind in ("n", "k", "f") or (kind == "s" and value.startswith("`"))):
            after_dot = False
            out[-1] = ("f" if kind == "f" else out[-1][0], out[-1][1] + "." + value)
            continue
        after_dot = False
        if kind == "1" and prev == "o" and out[-1][1] in ("-", "+") and (len(out) == 1 or out[-2][0] in "(,&o"):
            out[-1] = tok  # unary sign
            continue
        if kind == "s" and prev == "s":
            continue  # 'a' 'b' concatenation
        if kind == "k" and prev == "B" and value.lower() == "by":
            continue
        if prev == "&" and kind == "o" and out[-1][1].lower() == "not" and value.lower() in _NEGATED:
            if len(out) > 1 and out[-2][0] in "1snv)":
                out[-1] = ("o", "not " + value)  # a NOT LIKE b: one negated operator
                continue
        if prev == "o" and kind == "&" and value.lower() == "not" and out[-1][1].lower() == "is":
            out[-1] = ("o", "is not")
            continue
        if prev in ("c", "C") and (out[-1][1].startswith("/*") or (len(out) > 1 and out[-2][0] == "U")):
            out.pop()  # an inline comment between tokens is whitespace to the server (UNION/**/SELECT, UNION#\nSELECT)
            prev = out[-1][0] if out else ""
            if kind == "s" and prev == "s":
                continue
        out.append(tok)
        if len(out) >= _MAX_TOKENS:
            break
    return out


def _fingerprint(context: str, tokens: list[tuple[str, str]]) -> Fingerprint:
    return Fingerprint(context, "".join([kind for kind, _ in tokens]), tuple([value for _, value in tokens]))


# Prose quotes a term — ``'-'``, ``"<stdin>"``, ``"#if 0"``, GNU-style `` `base64' `` — where an injection closes a
# string: a quote opening a short term after a space or parenthesis, closed before a space or punctuation, or a
# quote closing a backtick-opened term, is not where a string breaks.
_TERM_NOT_FIRST = frozenset("+|&=^*~!%")  # '+(select …)+', '||user||': concatenation, not a term
_PARENS = re.compile(r"[()]")
_TERM_END = frozenset(" \t\r\n.,;:!?)]}")
_LITERAL_END = frozenset(",}]")
_SYMBOL_TERM = re.compile(r"""(['"])(?:(?!\1)[^\w\s`]){1,2}\1(?!\w)""")
_GNU_TERM = re.compile(r"[\s(]`[^`'\n]{0,40}[^`'\s]$")


# Inch marks in a range of sizes (``24"-27"``, ``13" - 15.6"``, ``27" - 4K``, ``12" - 30cm``): product titles are
# full of them, and read as a break they make a closing quote, a minus and a number (SQLI-003's ``so1``). A minus
# and a number closing the string is no injection; a quote followed by anything else still breaks it.
_INCH_RANGE = re.compile(r'"\s*[-\u2013~]\s*\d+(?:[./]\d+)*(?:\s*"|\s*(?:cm|mm|in|ft|m|k)\b|\s*$)', re.IGNORECASE)


def break_index(text: str, quote: str) -> int:
    """Where ``text`` may break out of a ``quote``-delimited string: the first quote that does not open or close
    a quoted term of prose (or mark inches in a range of sizes); -1 when there is none."""
    index = text.find(quote)
    while True:  # each step moves past a quote: linear in the text
        if index < 0:
            return index
        before = text[index - 1] if index else " "
        if quote == '"' and before.isdigit():
            inches = _INCH_RANGE.match(text, index)
            if inches is not None:
                index = text.find(quote, inches.end())
                continue
        symbol = None if before.isalnum() or before == "_" else _SYMBOL_TERM.match(text, index)
        if symbol is not None:
            index = text.find(quote, symbol.end())  # '*', "-", ='#': a quoted symbol
            continue
        if quote == "'" and _GNU_TERM.search(text, max(0, index - 42), index):
            index = text.find(quote, index + 1)
            continue
        # A quoted term opens after a space or bracket in prose, and as a value after ':' or ',' in an object
        # literal, where ',', '}' or ']' follows it (Cookiebot's ``{stamp:'-1',necessary:true,method:'implied'}``).
        literal = before in ":,"
        if (before in " \t\r\n([" or literal) and index + 1 < len(text) and not text[index + 1].isspace():
            close = text.find(quote, index + 1, index + 42)
            if (
                close > index + 1
                and text[index + 1] not in _TERM_NOT_FIRST
                and not (index == 0 and _PARENS.search(text, 1, close))
                and not text[close - 1].isspace()
                and (close + 1 == len(text) or text[close + 1] in (_LITERAL_END if literal else _TERM_END))
            ):
                index = text.find(quote, close + 1)
                continue
        return index


def fingerprints(text: str) -> list[Fingerprint]:
    """The fingerprints of ``text`` in its plausible contexts (as is; after a ' or " quote when it has one)."""
    if len(text) > 4096:
        text = text[:4096]
    out = [_fingerprint("as-is", _fold(_tokens(text)))]
    for quote, name in (("'", "quote-single"), ('"', "quote-double")):
        index = break_index(text, quote)
        if index >= 0:
            out.append(_fingerprint(name, _fold(itertools.chain((("s", text[:index]),), _tokens(text[index + 1 :])))))
    return out


_COMPARISONS = frozenset(
    {"=", "==", "<=>", "like", "!=", "<>", ">=", "<=", ">", "<", "is", "rlike", "regexp", "glob", "ilike"}
)
_NEGATIONS = frozenset({"is not", "not like", "not rlike", "not regexp", "not glob", "not ilike"})


def _literal(kind: str, value: str, last: bool) -> str | float | None:
    if kind == "1":
        lower = value.lower()
        if lower in ("null", "true", "false"):
            return lower
        try:
            return float(int(lower, 16)) if lower.startswith("0x") else float(lower)
        except ValueError:
            return None
    if kind == "s" and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    if kind == "s" and last and value[:1] in ("'", '"'):
        return value[1:]  # the application's own closing quote ends it
    return None


def _holds(left: str | float, op: str, right: str | float) -> bool:
    if isinstance(left, float) != isinstance(right, float):  # SQL compares '1' and 1 as numbers
        try:
            left, right = float(left), float(right)
        except ValueError:
            return False
    if op in ("=", "==", "<=>", "like", "is", "rlike", "regexp", "glob", "ilike"):
        return left == right
    if op in ("!=", "<>") or op in _NEGATIONS:
        return left != right
    if isinstance(left, float) and isinstance(right, float):
        return {">=": left >= right, "<=": left <= right, ">": left > right, "<": left < right}[op]
    return False


def tautology(prints: list[Fingerprint]) -> str | None:
    """A comparison of two literals that is always true (``1=1``, ``'a'='a'``, ``42 like 42``, ``2>1``), standing
    alone or joined by a logic operator, comma or parenthesis — the heart of a boolean-based injection."""
    for fp in prints:
        kinds, values = fp.shape, fp.tokens
        for i in range(len(kinds) - 2):
            if kinds[i + 1] != "o" or (values[i + 1].lower() not in _COMPARISONS | _NEGATIONS):
                continue
            if i > 0 and (kinds[i - 1] not in "&,(s" or (kinds[i - 1] == "s" and i - 1 != 0)):
                continue
            if i == 0 and fp.context != "as-is":
                continue
            end = i + 3
            if end < len(kinds) and kinds[end] not in "&c);":
                continue
            last = i + 3 == len(kinds)
            left, right = _literal(kinds[i], values[i], False), _literal(kinds[i + 2], values[i + 2], last)
            if left is None or right is None:
                continue
            op = values[i + 1].lower()
            if i == 0 and op in ("<", ">", "<=", ">="):
                continue  # a lone ordering ("123<456") is arithmetic, not a boolean injection
            if _holds(left, op, right):
                return f"[{fp.context} {kinds}] {values[i]} {values[i + 1]} {values[i + 2]}"
    return None
