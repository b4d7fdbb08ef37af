"""``manage.py check`` reports malformed persisted operation files."""

from django.conf import settings
from django.core.checks import Error, register

from cms.graphql.persisted import load_operations


@register()
def check_operation_files(app_configs, **kwargs):
    _operations, problems = load_operations(settings.GRAPHQL_OPERATIONS_DIR)
    return [
        Error(problem, hint="One named operation per file.", id="cms.E001")
        for problem in problems
    ]
