"""TeX math as readable Unicode for the terminal: `\\sigma(W_{xz})` → `σ(W_xz)`.

Not a TeX engine: it knows the symbols and constructs study notes use (Greek letters,
operators, sub- and superscripts, fractions, roots, accents, font commands) and passes
anything else through without its backslash, so nothing is lost.
"""

from __future__ import annotations

import re
import unicodedata

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
SYMBOLS = {
    "odot": "⊙", "otimes": "⊗", "oplus": "⊕", "times": "×", "cdot": "·", "cdots": "⋯",
    "ldots": "…", "dots": "…", "vdots": "⋮", "ddots": "⋱", "sum": "Σ", "prod": "∏",
    "int": "∫", "oint": "∮", "infty": "∞", "partial": "∂", "nabla": "∇", "leq": "≤",
    "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼",
    "simeq": "≃", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "in": "∈",
    "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "cap": "∩", "cup": "∪", "emptyset": "∅", "varnothing": "∅", "forall": "∀", "exists": "∃",
    "neg": "¬", "lnot": "¬", "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⟹",
    "iff": "⟺", "mapsto": "↦", "uparrow": "↑", "downarrow": "↓", "pm": "±", "mp": "∓",
    "div": "÷", "ast": "∗", "star": "⋆", "circ": "∘", "bullet": "∙", "top": "⊤",
    "intercal": "⊺", "perp": "⊥", "bot": "⊥", "parallel": "∥", "mid": "|", "|": "‖",
    "Vert": "‖", "lVert": "‖", "rVert": "‖", "vert": "|", "lvert": "|", "rvert": "|",
    "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋",
    "lbrace": "{", "rbrace": "}", "{": "{", "}": "}", "prime": "′", "ell": "ℓ",
    "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "triangleq": "≜", "coloneqq": "≔",
    "defeq": "≝", "angle": "∠", "degree": "°", "checkmark": "✓", "sqrt": "√",
    "quad": "  ", "qquad": "    ", ",": " ", ";": " ", ":": " ", "!": "", " ": " ",
    "%": "%", "$": "$", "#": "#", "&": "&", "_": "_", "\\": " ",
}  # fmt: skip
FUNCTIONS = {
    "log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "max", "min", "arg",
    "argmax", "argmin", "det", "dim", "lim", "sup", "inf", "softmax", "Pr", "deg", "gcd",
}  # fmt: skip
IGNORED = {
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
    "displaystyle", "textstyle", "limits", "nolimits", "nonumber", "notag", "middle",
}  # fmt: skip
FONT = {"mathrm", "mathbf", "mathit", "mathsf", "mathtt", "boldsymbol", "bm", "textbf",
        "textit", "text", "textrm", "operatorname", "mbox", "emph", "pmb"}  # fmt: skip
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305",
           "tilde": "\u0303", "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307",
           "ddot": "\u0308", "check": "\u030c", "breve": "\u0306"}  # fmt: skip
DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
CALLIGRAPHIC = {"L": "ℒ", "O": "𝒪", "N": "𝒩", "D": "𝒟", "H": "ℋ", "F": "ℱ", "X": "𝒳",
                "Y": "𝒴", "B": "ℬ", "E": "ℰ", "M": "ℳ", "I": "ℐ", "R": "ℛ", "A": "𝒜",
                "S": "𝒮", "T": "𝒯", "V": "𝒱", "W": "𝒲", "G": "𝒢", "C": "𝒞"}  # fmt: skip

