"""Messages of the saving and loading code; each names the file, what is wrong, and what to do."""

NOT_A_MODEL_FILE = (
    "Cannot load {path!r}: it is not a `.keras` archive (a zip file) nor an HDF5 file; it starts with {head!r}. "
    "`load_model` reads files written by `model.save(path)`."
)
BAD_SUFFIX = "Cannot {action} {path!r}: the file name must end in `{suffix}`. Received: filepath={path!r}."
UNSAFE_MEMBER_NAME = (
    "Refusing to load {path!r}: the archive holds a member named {name!r}, which {reason}. Archive members are "
    "plain relative names (config.json, metadata.json, model.weights.h5, assets/...)."
)
DUPLICATE_MEMBER = (
    "Refusing to load {path!r}: the archive holds two members named {name!r}; a reader would see one or the other. "
    "Save the model again to get a clean archive."
)
LINK_MEMBER = (
    "Refusing to load {path!r}: the archive's member {name!r} is a {kind}, not a plain file. Archive members are "
    "never links or devices."
)
CONFLICTING_MEMBER = (
    "Refusing to load {path!r}: the archive's member {name!r} is a file and also the folder of {other!r}."
)
TOO_MANY_MEMBERS = (
    "Refusing to load {path!r}: the archive holds {count} members, above the limit of {limit}. Raise "
    "`kerasx.saving.limits.MAX_ARCHIVE_MEMBERS` if the file is trusted."
)
COMPRESSION_RATIO = (
    "Refusing to load {path!r}: member {name!r} declares {size} bytes compressed into {compressed} (ratio "
    "{ratio:.0f}), above the limit of {limit} (a zip bomb). Raise `kerasx.saving.limits.MAX_COMPRESSION_RATIO` if "
    "the file is trusted."
)
MEMBER_LONGER_THAN_DECLARED = (
    "Refusing to load {path!r}: member {name!r} decompresses to more than the {size} bytes its header declares "
    "(a forged header)."
)
WEIGHTS_TOO_LARGE_FOR_MODEL = (
    "Refusing to load {path!r}: member 'model.weights.h5' declares {size} bytes, but the model its config describes "
    "has {model_bytes} bytes of variables, so its weights file holds at most {limit} bytes "
    "(`kerasx.saving.limits.WEIGHTS_SIZE_FACTOR` = {factor} times that, plus `MAX_WEIGHTS_OVERHEAD_BYTES`). Raise "
    "those limits if the file is trusted."
)
UNEXPECTED_MEMBER = (
    "Refusing to load {path!r}: the archive holds a member {name!r}; a `.keras` file holds only {expected}."
)
MISSING_MEMBER = "Cannot load {path!r}: the archive has no {name!r} member. Expected members: {expected}."
MEMBER_TOO_LARGE = (
    "Refusing to load {path!r}: member {name!r} declares {size} bytes uncompressed, above the limit of {limit} "
    "bytes for that member. Raise `kerasx.saving.limits.{limit_name}` if the file is trusted and genuinely this "
    "large."
)
BAD_JSON = "Cannot load {path!r}: its {name} is not valid JSON ({error})."
TOO_DEEP = "Refusing to load {path!r}: its {name} nests more than {limit} levels deep."
BAD_CONFIG_ENTRY = "Cannot load {path!r}: its config has a malformed entry {entry!r} ({why})."
UNKNOWN_CLASS = (
    "Cannot load {path!r}: the config names {kind} {name!r} (module {module!r}), which is neither one of kerasx's "
    "classes nor registered by you. kerasx never imports a module named in a file. Register the class with "
    "`@kerasx.saving.register_keras_serializable()` or pass `custom_objects={{{name!r}: ...}}`."
)
UNKNOWN_KERAS_CLASS = (
    "Cannot load {path!r}: the config uses Keras 3's {kind} {name!r} (module {module!r}), which kerasx does not "
    "provide. Pass an implementation with `custom_objects={{{name!r}: ...}}`, or rebuild the model without it."
)
UNSAFE_LAMBDA = (
    "Refusing to load {path!r}: it holds a {what} carrying Python bytecode, which would run when the model is "
    "used. Loading it needs `safe_mode=False`, passed by you to `load_model` (or, for the whole process, "
    "`kerasx.config.enable_unsafe_deserialization()`); only do that for files you trust as much as code you run. "
    "The file cannot turn this setting on."
)
UNSUPPORTED_KERAS_FEATURE = (
    "Cannot load {path!r}: layer config of {class_name} sets {key}={value!r}, a Keras 3 feature kerasx does not "
    "have. Only the default ({default!r}) is supported."
)
UNSUPPORTED_VALUE = (
    "Cannot load {path!r}: its config holds a serialized value of kind {kind!r}, which kerasx does not read "
    "(supported: objects, functions by name, tuples, dtype policies)."
)
GRAPH_UNRESOLVED = (
    "Cannot load {path!r}: the functional config refers to tensors that no layer in it produces or that form a "
    "cycle: {refs}."
)
H5_NOT_HARD_LINK = (
    "Refusing to load weights from {path!r}: {member!r} is a {kind}, not a group or dataset stored in the file. "
    "Weights files never link to other files or paths (external links could read arbitrary files)."
)
H5_EXTERNAL_STORAGE = (
    "Refusing to load weights from {path!r}: dataset {member!r} keeps its data outside the file ({how}). Weights "
    "files store all data inside the file."
)
H5_BAD_DATASET = "Refusing to load weights from {path!r}: {member!r} is a {what}; expected a numeric array dataset."
H5_TOO_MANY = "Refusing to load weights from {path!r}: it holds more than {limit} groups and datasets."
H5_TOO_LARGE = (
    "Refusing to load weights from {path!r}: dataset {member!r} declares shape {shape} ({size} bytes), above the "
    "limit of {limit} bytes. Raise `kerasx.saving.limits.MAX_WEIGHTS_BYTES` if the file is trusted."
)
H5_NOT_READABLE = "Cannot load weights from {path!r}: it is not a readable HDF5 file ({error})."
MISSING_WEIGHTS = (
    "Cannot load weights from {path!r} into layer '{layer}': the file has no weights for it (expected group "
    "'{group}' holding {variables})."
)
WRONG_WEIGHT_COUNT = (
    "Cannot load weights from {path!r} into layer '{layer}': the file has {received} arrays in '{group}' but the "
    "layer has {expected} variables ({variables})."
)
WRONG_WEIGHT_SHAPE = (
    "Cannot load weights from {path!r} into layer '{layer}': variable '{variable}' has shape {expected} but the "
    "file's array '{member}' has shape {received}."
)
EXTRA_WEIGHTS = (
    "Cannot load weights from {path!r}: it has weights in {groups} that match no layer of model '{model}' (its "
    "layers' weight groups are {expected}). The file was saved from a different architecture."
)
OPTIMIZER_MISMATCH = (
    "Cannot load the optimizer state from {path!r}: it has {received} variables but optimizer '{name}' has "
    "{expected} once built on the model's trainable variables. The model was compiled with a different optimizer "
    "(or options such as use_ema) than the one saved."
)
OPTIMIZER_SHAPE = (
    "Cannot load the optimizer state from {path!r}: optimizer variable '{variable}' has shape {expected} but the "
    "file's array '{member}' has shape {received}."
)
UNKNOWN_KERAS_OP = (
    "Cannot load {path!r}: its functional graph calls the Keras operation {name!r} (module {module!r}), which has no "
    "kerasx op. The model uses a `keras.ops` function kerasx does not provide; rebuild it without that op, or wrap "
    "the computation in a layer registered with `@kerasx.saving.register_keras_serializable()`."
)
UNSUPPORTED_OP_OPTION = (
    "Cannot load {path!r}: its functional graph calls the Keras operation {name!r} with {key}={value!r}, an option "
    "that kerasx's `ops.{op}` does not have."
)
OP_NOT_IN_KERAS = (
    "Cannot save the model in the Keras format: its graph calls `kerasx.ops.{op}`, which Keras 3 has no operation "
    "class for. Wrap that computation in a layer with its own `get_config`."
)
LEGACY_NO_MODEL = (
    "Cannot load {path!r} as a model: this HDF5 file has no `model_config` attribute, so it holds weights only. "
    "Build the model in code, then call `model.load_weights(path)`."
)
FILE_NOT_FOUND = "Cannot load a model from {path!r}: there is no such file."
IS_A_DIRECTORY = (
    "Cannot load a model from {path!r}: it is a directory without a config.json. `load_model` reads a `.keras` "
    "file, a legacy `.h5` file, or the folder `model.save(path, zipped=False)` writes; TensorFlow SavedModel "
    "directories are not read by kerasx."
)
FOLDER_MISSING_MEMBER = "Cannot load {path!r}: the model folder has no {name!r} file. Expected files: {expected}."
FOLDER_MEMBER_TOO_LARGE = (
    "Refusing to load {path!r}: its file {name!r} holds {size} bytes, above the limit of {limit} bytes for that "
    "file. Raise `kerasx.saving.limits.{limit_name}` if the folder is trusted and genuinely this large."
)
UNSAFE_FOLDER_MEMBER = (
    "Refusing to load {path!r}: {name!r} in the model folder is a link or not a regular file. A model folder "
    "holds config.json, metadata.json and model.weights.h5 as plain files."
)
FOLDER_IS_A_FILE = (
    "Cannot save the model as a folder at {path!r}: a file of that name exists. `zipped=False` writes a folder; "
    "pick another path, or save with `zipped=True` to a path ending in `.keras`."
)
UNZIPPED_SUFFIX = (
    "With `zipped=False` the model is saved as a folder, so the path must not end in `{suffix}`. Received: "
    "filepath={path!r}. Drop the suffix, or save with `zipped=True` (the default) to a `.keras` file."
)
EMPTY_FILE = "Cannot load {path!r}: the file is empty (0 bytes)."
TRUNCATED_ARCHIVE = (
    "Cannot load {path!r}: the `.keras` archive is truncated: the file ({size} bytes) starts as a zip archive but "
    "ends before the archive's table of contents."
)
CORRUPT_MEMBER = "Cannot load {path!r}: the archive's member {name!r} is corrupt ({error})."
CORRUPT_WEIGHTS = "Cannot load {path!r}: the archive's member 'model.weights.h5' is not a readable HDF5 file ({error})."
