"""The thresholds of the shift detector (``veille.analyze.blackouts``), in one frozen record."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["DetectorSettings"]


@dataclass(frozen=True, slots=True)
class DetectorSettings:
    """Every threshold of the detector.

    ``threshold``, ``drop_ratio``, ``drop_min_days`` and ``min_depth`` were chosen by
    ``bench/blackouts.py --tune`` on planted seed 1; the rest are set by reasoning, untuned.
    """

    history_days: int = 28  # days of history before the first day judged
    level_weeks: int = 8  # weekly totals in the level's median
    reference_weeks: int = 26  # ... and in the longer reference's (0: none)
    profile_weeks: int = 12  # whole weeks in the weekday profile
    profile_prior: float = 5.0  # pseudo-posts per weekday in the profile
    burst_cap: float = 4.0  # days above cap * (level + 1) are clipped for the profile
    min_mean: float = 1.0  # posts/day: the least baseline a drop is judged against
    level_floor: float = 0.1  # posts/day: a numerical guard on any day's expected count
    drop_ratio: float = 0.5  # the drop the CUSUM is tuned for (mu1 = ratio * mu0)
    rise_ratio: float = 2.0  # the rise the CUSUM is tuned for
    threshold: float = 8.0  # CUSUM alarm level (log-likelihood ratio)
    end_threshold: float = 6.0  # CUSUM level to declare the return to the baseline
    drop_min_days: int = 3  # fewest days that can raise a drop alarm
    rise_min_days: int = 7  # fewest days that can raise a rise alarm (a burst is shorter)
    min_depth: float = 0.2  # shallower candidates are dropped
    min_confidence: float = 0.99  # less confident candidates are dropped
    dispersion_default: float = 0.1  # phi when too few busy days to estimate it
    dispersion_max: float = 2.0

    def __post_init__(self) -> None:
        problems = [
            f"{name} {rule}"
            for name, rule, ok in [
                ("history_days", "must be at least 7", self.history_days >= 7),
                ("level_weeks", "must be at least 1", self.level_weeks >= 1),
                ("profile_weeks", "must be at least 1", self.profile_weeks >= 1),
                ("drop_ratio", "must lie in (0, 1)", 0 < self.drop_ratio < 1),
                ("rise_ratio", "must exceed 1", self.rise_ratio > 1),
                ("threshold", "must be positive", self.threshold > 0),
                ("end_threshold", "must be positive", self.end_threshold > 0),
                ("drop_min_days", "must be at least 1", self.drop_min_days >= 1),
                ("rise_min_days", "must be at least 1", self.rise_min_days >= 1),
                ("level_floor", "must be positive", self.level_floor > 0),
                ("profile_prior", "must be positive", self.profile_prior > 0),
                ("dispersion_default", "must be >= 0", self.dispersion_default >= 0),
            ]
            if not ok
        ]
        if problems:
            raise ValueError("; ".join(problems))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
