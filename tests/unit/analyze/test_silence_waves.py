"""Silence waves: silences per week against the case's own base rate."""

from __future__ import annotations

from datetime import date

import numpy as np

from veille.analyze.silence_waves import silence_weeks, week_index, week_monday


def test_weeks_start_on_monday() -> None:
    monday = (date(2024, 1, 1) - date(1970, 1, 1)).days
    weeks = week_index(np.array([monday - 1, monday, monday + 6, monday + 7]))
    assert weeks[1] == weeks[2] == weeks[0] + 1 == weeks[3] - 1
    assert week_monday(int(weeks[1])) == date(2024, 1, 1)


def test_a_week_with_8_of_20_silent_against_one_a_week_stands_out() -> None:
    # 20 active accounts for 30 weeks: one falls silent each week (and is replaced), except
    # week 12, when 8 do.
    first, last, silent = [], [], []
    for week in range(30):
        stops = 8 if week == 12 else 1
        first += [max(0, week - 19)] * stops
        last += [week] * stops
        silent += [True] * stops
    first += [0] * 20
    last += [29] * 20
    silent += [False] * 20
    weeks = silence_weeks(np.array(first), np.array(last), np.array(silent))
    assert weeks.first_week == 0
    assert len(weeks.silent) == 30
    assert weeks.silent[12] == 8
    assert weeks.silent[11] == 1
    assert weeks.chance[12] < 1e-4
    assert weeks.expected[12] < 2
    assert weeks.chance[11] > 0.1
    assert weeks.chance[29] > 0.1


def test_a_week_is_judged_against_the_other_weeks_only() -> None:
    # All silences in one week: the rate of the others is half a silence in all, not 8.
    weeks = silence_weeks(np.zeros(40, int), np.array([5] * 8 + [9] * 32), np.arange(40) < 8)
    assert weeks.expected[5] < 0.5
    assert weeks.chance[5] < 1e-8
    assert weeks.chance[0] == 1.0
    assert list(weeks.active) == [40] * 6 + [32] * 4


def test_no_account_no_week() -> None:
    weeks = silence_weeks(np.array([], int), np.array([], int), np.array([], bool))
    assert len(weeks.silent) == 0
