"""Images, renditions and documents: which of them the public may see, the one
image type of the API (``ResponsiveImage``) and its rendition policy, and the
demo images. Renditions are made ahead of time (``cms.renditions``)."""
