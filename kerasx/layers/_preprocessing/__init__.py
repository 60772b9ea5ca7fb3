"""Keras 3 preprocessing layers: numeric, categorical, text, image and audio."""
