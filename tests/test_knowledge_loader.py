"""The loader refuses broken data with one message naming file, line and field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.datafile import DataFileError
from bot.knowledge import AGREEMENT_FILE, KNOWLEDGE_DIR, load_agreement

from .conftest import REPO_DIR


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = AGREEMENT_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "agreement.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line][-1]


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "problem"),
    [
        ('- id: "1.2"', '- id: "1.1"', '- id: "1.1"', "areas[0].measures[1].id", "duplicate id '1.1'"),
        ('      - id: "1.7"\n        text:', '      - id: "1.7"\n        txt:', '- id: "1.7"', "areas[0].measures[6]",
         "missing field 'text'"),
        ('parent: "2.3"', 'parent: "2.9"', 'parent: "2.9"', "areas[1].measures[5].parent", "'2.9' is not a measure"),
        ('hashtag: "#kompetanseløft"', 'hashtag: "kompetanseløft"', 'hashtag: "kompe', "areas[0].hashtag", "#"),
        ('text: "Tilby flere', 'text: ""  # Tilby flere', 'text: ""', "areas[0].measures[7].text", "must not be empty"),
        ('- id: "2.4"', '- id: "3.9"', '- id: "3.9"', "areas[1].measures[9].id", "does not belong to area 2"),
    ],
)  # fmt: skip
def test_schema_errors_name_the_line_and_field(
    tmp_path: Path, old: str, new: str, needle: str, field: str, problem: str
) -> None:
    path = broken(tmp_path, old, new)
    with pytest.raises(DataFileError) as caught:
        load_agreement(path)
    assert caught.value.field == field
    assert caught.value.line == line_of(path, needle)
    assert problem in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{caught.value.line}: {field}: ")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = broken(tmp_path, 'title: "Utdanning og utenforskap"', 'title: "Utdanning og [utenforskap"\n  : :')
    with pytest.raises(DataFileError) as caught:
        load_agreement(path)
    assert caught.value.line is not None and "not valid YAML" in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="file not found"):
        load_agreement(tmp_path / "nope.yaml")


def test_cli_stops_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    for name in os.listdir(KNOWLEDGE_DIR):
        shutil.copy(KNOWLEDGE_DIR / name, tmp_path / name)
    (tmp_path / "agreement.yaml").write_text(
        AGREEMENT_FILE.read_text(encoding="utf-8").replace('- id: "3.8"', '- id: "3.7"'), encoding="utf-8"
    )
    env = {**os.environ, "BOT_KNOWLEDGE_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "sykkel"], capture_output=True, text=True, env=env, cwd=REPO_DIR
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = (tmp_path / "agreement.yaml").read_text(encoding="utf-8").splitlines()
    second = [n for n, line in enumerate(lines, 1) if '- id: "3.7"' in line][1]
    assert run.stderr.startswith(f"error: {tmp_path / 'agreement.yaml'}:{second}: ")
    assert "duplicate id '3.7'" in run.stderr and "areas[2].measures[9].id" in run.stderr
