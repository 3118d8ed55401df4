"""Steps the browser tests share, written once so a change to a form changes one place."""

SUPPORTER = {
    "prefix": "Ms.",
    "first_name": "Maria",
    "last_name": "Lopez",
    "email": "maria@example.org",
    "street": "400 Broad St",
    "city": "Seattle",
    "state": "WA",
}


def fill_letter_form(page, *, zip_code: str, **overrides) -> None:
    """Fill the campaign page's form as a supporter would, by its visible labels."""
    data = {**SUPPORTER, **overrides}
    page.get_by_label("Title").select_option(data["prefix"])
    page.get_by_label("First name").fill(data["first_name"])
    page.get_by_label("Last name").fill(data["last_name"])
    page.get_by_label("Email").fill(data["email"])
    page.get_by_label("Street address").fill(data["street"])
    page.get_by_label("City").fill(data["city"])
    page.get_by_label("State").select_option(data["state"])
    page.get_by_label("ZIP code").fill(zip_code)
