"""A paginator for the admin lists of big tables (letters, deliveries, donations).

Django's admin counts the rows of the list on every page load (`SELECT COUNT(*)`), which on
PostgreSQL reads the whole table or index: seconds at a million rows. This one asks PostgreSQL's
own estimate for an unfiltered list (kept fresh by autovacuum's ANALYZE) and, for a filtered list
or a small table, counts at most COUNT_CAP + 1 rows. Staff see "about" numbers past the cap, which
is all a list of a million rows needs."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class LargeTablePaginator(Paginator):
    count_cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        if not queryset.query.where:
            estimate = self._estimate(queryset)
            if estimate is not None and estimate > self.count_cap:
                return estimate
        # SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1): stops reading after cap + 1 rows.
        return queryset.order_by()[: self.count_cap + 1].count()

    @staticmethod
    def _estimate(queryset) -> int | None:
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                [connection.ops.quote_name(queryset.model._meta.db_table)],
            )
            row = cursor.fetchone()
        # -1 (never analyzed) or 0: no estimate yet, so count (capped).
        return int(row[0]) if row and row[0] and row[0] > 0 else None
