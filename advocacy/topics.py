"""The Library of Congress topics that CWC accepts, spelled exactly as the CWC schema lists them."""

LOC_TOPICS = (
    "Agriculture and Food",
    "Animals",
    "Armed Forces and National Security",
    "Arts, Culture, Religion",
    "Civil Rights and Liberties, Minority Issues",
    "Commerce",
    "Congress",
    "Crime and Law Enforcement",
    "Economics and Public Finance",
    "Education",
    "Emergency Management",
    "Energy",
    "Environmental Protection",
    "Families",
    "Finance and Financial Sector",
    "Foreign Trade and International Finance",
    "Government Operations and Politics",
    "Health",
    "Housing and Community Development",
    "Immigration",
    "International Affairs",
    "Labor and Employment",
    "Law",
    "Native Americans",
    "Public Lands and Natural Resources",
    "Science, Technology, Communications",
    "Social Sciences and History",
    "Social Welfare",
    "Sports and Recreation",
    "Taxation",
    "Transportation and Public Works",
    "Water Resources Development",
)

# Values are CWC's own strings (never translated: they go into the XML as they are).
LOC_TOPIC_CHOICES = [(topic, topic) for topic in LOC_TOPICS]

# The Senate schema's literal bill types (the House accepts the same spellings).
BILL_TYPES = ("H.R.", "H.Res.", "H.J.Res.", "H.Con.Res", "H.Amdt.", "S.", "S.Res.", "S.J.Res.", "S.Con.Res.", "S.Amdt.")
BILL_TYPE_CHOICES = [(value, value) for value in BILL_TYPES]

# CWC's Senate side accepts exactly these five prefixes.
PREFIXES = ("Mr.", "Mrs.", "Miss", "Ms.", "Dr.")
PREFIX_CHOICES = [(value, value) for value in PREFIXES]
