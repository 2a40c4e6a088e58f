"""REMINDER_CLAIM_TIMEOUT: how long a dead process's reminder claims block the others."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_default_and_a_chosen_claim_timeout() -> None:
    assert load_settings(environ={}, env_file=None).claim_timeout == 120
    assert load_settings(environ={"REMINDER_CLAIM_TIMEOUT": "30"}, env_file=None).claim_timeout == 30


@pytest.mark.parametrize("raw", ["0", "2", "-5", "1.5", "two minutes", "86401"])
def test_a_bad_claim_timeout_is_refused_with_its_name(raw: str) -> None:
    with pytest.raises(SettingsError, match="REMINDER_CLAIM_TIMEOUT"):
        load_settings(environ={"REMINDER_CLAIM_TIMEOUT": raw}, env_file=None)
