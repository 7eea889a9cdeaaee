"""How much memory and time the matcher's postcode file costs, for sizing the matcher.

    python deploy/checks/postcode_memory.py 2700000

Writes a synthetic file shaped like the ONS Postcode Directory (10 columns, including
pcds, lat and long; made-up postcodes and coordinates) to a temporary directory, loads it
with the matcher's own loader, and prints the peak resident memory and the load time. Not
part of `make deploy-check`: a full-size run takes about 20 s and 600 MiB.
"""

from __future__ import annotations

import csv
import random
import resource
import string
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from services.matcher.postcodes import load_postcodes  # noqa: E402

_UNIT = "ABDEFGHJLNPQRSTUWXYZ"  # letters ONS uses in the inward code


def write_file(path: Path, rows: int) -> None:
    chance = random.Random(1)  # noqa: S311  (test data, seeded on purpose)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "lat", "long", "oa21", "lsoa21"])
        for i in range(rows):
            area = "".join(chance.choice(string.ascii_uppercase) for _ in range(2))
            postcode = f"{area}{i % 99 + 1} {i // 99 % 10}{chance.choice(_UNIT)}{chance.choice(_UNIT)}"
            out.writerow([postcode, postcode, postcode, "198001", "", "E10000002",
                          f"{chance.uniform(50, 58):.6f}", f"{chance.uniform(-5, 1):.6f}",
                          "E00000001", "E01000001"])


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "onspd.csv"
        write_file(path, rows)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        load_postcodes(path)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{rows:,} rows, {path.stat().st_size / 1e6:.0f} MB file: loaded in {seconds:.1f} s, "
              f"peak RSS {peak:.0f} MiB (before loading {before:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
