"""The reference site: server-rendered pages that read content only through the
public GraphQL API over HTTP (``web.api``), as any external frontend would.

Nothing here imports the CMS apps (``cms``, ``content``, ``home``, ``search``):
``web/tests/test_api_only.py`` fails on such an import.
"""
