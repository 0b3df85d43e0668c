"""TeX math as readable Unicode for the terminal: `\\sigma(W_{xz})` → `σ(W_xz)`.

Not a TeX engine: it knows the symbols and constructs study notes use (Greek letters,
operators, sub- and superscripts, fractions, roots, accents, font commands, `aligned` and
matrices) and passes anything else through without its backslash, so nothing is lost.
Card text is untrusted: nesting deeper than any formula needs (`{{{{…`, `\\frac` in
`\\frac` in …) is shown as its raw source instead of being converted.
"""

from __future__ import annotations

import re
import unicodedata

from .texsymbols import (
    ACCENTS,
    CALLIGRAPHIC,
    DOUBLE_STRUCK,
    ENVIRONMENT_ARGUMENTS,
    FONT,
    FUNCTIONS,
    GREEK,
    IGNORED,
    MATRICES,
    SPACED,
    SPACED_CHARACTERS,
    SUBSCRIPT,
    SUPERSCRIPT,
    SYMBOLS,
)

# Row and column breaks (`\\` and `&`) inside the converted text: private-use characters,
# removed from the input first so that only the converter makes them.
ROW, CELL = "\ue010", "\ue011"
# Braces, arguments and environments within one another; real formulas stay far below.
MAX_DEPTH = 50

_PREFIX = {"partial", "nabla", "neg", "lnot", "forall", "exists"}  # `\partial L` is ∂L
_OPERAND_COMMANDS = {*GREEK, *FONT, *ACCENTS, "mathbb", "mathcal", "mathscr", "partial", "nabla"}
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([{}_^])|(\s+)|(.)", re.DOTALL)
_COMBINING = "\u0300-\u036f\u20d0-\u20ff"
_SCRIPTS = re.escape("".join({*SUPERSCRIPT.values(), *SUBSCRIPT.values(), "′"}))
# One thing a `/` can stand next to without brackets: a number, or a letter with its
# accents and scripts (`ŷᵢ`, `W_qh`, `x_(t-1)`), maybe after ∂ or √, or a function call.
_ATOM = re.compile(
    rf"[∂√]?(?:\d+(?:\.\d+)?|[^\W\d_][{_COMBINING}]*)[{_COMBINING}{_SCRIPTS}]*"
    rf"(?:[_^](?:\w+|\([^()]*\)))*"
)
_CALL = re.compile(r"[^\W\d_]+(\(.*\))")


class _TooDeep(Exception):
    pass


def to_rows(tex: str) -> list[list[str]]:
    """A formula as rows of cells: one row per `\\\\` line, one cell per `&` column.

    The raw source, a row per line, if the formula nests too deeply to convert.
    """
    tokens = list(_TOKEN.finditer(tex.replace(ROW, "").replace(CELL, "")))
    try:
        text = _Converter(tokens).sequence()
    except _TooDeep:
        return [[line.strip()] for line in tex.strip().splitlines()] or [[""]]
    rows = [[_tidy(cell) for cell in row.split(CELL)] for row in text.split(ROW)]
    return [row for row in rows if any(row)] or [[""]]


def to_unicode(tex: str) -> str:
    """A formula on one line: rows separated by `; `."""
    return "; ".join(" ".join(cell for cell in row if cell) for row in to_rows(tex))


def _tidy(text: str) -> str:
    text = re.sub(" {2,}", " ", text).strip(" ")
    return unicodedata.normalize("NFC", text)  # ŷ as one character where Unicode has one


