"""Comparison tables ("Physical Therapists vs Personal Trainers"): the reusable
snippet with drafts and preview, the inline and chooser blocks articles use,
and their GraphQL types."""
