"""`python -m kerasx run script.py [args...]`: run a Keras 3 program on kerasx, unchanged.

The script's `import keras`, `from keras import layers`, `import keras.ops`, ... give kerasx's modules, and
`KERAS_BACKEND` picks the engine as usual: `KERAS_BACKEND=torch python -m kerasx run train.py --epochs 3`.
"""

from __future__ import annotations

import sys

from kerasx import _keras_alias

USAGE = (
    "usage: python -m kerasx run SCRIPT.py [ARGS...]\n"
    "Runs SCRIPT.py as `python SCRIPT.py ARGS...` would, with `import keras` giving kerasx; KERAS_BACKEND picks the "
    "engine (jax, torch, tensorflow, numpy)."
)


def main(argv: list) -> int:
    if len(argv) < 2 or argv[0] != "run" or argv[1] in ("-h", "--help"):
        wanted_help = (bool(argv) and argv[0] in ("-h", "--help")) or argv[1:2] in (["-h"], ["--help"])
        print(USAGE, file=sys.stdout if wanted_help else sys.stderr)
        return 0 if wanted_help else 2
    _keras_alias.run_script(argv[1], argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
