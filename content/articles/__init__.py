"""Articles: the blog index, article pages and their authors, the body blocks,
the public article lists and details, and the seed article."""
