"""``json_text``: the bytes of ``json.dumps(…, ensure_ascii=False, indent=2, default=str)``,
for any value a listing may hold, at any depth of the stream it is written into."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from goitui.commands.common import emit_json_stream, json_text

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text() | st.sampled_from([PurePosixPath("/报告/2023.pdf"), Decimal("1.10"),
                                          "行\n政\t复\x00议\u2028", math.inf, -math.inf, -0.0,
                                          1e16, 2**70, 3.0]))
keys = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.tuples(inner, inner) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=30)


def stdlib(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@given(values, st.integers(min_value=0, max_value=4))
def test_json_text_is_json_dumps(data: Any, level: int) -> None:
    assert json_text(data, level) == stdlib(data).replace("\n", "\n" + "  " * level)


@given(st.lists(values, max_size=4), st.dictionaries(st.text(), values, max_size=3))
def test_a_stream_is_the_whole_document(items: list[Any], head: dict[str, Any]) -> None:
    import io
    import sys

    for given_head in (None, {k: v for k, v in head.items() if k != "rows"}):
        real, sys.stdout = sys.stdout, io.StringIO()
        try:
            emit_json_stream(iter(items), given_head, "rows")
            out = sys.stdout.getvalue()
        finally:
            sys.stdout = real
        whole = items if given_head is None else {**given_head, "rows": items}
        assert out == stdlib(whole) + "\n"


def test_keys_equal_in_python_are_written_as_json_writes_them() -> None:
    """1, 1.0 and True are one key to a dict (and to a cache), 0.0 and -0.0 too: each
    written as its own type says, whichever came first."""
    for data in ({1: "a"}, {True: "b"}, {1.0: "c"}, {-0.0: "d"}, {0.0: "e"}, {0: "f"},
                 {False: "g"}, {None: "h"}, {math.nan: "i"}, {"1": "j"}):
        assert json_text(data, 1) == stdlib(data).replace("\n", "\n  ")
