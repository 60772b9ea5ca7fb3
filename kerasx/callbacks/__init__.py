"""Callbacks: objects that `fit`, `evaluate` and `predict` notify at each stage (History, EarlyStopping, ...)."""

from kerasx import _missing
from kerasx.callbacks._backup_and_restore import BackupAndRestore
from kerasx.callbacks._callback import Callback
from kerasx.callbacks._callback_list import CallbackList
from kerasx.callbacks._csv_logger import CSVLogger
from kerasx.callbacks._early_stopping import EarlyStopping
from kerasx.callbacks._history import History
from kerasx.callbacks._lambda import LambdaCallback
from kerasx.callbacks._lr_scheduler import LearningRateScheduler
from kerasx.callbacks._model_checkpoint import ModelCheckpoint
from kerasx.callbacks._orbax_checkpoint import OrbaxCheckpoint
from kerasx.callbacks._progbar import Progbar, ProgbarLogger
from kerasx.callbacks._reduce_lr import ReduceLROnPlateau
from kerasx.callbacks._remote_monitor import RemoteMonitor
from kerasx.callbacks._swap_ema_weights import SwapEMAWeights
from kerasx.callbacks._tensorboard import TensorBoard
from kerasx.callbacks._terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "OrbaxCheckpoint",
    "Progbar",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "RemoteMonitor",
    "SwapEMAWeights",
    "TensorBoard",
    "TerminateOnNaN",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
