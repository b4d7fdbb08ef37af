"""Rich-text editor features shared by every domain's fields and blocks."""

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
