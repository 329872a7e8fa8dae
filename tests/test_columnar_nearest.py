"""``columnar._SetAside._school``: the school nearest a chunk's end (or start) is looked for among
its nearest rows first, then more: whatever the window, the same school as a look at every row."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylang.io import columnar

@st.composite
def _chunks(draw):
    height = draw(st.integers(1, 300))
    cells = draw(st.lists(st.sampled_from([None, "", "S1", "S2", "一中"]), min_size=height, max_size=height))
    titles = draw(st.lists(st.sampled_from([None, "借调人员名单", ""]), min_size=height, max_size=height))
    return pl.DataFrame({"id": [f"T{k}" for k in range(height)], "school_id": cells, "name": titles},
                        schema={"id": pl.String, "school_id": pl.String, "name": pl.String})


@settings(max_examples=200, deadline=None)
@given(_chunks(), st.booleans(), st.sampled_from([1, 2, 64]))
def test_the_nearest_school_is_that_of_a_look_at_every_row(chunk, last, first):
    columns = columnar._Columns(raw={"id": "id", "school_id": "school_id", "name": "name"}, written={},
                                problems=())
    at = {"id": 0, "school_id": 1, "name": 2}
    every = columnar.nearest_school(chunk.rows()[::-1] if last else chunk.rows(), (), at["name"], at["school_id"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(columnar, "_NEAREST_FIRST", first + 1)
        assert columnar._SetAside._school(chunk, columns, (), at, last) == every
