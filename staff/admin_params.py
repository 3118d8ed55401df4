"""Query parameters of the custom admin views, read strictly: a value that is not what the view
expects is the client's error (400), never a 500 from the database layer."""

from django.core.exceptions import BadRequest


def id_param(request, name: str) -> int | None:
    """The positive integer id in `?name=`, None when absent or empty; BadRequest otherwise."""
    return id_value(request.GET, name)


def id_value(params, name: str) -> int | None:
    """id_param for a QueryDict (or any mapping) already taken from the request."""
    value = params.get(name, "")
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise BadRequest(f"{name} must be an id")
    return int(value)
