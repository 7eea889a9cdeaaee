"""Make API keys: `python -m gateway.keys create --organisation ORG --permission classify ...`

Prints the key once (it is not stored anywhere else) and adds its hash to the keys file
(`LADDER_API_KEYS_FILE`, or --file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from gateway.auth import Permission, add_to_keys_file, new_key
from services.common.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.keys", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="make a key and add its hash to the keys file")
    create.add_argument("--organisation", required=True, help="the organisation the key acts for")
    create.add_argument("--permission", action="append", required=True,
                        choices=[p.value for p in Permission], help="repeat for several")
    create.add_argument("--name", default="", help="who or what holds the key")
    create.add_argument("--publishable", action="store_true",
                        help="a widget key: recommend only, from --origin pages only")
    create.add_argument("--origin", action="append", default=[],
                        help="a web origin allowed to use a publishable key; repeat for several")
    create.add_argument("--rate-per-minute", type=int, default=None)
    create.add_argument("--file", type=Path, default=None, help="default: LADDER_API_KEYS_FILE")
    args = parser.parse_args(argv)

    path = args.file or Path(load_settings().api_keys_file)
    try:
        token, stored = new_key(
            args.organisation, {Permission(p) for p in args.permission}, name=args.name,
            publishable=args.publishable, origins=set(args.origin), rate_per_minute=args.rate_per_minute,
        )
    except ValidationError as error:
        problem = error.errors()[0]
        print(f"cannot make the key: {'.'.join(map(str, problem['loc']))}: {problem['msg']}",
              file=sys.stderr)
        return 2
    add_to_keys_file(path, stored)
    print(token)
    print(f"# key {stored.id} for {stored.organisation_id} added to {path}; "
          "this is the only time the key is shown", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
