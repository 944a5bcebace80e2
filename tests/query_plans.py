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


def postgres_plan_nodes(sql, params):
    """Every node of PostgreSQL's plan for this statement (EXPLAIN VERBOSE, so each node has
    its ``Output`` columns), the CTEs' and subqueries' included."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (VERBOSE, FORMAT JSON) {sql}", params)
        pending = [cursor.fetchone()[0][0]["Plan"]]
    nodes = []
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending += node.get("Plans", [])
    return nodes


# The index entries' word vectors as columns of their own (not inside a rank worked out from them).
WORD_VECTORS = {"wagtailsearch_indexentry.title", "wagtailsearch_indexentry.body"}
# Steps that hold or pass on every row they are given before the step above reads any.
ROW_HOLDING_STEPS = {
    "Sort", "Incremental Sort", "Aggregate", "Group", "WindowAgg", "Unique", "Gather",
    "Gather Merge",
}  # fmt: skip


def steps_given_word_vectors(sql, params):
    """The plan's sorts, groupings, windows and gathers that are given an index entry's word
    vectors: the rank is then worked out only after that step, and every match's vectors are
    carried through it (papers.search.scoring.scored_apart). A join below them may still read
    the vectors to work the rank out, as the scan itself may."""
    return [
        node["Node Type"]
        for node in postgres_plan_nodes(sql, params)
        if node["Node Type"] in ROW_HOLDING_STEPS
        and any(WORD_VECTORS & set(child.get("Output", ())) for child in node.get("Plans", ()))
    ]
