"""Rewrite a golden file from the current parser output:  python tests/update_golden.py NAME FIXTURE

Only after reading the diff against the seed text by hand: a golden file is the
hand-checked statement of what the document says, not a snapshot of what the code does.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import ROOT, golden_view, parse_path, write_golden  # noqa: E402

if __name__ == "__main__":
    name, fixture = sys.argv[1], ROOT / sys.argv[2]
    write_golden(name, golden_view(parse_path(fixture)))
    print(f"wrote tests/golden/{name}.json from {fixture.relative_to(ROOT)}")