SUPERSCRIPT = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθιφχ′∗·",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᶥᵠᵡ′*˙",
        strict=True,
    )
)
SUPERSCRIPT.update({"⊤": "ᵀ", "⊺": "ᵀ", "−": "⁻", "∗": "*", "T": "ᵀ"})
SUBSCRIPT = dict(
    zip(
        "0123456789+-=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
SUBSCRIPT["−"] = "₋"

_PREFIX = {"partial", "nabla", "neg", "lnot", "forall", "exists", "sqrt"}
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([{}_^])|(\s+)|(.)", re.DOTALL)


def to_unicode(tex: str) -> str:
    """Readable Unicode for a TeX math expression."""
    tokens = [match for match in _TOKEN.finditer(tex)]
    converter = _Converter(tokens)
    text = re.sub(r"[ \t]{2,}(?=\S)", lambda m: m.group(0)[:2], converter.sequence()).strip()
    return unicodedata.normalize("NFC", text)  # ŷ as one character where Unicode has one


class _Converter:
    def __init__(self, tokens: list[re.Match[str]]) -> None:
        self.tokens = tokens
        self.index = 0

    def _next(self) -> re.Match[str] | None:
        if self.index >= len(self.tokens):
            return None
        token = self.tokens[self.index]
        self.index += 1
        return token

    def sequence(self, closing: bool = False) -> str:
        out: list[str] = []
        while (token := self._next()) is not None:
            command, special, space, char = token.groups()
            if special == "}":
                if closing:
                    return "".join(out)
                continue  # an unmatched brace: drop it
            if special == "{":
                out.append(self.sequence(closing=True))
            elif special in ("_", "^"):
                out.append(
                    _script(self.argument(), SUBSCRIPT if special == "_" else SUPERSCRIPT, special)
                )
            elif space is not None:
                out.append(" ")
            elif command is not None:
                out.append(self.command(command))
                if command in GREEK or command in _PREFIX:
                    self._skip_space()  # as TeX does: `\partial L` is ∂L
            else:
                out.append("′" if char == "'" else char)
        return "".join(out)

    def _skip_space(self) -> None:
        if self.index < len(self.tokens) and self.tokens[self.index].group(3) is not None:
            self.index += 1

    def argument(self) -> str:
        """The next argument: a braced group or a single token (spaces skipped)."""
        while (token := self._next()) is not None:
            command, special, space, char = token.groups()
            if space is not None:
                continue
            if special == "{":
                return self.sequence(closing=True)
            if command is not None:
                return self.command(command)
            return char or special or ""
        return ""

    def optional_argument(self) -> str | None:
        """`[...]` after a command, as in `\\sqrt[3]{x}`."""
        if self.index < len(self.tokens) and self.tokens[self.index].group(0) == "[":
            self.index += 1
            out = []
            while (token := self._next()) is not None and token.group(0) != "]":
                self.index -= 1
                out.append(self.argument())
            return "".join(out)
        return None

    def command(self, name: str) -> str:
        if name in GREEK:
            return GREEK[name]
        if name in SYMBOLS:
            if name == "sqrt":
                degree = self.optional_argument()
                radicand = self.argument()
                root = "√" if not degree else _script(degree, SUPERSCRIPT, "^") + "√"
                return root + (_group(radicand) if len(radicand) > 1 else radicand)
            return SYMBOLS[name]
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            numerator, denominator = self.argument(), self.argument()
            return f"{_group(numerator)}/{_group(denominator)}"
        if name in ("binom", "tbinom", "dbinom"):
            return f"C({self.argument()}, {self.argument()})"
        if name in FONT:
            return self.argument()
        if name == "mathbb":
            argument = self.argument()
            return "".join(DOUBLE_STRUCK.get(char, char) for char in argument)
        if name in ("mathcal", "mathscr"):
            argument = self.argument()
            return "".join(CALLIGRAPHIC.get(char, char) for char in argument)
        if name in ACCENTS:
            argument = self.argument()
            if len(argument) == 1:
                return argument + ACCENTS[name]
            return f"{name}({argument})"
        if name in ("underbrace", "overbrace", "underset", "overset", "stackrel"):
            first = self.argument()
            if name in ("underset", "overset", "stackrel"):
                return self.argument()
            return first
        if name in IGNORED:
            return ""
        if name in FUNCTIONS:
            return name
        if name in ("begin", "end"):
            self.argument()  # environment names (matrix, cases…) carry no text
            return " "
        return name  # unknown: show the word itself rather than lose it


def _group(text: str) -> str:
    """Parentheses around a fraction part that would otherwise read wrongly."""
    text = text.strip()
    if len(text) > 1 and re.search(r"[\s+\-−=,·×/]", text) and not _wrapped(text):
        return f"({text})"
    return text


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
    text = text.strip()
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    if len(text) <= 1 or (mark == "_" and re.fullmatch(r"[\w,]+", text)):
        return mark + text
    return f"{mark}({text})"
