"""Error and warning messages of `Optimizer`, kept as constants so that tests can match them."""

NOT_BUILT = (
    "Optimizer '{name}' has not been built, so gradients cannot be matched to variables. "
    "Received: grads without trainable_variables. Call `optimizer.build(trainable_variables)` first, or pass "
    "`optimizer.apply(grads, trainable_variables)`."
)
NOT_BUILT_STATELESS = (
    "Optimizer '{name}' must be built before `stateless_apply`, which needs the list of state variables. "
    "Call `optimizer.build(trainable_variables)` first."
)
LENGTH_MISMATCH = (
    "Optimizer '{name}': received {received} {what} but expected {expected} ({reason}). "
    "Pass one entry per variable, in the order given to `build`."
)
UNKNOWN_VARIABLE = (
    "Optimizer '{name}' was built for other variables and does not track variable '{path}'. "
    "Pass the variables given to `build` (or a subset of them), or create a new optimizer for these variables."
)
NO_GRADIENTS = (
    "Optimizer '{name}': no gradients provided for any variable (all are None). Received variables: {paths}. "
    "Check that the loss depends on the trainable variables."
)
OVERWRITE_WITH_ACCUMULATION = (
    "Optimizer '{name}': variables {paths} are marked `overwrite_with_gradient`, which kerasx does not combine with "
    "`gradient_accumulation_steps`. Use one or the other."
)
MISSING_GRADIENTS = "Gradients do not exist for variables {paths}; the optimizer leaves them unchanged."
ONE_CLIP_ONLY = (
    "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm={clipnorm}, "
    "clipvalue={clipvalue}, global_clipnorm={global_clipnorm}."
)
EXCLUDE_AFTER_BUILD = (
    "Optimizer '{name}': `exclude_from_weight_decay()` must be called before the optimizer is built "
    "(before the first `apply` or `build`). Create the optimizer, exclude variables, then train."
)
LR_NOT_SETTABLE = (
    "Optimizer '{name}' was created with a learning-rate schedule or callable ({current!r}), so its learning rate "
    "cannot be set to a number. Received: learning_rate={value!r}. Create the optimizer with a float "
    "`learning_rate` to change it during training, or set another schedule."
)
BAD_LEARNING_RATE = (
    "Optimizer '{name}': `learning_rate` must be a non-negative float, a LearningRateSchedule or a callable "
    "returning the rate. Received: learning_rate={value!r}."
)
BAD_INITIALIZER = (
    "Optimizer '{name}': cannot initialize variable '{variable}' with initializer={initializer!r}. "
    "Pass 'zeros', 'ones', a number, or a callable `(shape, dtype) -> array`."
)
INITIALIZER_COUNT = (
    "Optimizer '{name}': `add_optimizer_variables` needs one initializer per name. Received: name={names}, "
    "initializer={initializer}. Pass a single initializer for all names, or a list as long as the names."
)
SET_WEIGHTS_NOT_BUILT = (
    "Optimizer '{name}' has not been built, so it has no variables to set. Call "
    "`optimizer.build(trainable_variables)` first, then `set_weights`."
)
SET_WEIGHTS_SHAPE = (
    "Optimizer '{name}': variable '{path}' has shape {expected} but the weight given for it has shape {received}. "
    "Pass the arrays in the order of `optimizer.variables`."
)
