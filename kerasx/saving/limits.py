"""Upper bounds checked before a saved file's parts are read (a hostile file must not exhaust memory or disk).

Module-level values: raise one for a trusted file that is genuinely larger, e.g.
`kerasx.saving.limits.MAX_WEIGHTS_BYTES = 64 * 2**30`.
"""

# config.json and metadata.json: a large functional model's config is a few MB.
MAX_CONFIG_BYTES = 64 * 2**20
MAX_METADATA_BYTES = 2**20
# model.weights.h5 inside a `.keras` archive (read into memory), and any one dataset of a weights file.
MAX_WEIGHTS_BYTES = 16 * 2**30
# All the `assets/` files of a `.keras` archive together (vocabularies of lookup and text layers).
MAX_ASSETS_BYTES = 2**30
# Groups plus datasets in a weights file, and nesting depth of the JSON config.
MAX_H5_ENTRIES = 1_000_000
MAX_CONFIG_DEPTH = 200
# Members of a `.keras` archive (three, plus one per asset file).
MAX_ARCHIVE_MEMBERS = 10_000
# Uncompressed size over compressed size of a member above MIN_RATIO_CHECK_BYTES: Keras stores members uncompressed
# (ratio 1) and deflated float weights shrink little; a zip bomb inflates thousands of times.
MAX_COMPRESSION_RATIO = 100
MIN_RATIO_CHECK_BYTES = 2**20
# The weights member may hold at most WEIGHTS_SIZE_FACTOR times the bytes of the model's own variables (room for the
# optimizer's state, saved even when it is not loaded), plus MAX_WEIGHTS_OVERHEAD_BYTES of HDF5 structure.
WEIGHTS_SIZE_FACTOR = 8
MAX_WEIGHTS_OVERHEAD_BYTES = 2**20
