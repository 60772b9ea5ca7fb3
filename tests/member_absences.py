"""Members of Keras 3's public classes that kerasx does not have yet or deliberately, each with its reason
(`tests/test_members_keras3.py` fails for any other missing member, and for a listed one kerasx now has: this list
only shrinks).
"""

# Member name -> reason, for every class that has it.
ABSENT_EVERYWHERE = {
    "quantized_build": "Keras 3's per-layer hook of its quantization: kerasx quantizes through `quantize()` on the "
    "three quantizable layer kinds, which replace their weights themselves; no layer builds in a quantized mode.",
    "quantized_call": "Keras 3's per-layer quantized forward pass: a quantized kerasx layer's `call` is its quantized "
    "forward pass.",
}

# Members Keras 3 has on one engine only: member -> (engine, reason).
ENGINE_MEMBERS = {
    "torch_params": ("torch", "Keras 3's torch layers keep a ParameterDict of their variables; kerasx's layers are "
                     "torch Modules whose `parameters()`/`named_parameters()` give the variables' Parameters."),
    "compute_loss_and_updates": ("jax", "A helper of Keras 3's jax trainer; kerasx's stateless steps "
                                 "(`stateless_call`, `Trainer.stateless_train_step`) take its place."),
    "jax_state_sync": ("jax", "A helper of Keras 3's jax trainer (state written back after its steps); kerasx's "
                       "jax steps assign their state themselves."),
    "compiled_loss": ("tensorflow", "tf.keras 2's attribute, kept by Keras 3 on TensorFlow only with a deprecation; "
                      "use `compute_loss`."),
    "compiled_metrics": ("tensorflow", "tf.keras 2's attribute, kept by Keras 3 on TensorFlow only with a "
                         "deprecation; use `compute_metrics` or `metrics`."),
    "distribute_strategy": ("tensorflow", "tf.distribute strategies are not how kerasx distributes (see "
                            "`kerasx.distribution`)."),
    "distribute_reduction_method": ("tensorflow", "tf.distribute strategies are not how kerasx distributes."),
}

# (reason, member names): `keras.<class>.<member>` for each class below that has it.
_BLOCKS = (
    ("Keras 3's per-sample hooks of its image augmentation base class (and its bounding-box helpers); kerasx's image "
     "layers transform whole batches through one function per input kind, with no per-sample entry point.",
     ["get_clipped_bbox", "get_elastic_transform_params", "get_shifted_bbox", "get_transformed_x_y",
      "transform_single_bounding_box", "transform_single_image", "transform_single_label",
      "transform_single_segmentation_mask"]),
    ("Keras 3's preprocessing base-class helper that casts a layer's inputs for its TensorFlow data path; kerasx's "
     "layers convert their inputs in `__call__`.",
     ["convert_weight"]),
    ("Internal to Keras 3's implementation of that layer or optimizer (a helper method), not documented API: kerasx "
     "computes the same results another way.",
     ["check_finite", "convolution_op", "default_amax_history_length", "finalize_state", "inner_loop",
      "interpolate_pr_auc", "linear_to_mel_weight_matrix", "lr_adjust", "transpose_last_axis",
      "variable_serialization_spec", "zeropower_via_newtonschulz5"]),
    ("Not written yet.",
     ["get_quantization_layer_structure", "rematerialized_call", "summary"]),
    ("Not written yet: the per-engine objects and data helpers of Keras 3's distribution classes (kerasx distributes "
     "with its own per-engine code behind `kerasx.distribution`).",
     ["backend_layout", "backend_mesh", "data_shard_id", "distribute_dataset", "distribute_tf_dataset",
      "get_tensor_layout", "num_model_replicas", "num_processes"]),
)

