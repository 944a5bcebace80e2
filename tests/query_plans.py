"""SQLite's plans for statements as Django runs them: with their parameters bound, never written
into the text (SQLite plans a literal differently, e.g. it can use a partial index for one)."""

from django.db import connection


def statements_run_by(action):
    """(sql, params) of every statement ``action()`` runs."""
    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        action()
    return statements


def plan_steps(sql, params):
    """SQLite's plan for this statement, a line a step (e.g. "SEARCH t USING INDEX i (a=?)")."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def tables_walked(sql, params):
    """The tables SQLite reads row by row from the first (``SCAN``) to run this statement."""
    steps = [step.split() for step in plan_steps(sql, params)]
    return [step[1] for step in steps if step[0] == "SCAN"]
