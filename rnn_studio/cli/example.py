"""``rnn-studio example NAME [-o OUT]`` and ``example --list``."""

from __future__ import annotations

import argparse
import sys

from ..examples import EXAMPLES
from ..io import dumps_project, write_project
from .common import EXIT_OK, UsageError


def run(ns: argparse.Namespace) -> int:
    if ns.list:
        width = max(len(name) for name in EXAMPLES)
        for name, (description, _) in EXAMPLES.items():
            print(f"{name:<{width}}  {description}")
        return EXIT_OK
    if not ns.name:
        raise UsageError(f"name an example (one of: {', '.join(EXAMPLES)}) or use --list")
    if ns.name not in EXAMPLES:
        raise UsageError(f"no example named {ns.name!r}; choose from: {', '.join(EXAMPLES)}")
    doc = EXAMPLES[ns.name][1]()
    if ns.output:
        write_project(doc, ns.output)
        print(f"wrote {ns.output}", file=sys.stderr)
    else:
        sys.stdout.write(dumps_project(doc))
    return EXIT_OK
