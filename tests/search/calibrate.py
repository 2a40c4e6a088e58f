"""Fit the answer-or-abstain model (bot/search/decision.py) on the calibration and extra question sets.

    .venv/bin/python tests/search/calibrate.py            # fit, print the weights to paste, and the figures
    .venv/bin/python tests/search/calibrate.py --holdout  # fit on all but one calibration set and report on
                                                          # that one, for each: does the fit generalise?
    --without a,b       fit without these features (what does one add?)
    --off-weight N      off-topic questions count N times (default 2.0)

A logistic regression over `Evidence.features()`: label 1 for a question the agreement answers, 0 for one it
does not. Off-topic questions weigh more (a wrong answer is worse than none), and the threshold is the
model's 0.5. The development and frozen sets are never read here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.search import build_index  # noqa: E402
from bot.search import decision as model  # noqa: E402
from bot.search.decision import Evidence  # noqa: E402

FIT_SETS = [
    "questions_calibration.yaml",
    "questions_calibration2.yaml",
    "questions_calibration3.yaml",
    "questions_calibration4.yaml",
    "questions_calibration5.yaml",
    "questions_calibration6.yaml",
    "questions_calibration7.yaml",
    "questions_calibration8.yaml",
    "questions_calibration9.yaml",
    "questions_calibration10.yaml",
    "questions_calibration11.yaml",
    "questions_calibration12.yaml",
    "questions_calibration13.yaml",
    "questions_calibration14.yaml",
    "questions_calibration15.yaml",
    "questions_calibration16.yaml",
    "questions_calibration17.yaml",
    "questions_calibration18.yaml",
    "questions_calibration19.yaml",
    "questions_calibration20.yaml",
    "questions_extra.yaml",
]
HELD_OUT_SETS = FIT_SETS[:20]  # written separately, each a fair test of a fit on the others
WITHOUT = set(sys.argv[sys.argv.index("--without") + 1].split(",")) if "--without" in sys.argv else set()
OFF_TOPIC_WEIGHT = float(sys.argv[sys.argv.index("--off-weight") + 1]) if "--off-weight" in sys.argv else 2.0
L2 = 0.01


def load_cases(name: str) -> list[dict[str, object]]:
    path = REPO / "tests" / "data" / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []


def fit(rows: list[dict[str, float]], labels: list[int], names: list[str]) -> dict[str, float]:
    """Weighted, L2-regularised logistic regression by Newton's method (a handful of features)."""
    x = np.array([[1.0] + [row.get(name, 0.0) for name in names] for row in rows])
    y = np.array(labels, dtype=float)
    sample = np.where(y == 0, OFF_TOPIC_WEIGHT, 1.0)
    w = np.zeros(x.shape[1])
    penalty = L2 * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -50, 50)))
        gradient = x.T @ (sample * (p - y)) + penalty @ w
        hessian = (x * (sample * p * (1 - p))[:, None]).T @ x + penalty
        w -= np.linalg.solve(hessian, gradient)
    return {"bias": round(float(w[0]), 3), **{name: round(float(v), 3) for name, v in zip(names, w[1:], strict=True)}}


Sample = tuple[Evidence, Evidence, int]


def report(label: str, samples: list[Sample], pick: int) -> None:
    on = [model.decide(item[pick]) for item in samples if item[2]]
    off = [model.decide(item[pick]) for item in samples if not item[2]]
    print(f"  {label}: on-topic answered {sum(on)}/{len(on)}, off-topic answered {sum(off)}/{len(off)}")


def samples(index: object, lexical_only: object, name: str) -> list[Sample]:
    found_list: list[Sample] = []
    for case in load_cases(name):
        question = str(case["q"])
        found, alone = index.evidence(question), lexical_only.evidence(question)  # type: ignore[attr-defined]
        if found is None or alone is None:
            continue  # no content words: abstains before the model is asked
        found_list.append((found, alone, int(bool(case["gold"]))))
    return found_list


def fit_and_report(fitting: list[Sample], held: list[Sample], held_name: str = "") -> None:
    labels = [label for _, _, label in fitting]
    for pick, target in ((0, "WEIGHTS_SEMANTIC"), (1, "WEIGHTS_LEXICAL")):
        rows = [item[pick].features() for item in fitting]
        names = sorted({key for row in rows for key in row} - WITHOUT)
        weights = fit(rows, labels, names)
        setattr(model, target, weights)
        print(f"{target} = {weights}  # n={len(rows)}")
        report("on the fitting sets", fitting, pick)
        if held:
            report(f"on {held_name}, held out", held, pick)


def main() -> None:
    index = build_index()
    lexical_only = build_index(semantic=False)
    print("semantic layer:", index.semantic)
    by_set = {name: samples(index, lexical_only, name) for name in FIT_SETS}
    if "--holdout" in sys.argv:
        for held_name in HELD_OUT_SETS:
            fitting = [item for name in FIT_SETS if name != held_name for item in by_set[name]]
            fit_and_report(fitting, by_set[held_name], held_name)
        return
    fit_and_report([item for name in FIT_SETS for item in by_set[name]], [])


if __name__ == "__main__":
    main()
