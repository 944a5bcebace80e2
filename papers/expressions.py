"""SQL expressions the add-on's queries share."""

from django.db.models import Func


class UnindexedOnSQLite(Func):
    """The expression itself, written ``+expression`` on SQLite: the same value, but one SQLite
    will not look up in an index, so that it chooses another (a listing's order, or a full-text
    pass read once). Other databases plan these queries well and get the expression as it is.
    """

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)
