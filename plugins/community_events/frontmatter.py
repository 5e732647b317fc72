"""Split a content file into YAML front matter and a Markdown body.

Pure functions, no Pelican. The YAML dialect is deliberately small so that what
a contributor types is what the model receives: only ``true``/``false``, empty
or ``null`` and plain whole numbers are typed; everything else, dates and times
included, stays text and is parsed by the model with a precise error. (Plain
YAML 1.1 would turn ``10:00`` into 600, ``no`` into False and ``08`` into an
error.) Every mapping remembers the line of each of its keys, so errors can
point at the line to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import yaml

from .errors import ContentError

DELIMITERS = ("---", "...")
TEMPLATE_FIX = "start the file with a line of three dashes (---), then the fields, then another line of three dashes"
# Limits on what one file may hold: far above any real event or story, far below what
# could exhaust the build machine (a 50 MB front matter once took 2 GB to parse).
MAX_FILE_BYTES = 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_NESTING = 6  # the deepest real structure is a list of sessions, each a mapping: 3
MAX_DIGITS = 9  # episode and order numbers; a longer "number" is a mistake, and Python refuses over 4,300 digits
# Control characters (C0 but tab and line feed, DEL, C1) and the separators some
# parsers read as line ends: nothing a person types, and dangerous in feeds and pages.
# Unicode's noncharacters too (U+FFFE, U+FFFF, U+FDD0-U+FDEF and the last two of each plane):
# XML forbids U+FFFE and U+FFFF, so one would break the Atom feed, and none is ever typed.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17)
)
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + NONCHARACTERS + "]")


class FieldLines(NamedTuple):
    """Where a file's top-level fields and their list items are, kept once the fields are parsed.

    Plain values only: a site keeps one per file, and the garbage collector
    has nothing in them to walk.
    """

    start_line: int | None
    fields: dict[str, int]  # name -> line
    items: dict[str, tuple[int, ...]]  # name of a list -> line of each item

    def line(self, name: str, index: int | None = None) -> int | None:
        lines = self.items.get(name, ())
        if index is not None and index < len(lines):
            return lines[index]
        return self.fields.get(name, self.start_line)


class Fields(dict):
    """A YAML mapping that remembers the file line of each key."""

    __slots__ = ("lines", "start_line")

    def __init__(self, *args, lines: dict | None = None, start_line: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = dict(lines or {})
        self.start_line = start_line

    def line(self, key: str) -> int | None:
        return self.lines.get(key, self.start_line)

    def where(self) -> FieldLines:
        """The lines of these fields and of their lists' items, without the values."""
        items = {name: value.lines for name, value in self.items() if isinstance(value, Items)}
        return FieldLines(self.start_line, dict(self.lines), items)


class Items(list):
    """A YAML sequence that remembers the file line of each item."""

    __slots__ = ("lines", "start_line")

    def __init__(self, *args, lines: list | None = None, start_line: int | None = None):
        super().__init__(*args)
        self.lines = tuple(lines or ())
        self.start_line = start_line

    def line(self, index: int) -> int | None:
        return self.lines[index] if index < len(self.lines) else self.start_line


@dataclass(frozen=True)
class Document:
    fields: Fields
    body: str
    body_line: int


class _DuplicateField(yaml.MarkedYAMLError):
    pass


class _BadValue(yaml.MarkedYAMLError):
    """A value the dialect refuses; ``fix`` says what to do."""

    fix = ""


def _bad_value(problem: str, fix: str, node: yaml.Node) -> _BadValue:
    error = _BadValue(problem=problem, problem_mark=node.start_mark)
    error.fix = fix
    return error


