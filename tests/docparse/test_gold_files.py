"""The hand-made gold files in tests/gold: valid plans, clean strings, real sources, and a scorer
(scripts/score_parser.py) that gives each of them full marks against itself."""

import importlib.util
import json
import os
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLD_DIR = REPO / "tests" / "gold"
SHARED = Path(os.environ.get("LOA_SHARED_DIR", REPO.parent / "shared"))
SCHEMA = SHARED / "schemas" / "plan.schema.json"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)


def scorer():
    spec = importlib.util.spec_from_file_location("score_parser", REPO / "scripts" / "score_parser.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_has_the_six_gold_documents():
    assert len(GOLD_FILES) >= 6


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_it_is_valid_against_the_plan_schema(path):
    if not SCHEMA.is_file():
        pytest.skip(f"schema not found at {SCHEMA}")
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text(encoding="utf-8")), format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_it_names_a_source_that_exists(path):
    source = load(path)["_source"]
    assert isinstance(source, str) and source.startswith("shared/")
    if not SHARED.is_dir():
        pytest.skip(f"shared folder not found at {SHARED}")
    assert SHARED.joinpath(*Path(source).parts[1:]).is_file()


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_it_keeps_strings_clean(path):
    for text in strings(load(path)):
        assert text == unicodedata.normalize("NFC", text), text
        assert text == " ".join(text.split()), text
        assert "**" not in text and not text.startswith("#"), text


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_it_scores_a_gold_file_perfectly_against_itself(path):
    gold = load(path)
    scores = scorer().score_document(gold, gold)
    assert {name: value for name, value in scores.items() if value not in (None, 1.0)} == {}


def test_it_scores_an_empty_or_broken_prediction_without_raising():
    module = scorer()
    gold = load(GOLD_FILES[0])
    for prediction in (
        {},
        None,
        {"sections": "x", "assignments": [{"units": None, "tasks": [1]}], "signer": 3},
    ):
        scores = module.score_document(gold, prediction)
        assert set(scores) == set(module.FIELDS)
        assert all(value is None or 0.0 <= value <= 1.0 for value in scores.values())


def test_it_reads_every_gold_file_as_well_formed():
    assert [doc_id for doc_id, _ in scorer().load_gold(GOLD_DIR)] == [p.stem for p in GOLD_FILES]
