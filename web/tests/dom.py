"""Test helpers: a small HTML tree (the standard library's parser) and ids."""

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    @property
    def text(self) -> str:
        """The text content with whitespace collapsed, as a reader sees it."""
        parts = []

        def walk(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in {"script", "style", "template"}:
                    walk(child)

        walk(self)
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def find_all(self, tag=None, **attrs) -> list["Node"]:
        found = []

        def matches(node):
            if tag is not None and node.tag != tag:
                return False
            for name, value in attrs.items():
                name = name.rstrip("_").replace("_", "-")
                if value is True:
                    if name not in node.attrs:
                        return False
                elif node.attrs.get(name) != value:
                    return False
            return True

        def walk(node):
            for child in node.children:
                if isinstance(child, Node):
                    if matches(child):
                        found.append(child)
                    walk(child)

        walk(self)
        return found

    def find(self, tag=None, **attrs) -> "Node":
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}> elements"
        return found[0]

    def __getitem__(self, name):
        return self.attrs[name]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"


def operation_id(name: str) -> str:
    """The persisted id of a committed operation: sha256 of the file."""
    return hashlib.sha256((OPERATIONS / f"{name}.graphql").read_bytes()).hexdigest()
