"""Rich text: editor features, public HTML (links to public targets only) and
plain text, and the ``FormattedText`` GraphQL type every domain serves."""
