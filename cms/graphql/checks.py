"""``manage.py check`` reports malformed persisted operation files."""

from django.core.checks import Error, register

from cms.graphql.config import graphql_settings
from cms.graphql.persisted import load_operations


@register()
def check_operation_files(app_configs, **kwargs):
    _operations, problems = load_operations(graphql_settings().operations_dir)
    return [
        Error(problem, hint="One named operation per file.", id="cms.E001")
        for problem in problems
    ]