# Keras 3's image preprocessing layers (those built on its image augmentation base class).
_IMAGE_PREPROCESSING = (
    "keras.layers.AugMix", "keras.layers.AutoContrast", "keras.layers.CenterCrop",
    "keras.layers.ContrastLimitedAdaptiveHistogramEqualization", "keras.layers.CutMix", "keras.layers.Equalization",
    "keras.layers.MaxNumBoundingBoxes", "keras.layers.MixUp", "keras.layers.RandAugment",
    "keras.layers.RandomBrightness", "keras.layers.RandomColorDegeneration", "keras.layers.RandomColorJitter",
    "keras.layers.RandomContrast", "keras.layers.RandomCrop", "keras.layers.RandomElasticTransform",
    "keras.layers.RandomErasing", "keras.layers.RandomFlip", "keras.layers.RandomGaussianBlur",
    "keras.layers.RandomGrayscale", "keras.layers.RandomHue", "keras.layers.RandomInvert",
    "keras.layers.RandomPerspective", "keras.layers.RandomPosterization", "keras.layers.RandomRotation",
    "keras.layers.RandomSaturation", "keras.layers.RandomSharpness", "keras.layers.RandomShear",
    "keras.layers.RandomTranslation", "keras.layers.RandomZoom", "keras.layers.Resizing",
    "keras.layers.Solarization",
)

# (member names, the classes each of them is missing from); members missing from the same classes share one.
_CLASSES_OF = (
    (("backend_layout",),
     ("keras.distribution.TensorLayout",)),
    (("backend_mesh",),
     ("keras.distribution.DeviceMesh",)),
    (("check_finite",),
     ("keras.mixed_precision.LossScaleOptimizer", "keras.optimizers.LossScaleOptimizer",)),
    (("convert_weight",),
     _IMAGE_PREPROCESSING + ("keras.layers.CategoryEncoding", "keras.layers.Discretization",
                             "keras.layers.MelSpectrogram", "keras.layers.Normalization", "keras.layers.Rescaling")),
    (("convolution_op",),
     ("keras.layers.Conv1D", "keras.layers.Conv2D", "keras.layers.Conv3D",)),
    (("data_shard_id", "distribute_dataset", "distribute_tf_dataset", "get_tensor_layout", "num_model_replicas",
     "num_processes",),
     ("keras.distribution.DataParallel", "keras.distribution.ModelParallel",)),
    (("default_amax_history_length",),
     ("keras.dtype_policies.QuantizedFloat8DTypePolicy",)),
    (("finalize_state",),
     ("keras.layers.Normalization",)),
    (("get_clipped_bbox",),
     ("keras.layers.RandomZoom",)),
    (("get_elastic_transform_params",),
     ("keras.layers.RandomElasticTransform",)),
    (("get_quantization_layer_structure",),
     ("keras.Model", "keras.Sequential", "keras.distillation.Distiller", "keras.models.Model",
      "keras.models.Sequential",)),
    (("get_shifted_bbox",),
     ("keras.layers.RandomShear", "keras.layers.RandomTranslation",)),
    (("get_transformed_x_y",),
     ("keras.layers.RandomShear", "keras.layers.RandomTranslation", "keras.layers.RandomZoom",)),
    (("inner_loop",),
     ("keras.layers.ConvLSTM1D", "keras.layers.ConvLSTM2D", "keras.layers.ConvLSTM3D", "keras.layers.GRU",
      "keras.layers.LSTM", "keras.layers.RNN", "keras.layers.SimpleRNN",)),
    (("interpolate_pr_auc",),
     ("keras.metrics.AUC",)),
    (("linear_to_mel_weight_matrix",),
     ("keras.layers.MelSpectrogram",)),
    (("lr_adjust", "transpose_last_axis", "zeropower_via_newtonschulz5",),
     ("keras.optimizers.Muon",)),
    (("rematerialized_call",),
     ("keras.Function", "keras.Operation",)),
    (("summary",),
     ("keras.callbacks.TensorBoard",)),
    (("transform_single_bounding_box", "transform_single_image", "transform_single_label",
     "transform_single_segmentation_mask",),
     _IMAGE_PREPROCESSING),
    (("variable_serialization_spec",),
     ("keras.layers.Dense", "keras.layers.EinsumDense", "keras.layers.Embedding", "keras.layers.ReversibleEmbedding",)),
)
_CLASSES = {member: classes for members, classes in _CLASSES_OF for member in members}

ABSENT_MEMBERS = {f"{path}.{member}": reason for reason, members in _BLOCKS for member in members
                  for path in _CLASSES[member]}