class _Schema:
    """A YAML 1.2-like core schema with line-aware containers, for either loader below."""

    line_offset = 0

    def _file_line(self, node: yaml.Node) -> int:
        return self.line_offset + node.start_mark.line + 1

    def construct_fields(self, node: yaml.MappingNode) -> Fields:
        self.flatten_mapping(node)
        fields = Fields(start_line=self._file_line(node))
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            key = "" if key is None else str(key)
            if key in fields:
                raise _DuplicateField(problem=f'field "{key}" appears twice', problem_mark=key_node.start_mark)
            fields[key] = self.construct_object(value_node, deep=True)
            fields.lines[key] = self._file_line(key_node)
        return fields

    def construct_items(self, node: yaml.SequenceNode) -> Items:
        values = [self.construct_object(child, deep=True) for child in node.value]
        return Items(values, lines=[self._file_line(child) for child in node.value], start_line=self._file_line(node))

    def construct_decimal(self, node: yaml.ScalarNode) -> int:
        digits = self.construct_scalar(node)
        if len(digits.lstrip("+-")) > MAX_DIGITS:
            raise _bad_value(
                f"a number has more than {MAX_DIGITS} digits", "check the number; put other text in double quotes", node
            )
        return int(digits, 10)

    def construct_plain_bool(self, node: yaml.ScalarNode) -> bool:
        return self.construct_scalar(node).lower() == "true"

    def construct_text(self, node: yaml.ScalarNode) -> str:
        # A quoted value can spell a control character as an escape ("\r", "\u0001").
        text = self.construct_scalar(node)
        # Only a double-quoted value has escapes; decode() refused control characters written as they are.
        if node.style == '"' and CONTROL_CHARACTERS.search(text):
            raise _bad_value(
                "a value contains an invisible control character",
                "remove the escape sequence (like \\r or \\u0001) from the quoted value",
                node,
            )
        return text


class _Loader(_Schema, yaml.SafeLoader):
    """The pure-Python parser: slower, but its error messages are the ones explained below."""


