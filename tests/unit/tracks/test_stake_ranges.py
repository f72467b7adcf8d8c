"""Covered stretches as stake ranges, and the length of a union of stretches."""

from hypothesis import given
from hypothesis import strategies as st

from inspection.network.chainage import ChainBreak, LinearReference
from inspection.tracks.stake_ranges import StakeRange, stake_ranges, union_length


def test_a_stretch_without_breaks_is_one_range():
    reference = LinearReference(3_500_000, 3_520_000, 20_000)
    assert stake_ranges(reference, 0, 19_700) == [StakeRange(3_500_000, 3_519_700)]
    assert stake_ranges(reference, 0, 19_700)[0].text("G30") == "G30 K3500+000–K3519+700"


def test_a_short_chain_splits_the_range_and_skips_the_missing_stakes():
    # At 1,000 m the stakes jump from K11+000 to K11+300 (300 m of stakes do not exist).
    reference = LinearReference(10_000, 12_700, 2_400, breaks=[ChainBreak(1_000, 11_000, 11_300)])
    ranges = stake_ranges(reference, 500, 1_500)
    assert [(round(r.from_chainage), round(r.to_chainage)) for r in ranges] == [
        (10_500, 11_000),
        (11_300, 11_800),
    ]
    assert sum(r.length_m for r in ranges) == 1_000


def test_a_long_chain_gives_two_ranges_that_overlap_in_stakes():
    # At 1,000 m the stakes jump back from K11+000 to K10+800.
    reference = LinearReference(10_000, 11_800, 2_000, breaks=[ChainBreak(1_000, 11_000, 10_800)])
    ranges = stake_ranges(reference, 900, 1_100)
    assert [(round(r.from_chainage), round(r.to_chainage)) for r in ranges] == [
        (10_900, 11_000),
        (10_800, 10_900),
    ]


def test_a_single_point_is_a_zero_length_range():
    reference = LinearReference(0, 1_000, 1_000)
    assert stake_ranges(reference, 250, 250) == [StakeRange(250, 250)]


def test_union_length_counts_overlaps_once():
    assert union_length([]) == 0
    assert union_length([(0, 100), (50, 150), (300, 200)]) == 250
    assert union_length([(0, 100), (100, 200)]) == 200


@given(st.lists(st.tuples(st.floats(0, 1e4), st.floats(0, 1e4)), max_size=30))
def test_union_length_is_bounded_by_the_sum_and_the_hull(stretches):
    total = union_length(stretches)
    assert total <= sum(abs(b - a) for a, b in stretches) + 1e-6
    if stretches:
        ends = [x for s in stretches for x in s]
        assert total <= max(ends) - min(ends) + 1e-6
