"""Messages shared by the engines' compiled-step builders."""

UNTRACKED_ASSIGNMENT = (
    "A compiled step assigned variable '{path}', which is not part of the step's state (backend: {backend}). "
    "Its new value would be lost. Create variables in `build()`/`__init__` of a tracked layer, metric or "
    "optimizer (assigned as an attribute), so the trainer includes them in the state."
)