# libyaml's parser, when PyYAML has it: about ten times faster on valid files.
_FastLoader = type("_FastLoader", (_Schema, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ else _Loader

for _loader in {_Loader, _FastLoader}:
    _loader.yaml_implicit_resolvers = {}
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    _loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    _loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
    _loader.add_constructor("tag:yaml.org,2002:map", _Schema.construct_fields)
    _loader.add_constructor("tag:yaml.org,2002:seq", _Schema.construct_items)
    _loader.add_constructor("tag:yaml.org,2002:int", _Schema.construct_decimal)
    _loader.add_constructor("tag:yaml.org,2002:bool", _Schema.construct_plain_bool)
    _loader.add_constructor("tag:yaml.org,2002:str", _Schema.construct_text)


def decode(path: str, raw: bytes) -> str:
    """Bytes to text: UTF-8 with or without a BOM, any line ends; no control characters."""
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(
            path,
            f"the file is {len(raw) // 1024} KiB, more than the {MAX_FILE_BYTES // 1024} KiB a content file may have",
            "shorten it, or link to the long text elsewhere",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            path,
            "the file is not saved as UTF-8 text",
            "save it again with the UTF-8 encoding (in most editors: Save As, Encoding: UTF-8)",
            line=line,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL_CHARACTERS.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise ContentError(
            path,
            f"the file contains an invisible control character (U+{ord(control.group()):04X})",
            "delete it, or retype the line",
            line=line,
        )
    return text


def split(path: str, text: str) -> Document:
    """Separate the front matter from the body and parse it."""
    if not text.strip():
        raise ContentError(path, "the file is empty", TEMPLATE_FIX + " (see CONTRIBUTING.md for a template)", line=1)
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ContentError(path, "the file has no front matter", TEMPLATE_FIX, line=1)
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in DELIMITERS), None)
    if closing is None:
        raise ContentError(
            path, "the front matter is never closed", "add a line of three dashes (---) after the last field", line=1
        )
    front_matter = "\n".join(lines[1:closing])
    if len(front_matter.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise ContentError(
            path,
            f"the front matter is longer than {MAX_FRONT_MATTER_BYTES // 1024} KiB",
            "keep the fields short and put long text in the body, below the second line of dashes",
            line=1,
        )
    _check_hashtags(path, lines[1:closing], line_offset=1)
    fields = parse_yaml(path, front_matter, line_offset=1)
    return Document(fields=fields, body="\n".join(lines[closing + 1 :]), body_line=closing + 2)


# An unquoted value with " #word" in it: YAML reads the rest of the line as a comment, so a
# hashtag like #1lib1ref would silently cut the text short.
# Worked out in steps, each linear in the line's length: one pattern for the whole rule took
# seconds on a long line of spaces, and a file may hold many.
FIELD_START = re.compile(r"[ \t]*(?:-[ \t]+)?[\w-]+:")
SPACE_HASH = re.compile(r"\s#\S")


def _swallows_a_hashtag(line: str) -> bool:
    """ "field: text #tag" or "- item #tag", unquoted: YAML would read " #tag" as a comment."""
    if "#" not in line:
        return False
    field = FIELD_START.match(line)
    if field and _unquoted_hashtag(line[field.end() :], "\"'|>"):
        return True
    stripped = line.lstrip()
    if not stripped.startswith("-"):
        return False
    value = stripped[1:]
    found = _unquoted_hashtag(value, "\"'|>[{")
    return found and ":" not in value[: found.start()]


def _unquoted_hashtag(value: str, quotes: str) -> re.Match | None:
    if not value[:1].isspace():
        return None
    first = value.lstrip()[:1]
    if first and first in quotes:
        return None
    found = SPACE_HASH.search(value)
    return found if found and "#" not in value[: found.start()] else None  # an earlier "#" keeps YAML reading on


def _check_hashtags(path: str, lines: list[str], line_offset: int) -> None:
    for number, line in enumerate(lines, start=line_offset + 1):
        if _swallows_a_hashtag(line):
            field = line.split(":", 1)[0].strip(" -") if ":" in line else "a list item"
            raise ContentError(
                path,
                "has a # inside a value without quotes, so YAML would drop everything from the # on",
                'put the whole value in double quotes, like summary: "Join #1Lib1Ref"',
                field=field,
                line=number,
            )


def _load(loader_class: type, text: str, line_offset: int):
    loader = loader_class(text)
    loader.line_offset = line_offset
    try:
        node = loader.get_single_node()
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


# Anything that may be an anchor, alias or tag, or nest deeply: only such text is scanned token by token.
NEEDS_A_SCAN = re.compile(r"[&*!]|(?:-[ \t]+){3}|^[ \t]{16,}\S", re.MULTILINE)
OPENING_TOKENS = (
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
)
CLOSING_TOKENS = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
ANCHORS = (
    "YAML anchors and aliases (&name, *name) are not allowed",
    "write each value out in full; put text starting with & or * in double quotes",
)
TAGS = (
    "YAML tags (!!int, !!binary…) are not allowed",
    "write the value plainly; put text starting with ! in double quotes",
)
TOO_DEEP = "the front matter is nested too deeply", "compare it with the template in CONTRIBUTING.md"


def _scan(path: str, text: str, line_offset: int) -> None:
    """Refuse anchors, aliases, tags and deep nesting from the tokens, before anything is parsed.

    libyaml's scanner keeps its own stacks, but building nodes from deeply nested
    text recurses: 30,000 brackets once crashed the build with no message at all.
    """
    if text.count("[") + text.count("{") <= MAX_NESTING and not NEEDS_A_SCAN.search(text):
        return
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_FastLoader):
            refused = (
                ANCHORS
                if isinstance(token, (yaml.AnchorToken, yaml.AliasToken))
                else TAGS
                if isinstance(token, yaml.TagToken)
                else None
            )
            if isinstance(token, OPENING_TOKENS):
                depth += 1
                refused = TOO_DEEP if depth > MAX_NESTING else None
            elif isinstance(token, CLOSING_TOKENS):
                depth -= 1
            if refused:
                raise ContentError(path, *refused, line=line_offset + token.start_mark.line + 1)
    except yaml.YAMLError:
        return  # not valid YAML: parsing reports it with a precise message


def parse_yaml(path: str, text: str, line_offset: int = 0) -> Fields:
    """Parse front matter text; ``line_offset`` is the file line before the text."""
    _scan(path, text, line_offset)
    try:
        data = _load(_FastLoader, text, line_offset)
    except yaml.YAMLError:
        data = None  # read it again below, for the pure-Python parser's precise message
    except RecursionError:
        raise ContentError(path, *TOO_DEEP, line=line_offset + 1) from None
    try:
        data = data if data is not None else _load(_Loader, text, line_offset)
    except RecursionError:
        raise ContentError(path, *TOO_DEEP, line=line_offset + 1) from None
    except yaml.MarkedYAMLError as exc:
        raise _missing_colon(path, text, line_offset) or _yaml_error(path, exc, line_offset) from None
    except yaml.reader.ReaderError as exc:  # a control character, often pasted from a PDF or word processor
        line = line_offset + text.count("\n", 0, exc.position) + 1
        character = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise ContentError(
            path,
            f"the front matter contains an invisible control character ({character})",
            "delete it, or retype the line",
            line=line,
        ) from None
    except yaml.YAMLError as exc:  # no other unmarked error is known; say what YAML said, on one line
        detail = " ".join(str(exc).split())
        raise ContentError(
            path, f"the front matter cannot be read ({detail})", "check it for unusual characters"
        ) from None
    if data is None:
        raise ContentError(path, "the front matter is empty", "add the fields between the two lines of dashes", line=1)
    if not isinstance(data, Fields):
        raise ContentError(
            path,
            "the front matter is not a list of fields",
            'write each field on its own line as "name: value"',
            line=line_offset + 1,
        )
    return data


def _missing_colon(path: str, text: str, line_offset: int) -> ContentError | None:
    """A field line with no colon; YAML reports it later and in other words."""
    for number, line in enumerate(text.split("\n"), start=line_offset + 1):
        if line.strip() and not line[0].isspace() and not line.startswith(("#", "-")) and ":" not in line:
            return ContentError(
                path, "a line is missing the colon after its field name", 'write the line as "name: value"', line=number
            )
    return None


def _yaml_error(path: str, exc: yaml.MarkedYAMLError, line_offset: int) -> ContentError:
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if isinstance(exc, _DuplicateField):
        return ContentError(path, problem, "keep only one of them", line=line_offset + mark.line + 1)
    if "found undefined alias" in problem or "anchor" in problem:
        what, fix = (
            "YAML anchors and aliases (&name, *name) are not allowed",
            "write each value out in full; put text starting with & or * in double quotes",
        )
        return ContentError(path, what, fix, line=line_offset + mark.line + 1)
    if isinstance(exc, _BadValue):
        return ContentError(path, problem, exc.fix, line=line_offset + mark.line + 1)
    if "'\\t'" in problem:
        what, fix = "a tab is used for indentation", "indent with spaces instead of tabs"
    elif "quoted scalar" in context:
        what, fix = "a quote is opened but never closed", "add the closing quote at the end of the value"
        mark = exc.context_mark or mark
    elif "could not find expected ':'" in problem or "simple key" in context:
        what, fix = "a line is missing the colon after its field name", 'write the line as "name: value"'
        mark = exc.context_mark or mark  # where the key began, not where YAML gave up
    elif "mapping values are not allowed" in problem:
        what, fix = (
            "a value contains a colon followed by a space",
            'put the whole value in double quotes, like title: "Salon: part 2"',
        )
    elif "expected <block end>" in problem or "did not find expected" in problem:
        what, fix = "the indentation is uneven", "line up fields of the same level with the same number of spaces"
    else:
        what, fix = (
            f"the front matter is not valid YAML ({problem or context})",
            "compare it with the template in CONTRIBUTING.md",
        )
    return ContentError(path, what, fix, line=line_offset + mark.line + 1)
