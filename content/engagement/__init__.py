"""Engagement: moderated comments on articles and unique-reader view counts."""
