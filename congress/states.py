"""US states, DC and the inhabited territories: USPS codes, names and Census FIPS codes."""

from django.utils.translation import gettext_lazy as _

# DC and the territories send a non-voting delegate (a resident commissioner for PR) and no senators.
NON_STATE_CODES = frozenset({"DC", "PR", "GU", "VI", "AS", "MP"})

# (USPS code, FIPS code, name), in alphabetical order of the code, as forms list them.
_STATES = (
    ("AK", "02", _("Alaska")), ("AL", "01", _("Alabama")), ("AR", "05", _("Arkansas")),
    ("AS", "60", _("American Samoa")), ("AZ", "04", _("Arizona")), ("CA", "06", _("California")),
    ("CO", "08", _("Colorado")), ("CT", "09", _("Connecticut")), ("DC", "11", _("District of Columbia")),
    ("DE", "10", _("Delaware")), ("FL", "12", _("Florida")), ("GA", "13", _("Georgia")), ("GU", "66", _("Guam")),
    ("HI", "15", _("Hawaii")), ("IA", "19", _("Iowa")), ("ID", "16", _("Idaho")), ("IL", "17", _("Illinois")),
    ("IN", "18", _("Indiana")), ("KS", "20", _("Kansas")), ("KY", "21", _("Kentucky")), ("LA", "22", _("Louisiana")),
    ("MA", "25", _("Massachusetts")), ("MD", "24", _("Maryland")), ("ME", "23", _("Maine")),
    ("MI", "26", _("Michigan")), ("MN", "27", _("Minnesota")), ("MO", "29", _("Missouri")),
    ("MP", "69", _("Northern Mariana Islands")), ("MS", "28", _("Mississippi")), ("MT", "30", _("Montana")),
    ("NC", "37", _("North Carolina")), ("ND", "38", _("North Dakota")), ("NE", "31", _("Nebraska")),
    ("NH", "33", _("New Hampshire")), ("NJ", "34", _("New Jersey")), ("NM", "35", _("New Mexico")),
    ("NV", "32", _("Nevada")), ("NY", "36", _("New York")), ("OH", "39", _("Ohio")), ("OK", "40", _("Oklahoma")),
    ("OR", "41", _("Oregon")), ("PA", "42", _("Pennsylvania")), ("PR", "72", _("Puerto Rico")),
    ("RI", "44", _("Rhode Island")), ("SC", "45", _("South Carolina")), ("SD", "46", _("South Dakota")),
    ("TN", "47", _("Tennessee")), ("TX", "48", _("Texas")), ("UT", "49", _("Utah")), ("VA", "51", _("Virginia")),
    ("VI", "78", _("U.S. Virgin Islands")), ("VT", "50", _("Vermont")), ("WA", "53", _("Washington")),
    ("WI", "55", _("Wisconsin")), ("WV", "54", _("West Virginia")), ("WY", "56", _("Wyoming")),
)

STATE_CHOICES = tuple((code, name) for code, _fips, name in _STATES)
STATE_CODES = frozenset(code for code, _fips, _name in _STATES)
STATE_BY_FIPS = {fips: code for code, fips, _name in _STATES}
