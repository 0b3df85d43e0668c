"""What TeX commands and characters look like in Unicode, for texmath.py."""

from __future__ import annotations

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
    "quad": "\u00a0\u00a0", "qquad": "\u00a0" * 4, ",": " ", ";": " ", ":": " ", "!": "", " ": " ",
    "%": "%", "$": "$", "#": "#", "&": "&", "_": "_",
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
           "ddot": "\u0308", "check": "\u030c", "breve": "\u0306",
           "overrightarrow": "\u20d7", "overleftarrow": "\u20d6"}  # fmt: skip
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

# Binary operators and relations: TeX puts space around them whatever the source says, so
# where the source has a space on one side, the terminal shows one on both.
SPACED = {
    "times", "cdot", "leq", "le", "geq", "ge", "neq", "ne", "approx", "sim", "simeq", "equiv",
    "propto", "ll", "gg", "in", "notin", "ni", "subset", "subseteq", "supset", "supseteq",
    "cap", "cup", "land", "wedge", "lor", "vee", "to", "rightarrow", "leftarrow", "gets",
    "leftrightarrow", "Rightarrow", "Leftarrow", "Leftrightarrow", "implies", "iff", "mapsto",
    "pm", "mp", "div", "ast", "star", "circ", "bullet", "odot", "otimes", "oplus", "perp",
    "parallel", "mid", "triangleq", "coloneqq", "defeq",
}  # fmt: skip
SPACED_CHARACTERS = "=<>"
# Environments whose rows and columns stay on one line, between these delimiters.
MATRICES = {
    "matrix": ("", ""), "smallmatrix": ("", ""), "array": ("", ""), "subarray": ("", ""),
    "pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "Bmatrix": ("{", "}"),
    "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "cases": ("{", "}"),
}  # fmt: skip
# Environments with an argument before their body: `\begin{array}{cc}`.
ENVIRONMENT_ARGUMENTS = {"array", "subarray", "alignat", "alignat*", "alignedat"}