class _Converter:
    def __init__(self, tokens: list[re.Match[str]]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def _next(self) -> re.Match[str] | None:
        if self.index >= len(self.tokens):
            return None
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _peek(self) -> re.Match[str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep

    def sequence(self, until: str | None = None) -> str:
        """Tokens to the end, or to the closing `}` (until="}"), or to `\\end` (until="end")."""
        self._enter()
        out: list[str] = []
        while (token := self._next()) is not None:
            command, special, space, char = token.groups()
            if special == "}":
                if until == "}":
                    break
                continue  # an unmatched brace: drop it
            if command == "end":
                self.argument()  # the environment's name
                if until == "end":
                    break
                continue
            if special == "{":
                out.append(self.sequence(until="}"))
            elif special in ("_", "^"):
                table = SUBSCRIPT if special == "_" else SUPERSCRIPT
                out.append(_script(self.argument(), table, special))
            elif space is not None:
                out.append(" ")
            elif command == "\\":
                out.append(ROW)
            elif command is not None:
                self._command_into(command, out)
            elif char == "&":
                out.append(CELL)
            elif char in SPACED_CHARACTERS:
                out.append(self._spaced(char, out))
            else:
                out.append("′" if char == "'" else char)
        self.depth -= 1
        return "".join(out)

    def _command_into(self, command: str, out: list[str]) -> None:
        text = self.command(command)
        out.append(self._spaced(text, out) if command in SPACED else text)
        if command in _PREFIX:
            self._skip_space()
        elif command in FUNCTIONS and self._operand_follows():
            out.append(" ")  # `\cos\theta` is cos θ

    def _spaced(self, symbol: str, out: list[str]) -> str:
        """A relation or operator with space on both sides if the source has it on one."""
        before = bool(out) and out[-1].endswith((" ", ROW, CELL))
        following = self._peek()
        after = following is not None and following.group(3) is not None
        if not (before or after):
            return symbol
        return ("" if before else " ") + symbol + ("" if after else " ")

    def _operand_follows(self) -> bool:
        following = self._peek()
        if following is None:
            return False
        command, _, _, char = following.groups()
        return (char is not None and char.isalnum()) or command in _OPERAND_COMMANDS

    def _skip_space(self) -> None:
        following = self._peek()
        if following is not None and following.group(3) is not None:
            self.index += 1

    def argument(self) -> str:
        """The next argument: a braced group or a single token (spaces skipped)."""
        self._enter()
        try:
            while (token := self._next()) is not None:
                command, special, space, char = token.groups()
                if space is not None:
                    continue
                if special == "{":
                    return self.sequence(until="}")
                if command is not None:
                    return self.command(command)
                return char or special or ""
            return ""
        finally:
            self.depth -= 1

    def optional_argument(self) -> str | None:
        """`[...]` after a command, as in `\\sqrt[3]{x}`."""
        following = self._peek()
        if following is None or following.group(0) != "[":
            return None
        self.index += 1
        out = []
        while (token := self._peek()) is not None and token.group(0) != "]":
            out.append(self.argument())
        self.index += 1
        return "".join(out)

    def command(self, name: str) -> str:
        if name in GREEK:
            return GREEK[name]
        if name == "sqrt":
            degree = self.optional_argument()
            root = "√" if not degree else _script(degree, SUPERSCRIPT, "^") + "√"
            return root + _operand(self.argument())
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            numerator, denominator = self.argument(), self.argument()
            return f"{_numerator(numerator)}/{_operand(denominator)}"
        if name in ("binom", "tbinom", "dbinom"):
            return f"C({self.argument()}, {self.argument()})"
        if name in FONT:
            following = self._peek()
            if name == "operatorname" and following is not None and following.group(0) == "*":
                self.index += 1  # `\operatorname*{argmax}`: limits below, as a subscript here
            return self.argument()
        if name in ("mathbb", "mathcal", "mathscr"):
            table = DOUBLE_STRUCK if name == "mathbb" else CALLIGRAPHIC
            return "".join(table.get(char, char) for char in self.argument())
        if name in ACCENTS:
            argument = self.argument()
            if len(argument) == 1:
                return argument + ACCENTS[name]
            return f"{name}({argument})"
        if name in ("underbrace", "overbrace"):
            return self.argument()
        if name in ("underset", "overset", "stackrel"):
            # The set part as a script of the base: `\underset{i}{\arg\max}` is argmaxᵢ.
            scripted, base = self.argument(), self.argument()
            if name == "underset":
                return base + _script(scripted, SUBSCRIPT, "_")
            return base + _script(scripted, SUPERSCRIPT, "^")
        if name in IGNORED:
            return ""
        if name in FUNCTIONS:
            return name
        if name == "begin":
            return self._environment()
        return name  # unknown: show the word itself rather than lose it

    def _environment(self) -> str:
        """`aligned` and its kind keep their rows and columns; a matrix is one line."""
        name = self.argument().strip()
        if name in ENVIRONMENT_ARGUMENTS:
            self.argument()  # column specification or count
        body = self.sequence(until="end")
        if name not in MATRICES:
            return body
        left, right = MATRICES[name]
        separator = ", " if name == "cases" else " "
        rows = [separator.join(_tidy(cell) for cell in row.split(CELL)) for row in body.split(ROW)]
        return left + "; ".join(row for row in rows if row.strip(" ,")) + right


def _numerator(text: str) -> str:
    """Parentheses around a numerator that would otherwise read wrongly: `(a + b)/c`."""
    text = text.strip(" ")
    if not _single(text) and re.search(r"[\s+\-−=,·×/]", text):
        return f"({text})"
    return text


def _operand(text: str) -> str:
    """Parentheses around a denominator or radicand unless it is one thing: `λ/(2n)`, `√d`."""
    text = text.strip(" ")
    return text if not text or _single(text) else f"({text})"


def _single(text: str) -> bool:
    """Whether `text` reads as one thing beside `/` or `√`: `ŷᵢ`, `10⁻⁴`, `(a+b)`, `f(x)`."""
    if _ATOM.fullmatch(text) or _wrapped(text):
        return True
    if text.startswith("√") and _wrapped(text[1:]):
        return True  # `√(s + ϵ)`
    call = _CALL.fullmatch(text)
    if call and _wrapped(call.group(1)):
        return True
    return len(text) > 2 and text[0] == text[-1] and text[0] in "|‖" and text[0] not in text[1:-1]


def _wrapped(text: str) -> bool:
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return False
    return True


def _script(text: str, table: dict[str, str], mark: str) -> str:
    """A sub- or superscript in Unicode if every character has one, else `_x`, `^(…)`."""
    text = text.strip(" ")
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    if len(text) <= 1 or (mark == "_" and re.fullmatch(r"[\w,]+", text)):
        return mark + text
    return f"{mark}({text})"
