"""Knowledge distillation: `Distiller` trains a student model on labels and on a frozen teacher's outputs, with
`LogitsDistillation`, `FeatureDistillation` or your own `DistillationLoss`."""

from kerasx import _missing
from kerasx.distillation._distiller import Distiller
from kerasx.distillation._losses import DistillationLoss, FeatureDistillation, LogitsDistillation

__all__ = ["DistillationLoss", "Distiller", "FeatureDistillation", "LogitsDistillation"]

# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`).
__getattr__ = _missing.missing_name_hook(__name__)
