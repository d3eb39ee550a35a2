"""The seven languages: each one's sandbox toolchain, editor signature and starter, and function harness."""

from mockroom.coding.problems.schema import FunctionSpec, Language
from mockroom.coding.runner.languages import c, cpp, go, java, javascript, python, rust
from mockroom.coding.runner.languages.base import LanguageSupport, Toolchain

LANGUAGES: dict[str, LanguageSupport] = {
    support.language: support
    for support in (python.SUPPORT, javascript.SUPPORT, c.SUPPORT, cpp.SUPPORT, java.SUPPORT, go.SUPPORT, rust.SUPPORT)
}


def support_for(language: Language | str) -> LanguageSupport:
    """The support of one language; ValueError for an unknown one."""
    try:
        return LANGUAGES[language]
    except KeyError:
        raise ValueError(f"unknown language {language!r}; expected one of {sorted(LANGUAGES)}") from None


def signature(*, spec: FunctionSpec, language: Language | str) -> str:
    """The function header the candidate implements in this language."""
    return support_for(language).signature(spec)


def starter_code(*, spec: FunctionSpec, language: Language | str) -> str:
    """The code the editor opens with in this language."""
    return support_for(language).starter(spec)


__all__ = ["LANGUAGES", "LanguageSupport", "Toolchain", "signature", "starter_code", "support_for"]
