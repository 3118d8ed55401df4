"""Staff roles as Django groups, declared once here and applied by a data migration and after
every `migrate` (so permissions of models added later join their role automatically).

A role is a mapping of "app_label.model" (or "app_label.*" for every model of an app) to the
actions it may take. A specific model's entry wins over its app's wildcard. Superusers are not a
role: they have every permission and alone manage users and groups."""

from django.utils.translation import gettext_lazy as _

VIEW = ("view",)
EDIT = ("view", "change")
ALL = ("view", "add", "change", "delete")

CONTENT_EDITORS = "Content editors"
CAMPAIGN_MANAGERS = "Campaign managers"
FINANCE = "Finance"

ROLE_DESCRIPTIONS = {
    CONTENT_EDITORS: _("Stories, agenda points and their images."),
    CAMPAIGN_MANAGERS: _("Tell Congress campaigns, targets, letters, deliveries and advocates; no donations."),
    FINANCE: _("Appeals, donations, monthly gifts, refunds and Stripe events; no letters."),
}

# Every role can read the worker's heartbeat, which the dashboard's warnings link to.
_EVERY_ROLE = {"core.workerping": VIEW}

ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    CONTENT_EDITORS: {
        **_EVERY_ROLE,
        "stories.*": ALL,
        # The home page's figures sit beside the stories: editors keep them current.
        "core.statistic": ALL,
    },
    CAMPAIGN_MANAGERS: {
        **_EVERY_ROLE,
        "advocacy.*": ALL,
        # Letters and deliveries are what supporters sent: staff retry or cancel them (change),
        # never write or erase them.
        "advocacy.letter": EDIT,
        "advocacy.delivery": EDIT,
        # Supporters are erased only through the anonymize command, which keeps the counts.
        "advocacy.supporter": EDIT,
        # How supporters said their calls went: their word, read as counts on the campaign's page.
        "advocacy.callreport": VIEW,
        # Members of Congress are the targets: managers fix an office's contact details or switch
        # it off CWC when deliveries fail; the lists themselves come from imports.
        "congress.*": VIEW,
        "congress.legislator": EDIT,
        # A campaign links to agenda points and stories (the admin's autocomplete needs view).
        "stories.agendapoint": VIEW,
        "stories.story": VIEW,
    },
    FINANCE: {
        **_EVERY_ROLE,
        "donations.*": EDIT,
        "donations.appeal": ALL,
        "donations.suggestedamount": ALL,  # an appeal's amount buttons, edited on its page
        # Money records are never added or deleted by hand: they come from Stripe, and a refund
        # is a change (the refund action needs "change").
        "donations.donation": EDIT,
        "donations.recurringdonation": EDIT,
        "donations.stripeevent": EDIT,  # "process again" after a failure is a change
        "donations.managelinkrequest": VIEW,  # a log of links sent to donors
    },
}

# Data the role may export as CSV (see staff/exports.py); superusers may export everything.
# Finance never sees letter-writers (docs/staff.md), so it has no advocates export.
EXPORTS = {
    "donations": (FINANCE,),
    "advocates": (CAMPAIGN_MANAGERS,),
    "deliveries": (CAMPAIGN_MANAGERS,),
}
# Roles that may export every advocate, not only those who agreed to hear from us: none (superusers
# only, e.g. to answer a person's request for their data).
EXPORT_ALL_ADVOCATES: tuple[str, ...] = ()


def role_permissions(role: str, models) -> set[tuple[str, str]]:
    """(app_label, codename) pairs the role should hold, for the given installed models.

    History tables (simple-history's Historical* models) are left out: history is read through
    each object's own admin page, on the object's own view permission."""
    spec = ROLES[role]
    wanted: set[tuple[str, str]] = set()
    for model in models:
        opts = model._meta
        if opts.model_name.startswith("historical"):
            continue
        actions = spec.get(opts.label_lower, spec.get(f"{opts.app_label}.*", ()))
        for action in actions:
            wanted.add((opts.app_label, f"{action}_{opts.model_name}"))
    return wanted


def roles_sync(*, apps, using: str = "default") -> None:
    """Create the groups and give each exactly its declared permissions (extra ones removed).

    `apps` is a registry: the migration's historical one or the live one."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after the whole migrate; a role needs them now.
    for app_config in apps.get_app_configs():
        models_module = app_config.models_module if hasattr(app_config, "models_module") else None
        # create_permissions skips an app whose models_module is None, as every app in a
        # migration's registry is.
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, apps=apps, using=using)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    by_key = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    models = list(apps.get_models())
    for role in ROLES:
        wanted = role_permissions(role, models)
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([by_key[key] for key in sorted(wanted) if key in by_key])


def roles_sync_on_migrate(sender, *, using="default", apps=None, **kwargs):
    """post_migrate receiver (also sent by `flush`, without a registry: the live one serves)."""
    if sender.label != "staff":
        return
    if apps is None:
        from django.apps import apps
    roles_sync(apps=apps, using=using)
