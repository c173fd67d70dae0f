"""A system check that reports catalogue problems as warnings (never blocks migrate)."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connection


@register(Tags.database)
def catalogue_check(app_configs=None, **kwargs):
    from . import selectors
    from .models import Skill

    if Skill._meta.db_table not in connection.introspection.table_names():
        return []
    try:
        problems = selectors.validate_db()
    except DatabaseError:
        return []
    return [
        Warning(str(problem), id=f"careerpath.W{'001' if problem.severity == 'integrity' else '002'}")
        for problem in problems
    ]
