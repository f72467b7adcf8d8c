"""Patrol distance split by source and the coverage rate among the annual report's figures."""

from decimal import Decimal

from inspection.reports import annual


def test_the_split_distances_and_the_coverage_rate_are_figures_of_the_totals():
    figures = annual.figures_of(
        {
            "patrols": 3,
            "patrol_km": Decimal("20.345"),
            "patrol_km_tracks": Decimal("12.345"),
            "patrol_km_typed": Decimal("8"),
            "patrols_tracked": 1,
            "patrols_typed": 1,
            "coverage_rate": Decimal("87.65"),
        }
    )
    assert figures["patrol_km"] == Decimal("20.3")
    assert figures["patrol_km_tracks"] == Decimal("12.3")
    assert figures["patrol_km_typed"] == Decimal("8.0")
    assert (figures["patrols_tracked"], figures["patrols_typed"]) == (1, 1)
    assert figures["coverage_rate"] == Decimal("87.7")
    # No track in the period: the rate is absent (shown "—"), never 0 %.
    assert annual.figures_of({})["coverage_rate"] is None
    assert annual.figures_of({})["patrols_tracked"] == 0
    for key in ("patrol_km_tracks", "patrol_km_typed", "coverage_rate"):
        assert key in annual.TOTAL_KEYS and annual.METRICS[key].definition in annual.DEFINITIONS
