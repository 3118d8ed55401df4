"""Many rows fast: one template row made through the ORM, then copied by the database itself
(generate_series on PostgreSQL, a recursive CTE on SQLite), with unique columns made distinct."""

from django.db import connection


def _series_sql(count: int) -> tuple[str, str]:
    """(prefix, FROM clause) giving a column `n` from 1 to count."""
    if connection.vendor == "postgresql":
        return "", f"generate_series(1, {int(count)}) AS s(n)"
    recursive = f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {int(count)}) "  # noqa: S608
    return recursive, "s"


def unique_text(prefix: str) -> str:
    """An SQL expression, distinct for each n."""
    if connection.vendor == "postgresql":
        return f"'{prefix}' || s.n::text"
    return f"'{prefix}' || s.n"


def unique_uuid() -> str:
    if connection.vendor == "postgresql":
        return "md5(random()::text || s.n::text)::uuid"
    return "lower(hex(randomblob(16)))"


def clone_rows(instance, count: int, overrides: dict[str, str]) -> None:
    """Insert `count` copies of `instance`'s row; `overrides` maps a column to an SQL expression
    (which may use s.n)."""
    model = type(instance)
    table = connection.ops.quote_name(model._meta.db_table)
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        column = field.column
        columns.append(connection.ops.quote_name(column))
        values.append(overrides.get(column, f"t.{connection.ops.quote_name(column)}"))
    prefix, series = _series_sql(count)
    # Built from model metadata and integers only (no outside input). SQLite takes the CTE after
    # the column list; PostgreSQL needs none.
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) {prefix}"  # noqa: S608
        f"SELECT {', '.join(values)} FROM {series} CROSS JOIN {table} AS t WHERE t.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [instance.pk])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
