"""`python -m kerasx run script.py [args...]`: run a Keras 3 program on kerasx, unchanged.
`python -m kerasx bench script.py|model.keras [...]`: run, time and compare it on every engine (`kerasx._bench`).

The script's `import keras`, `from keras import layers`, `import keras.ops`, ... give kerasx's modules, and
`KERAS_BACKEND` picks the engine as usual: `KERAS_BACKEND=torch python -m kerasx run train.py --epochs 3`.
"""

from __future__ import annotations

import sys

from kerasx import _bench, _keras_alias

USAGE = (
    "usage: python -m kerasx run SCRIPT.py [ARGS...]\n"
    "Runs SCRIPT.py as `python SCRIPT.py ARGS...` would, with `import keras` giving kerasx; KERAS_BACKEND picks the "
    "engine (jax, torch, tensorflow, numpy).\n"
    "       python -m kerasx bench SCRIPT.py|MODEL.keras [ARGS...] [--engines jax,torch,tensorflow] [...]\n"
    "Runs, times and compares it on every engine; `python -m kerasx bench --help` lists the options."
)


def main(argv: list) -> int:
    if argv[:1] == ["bench"]:
        return _bench.main(argv[1:])
    if len(argv) < 2 or argv[0] != "run" or argv[1] in ("-h", "--help"):
        wanted_help = (bool(argv) and argv[0] in ("-h", "--help")) or argv[1:2] in (["-h"], ["--help"])
        print(USAGE, file=sys.stdout if wanted_help else sys.stderr)
        return 0 if wanted_help else 2
    _keras_alias.run_script(argv[1], argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
