"""The ops contract: every engine package implements these functions with exactly these signatures.

Each `Protocol` below is one module of an engine package (`kerasx/backend/<engine>/core.py`, `numpy.py`, `nn.py`,
`linalg.py`, `image.py`, `math.py`, `random.py`, `trainer.py`, `distribution.py`). `tests/test_contract.py`
checks reflectively that every installed backend defines every function with the same parameter names and
defaults, and that `kerasx.ops` exposes the same signatures.

Division of labour: the public op in `kerasx.ops` validates arguments, computes the result dtype with
`kerasx.backend._dtypes` (one table for all engines) and converts inputs to native tensors of that dtype; the
engine function computes. Engine functions therefore receive native tensors (binary ops: of one dtype), normalized
`axis` (None, int or tuple of ints) and lower-case string enums. Bodies here are documentation only.
"""

from kerasx.backend._contract.core import CoreContract
from kerasx.backend._contract.distribution import DistributionContract
from kerasx.backend._contract.image import ImageContract
from kerasx.backend._contract.linalg import LinalgContract
from kerasx.backend._contract.math import MathContract
from kerasx.backend._contract.nn import NNContract
from kerasx.backend._contract.numpy import NumpyContract
from kerasx.backend._contract.random import RandomContract
from kerasx.backend._contract.trainer import TrainerContract

CONTRACTS = {
    "core": CoreContract,
    "numpy": NumpyContract,
    "nn": NNContract,
    "linalg": LinalgContract,
    "image": ImageContract,
    "math": MathContract,
    "random": RandomContract,
    "trainer": TrainerContract,
    "distribution": DistributionContract,
}


def contract_functions(module_name: str) -> dict:
    """Function name -> contract function for one engine module name ("core", "numpy", ...)."""
    protocol = CONTRACTS[module_name]
    return {name: value for name, value in vars(protocol).items() if callable(value) and not name.startswith("_")}
