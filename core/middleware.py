"""Requests refused before any view sees them."""

from django.core.exceptions import BadRequest


def nul_in_query_refused(get_response):
    """A NUL character in a query parameter is a 400. PostgreSQL cannot store or compare a string
    holding one (psycopg raises ValueError), so an admin list filter given `?status=%00` was a 500;
    no address, filter or search of ours has a use for it."""

    def middleware(request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL character in the query string")
        return get_response(request)

    return middleware
