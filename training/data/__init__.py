"""Data files shipped with the training package (the optical Q&A knowledge set used by the industry builder)."""
