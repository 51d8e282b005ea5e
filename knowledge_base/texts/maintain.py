"""Keeping the catalogue in shape: the template from ja.po, each language updated from it, the coverage table.

Japanese is the reference: a new text is added to ja.po (id and Japanese), then `python -m knowledge_base.texts`
writes resident.pot (each id with its Japanese as a comment for translators) and updates every other language
with Babel (new ids appear untranslated, removed ones become obsolete, translations are kept).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from knowledge_base.texts.messages import DOMAIN, LANGUAGES, LOCALES, REFERENCE, catalogue, placeholders, po_path

TEMPLATE = LOCALES / f"{DOMAIN}.pot"
PROJECT = "joso-chatbot resident texts"


def _new_catalog(language: str | None) -> Catalog:
    return Catalog(locale=language, domain=DOMAIN, project=PROJECT, version="1", charset="utf-8")


def _read(path: Path, language: str | None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=0, omit_header=False, sort_output=False, include_previous=False)


def _flags(japanese: str) -> list[str]:
    return ["python-brace-format"] if placeholders(japanese) else []


def write_template() -> Catalog:
    reference = _read(po_path(REFERENCE), REFERENCE)
    template = _new_catalog(None)
    # Dated like the reference, so that an update that changes no text changes no file.
    template.creation_date = reference.creation_date
    for message in reference:
        if message.id:
            template.add(message.id, "", auto_comments=[f"ja: {message.string}"], flags=_flags(str(message.string)))
    _write(TEMPLATE, template)
    return template


def update_languages() -> None:
    """Every language but Japanese brought in line with the template; translations are kept."""
    template = write_template()
    for language in LANGUAGES:
        if language == REFERENCE:
            continue
        path = po_path(language)
        catalog = _read(path, language) if path.exists() else _new_catalog(language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        _write(path, catalog)
    catalogue.cache_clear()


def write_language(language: str, texts: dict[str, str]) -> None:
    """A whole language at once (used when a language is added or imported from elsewhere)."""
    catalog = _new_catalog(language)
    for key, value in texts.items():
        catalog.add(key, value, flags=_flags(value))
    _write(po_path(language), catalog)
    catalogue.cache_clear()


def gaps() -> list[str]:
    """Every problem of the catalogue: a missing or empty text, or placeholders that differ from Japanese."""
    texts = catalogue()
    problems = []
    for key, japanese in texts[REFERENCE].items():
        expected = placeholders(japanese)
        for language in LANGUAGES:
            value = texts[language].get(key, "")
            if not value.strip():
                problems.append(f"{key} [{language}]: not translated")
            elif placeholders(value) != expected:
                problems.append(f"{key} [{language}]: placeholders {sorted(placeholders(value))} != {sorted(expected)}")
    for language in LANGUAGES:
        problems += [f"{key} [{language}]: not in ja.po" for key in texts[language] if key not in texts[REFERENCE]]
    return problems


def coverage_table(by_id: bool = False) -> str:
    """Texts translated per language: per id group (`shelter  33/33 ...`), or per id (`ok` / `--`)."""
    texts = catalogue()
    width = max(len(key) for key in texts[REFERENCE]) + 2 if by_id else 12
    rows = ["id".ljust(width) + "".join(language.rjust(9) for language in LANGUAGES)]
    if by_id:
        for key in texts[REFERENCE]:
            cells = ["ok" if texts[lang].get(key, "").strip() else "--" for lang in LANGUAGES]
            rows.append(key.ljust(width) + "".join(cell.rjust(9) for cell in cells))
        return "\n".join(rows)
    groups: dict[str, list[str]] = {}
    for key in texts[REFERENCE]:
        groups.setdefault(key.split(".")[0], []).append(key)
    for group, keys in [*sorted(groups.items()), ("all", list(texts[REFERENCE]))]:
        cells = [f"{sum(1 for k in keys if texts[lang].get(k, '').strip())}/{len(keys)}" for lang in LANGUAGES]
        rows.append(group.ljust(width) + "".join(cell.rjust(9) for cell in cells))
    return "\n".join(rows)
