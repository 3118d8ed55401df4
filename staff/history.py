"""History that every role reads and only superusers restore, and money records nobody restores.

simple-history's revert form (`<pk>/history/<version>/`) checks view permission only: posting it
saves the old version whole, whatever the form shows. A campaign manager who may only read stories
republished one that way, and Finance rolled a paid gift back to pending (the donor got a second
receipt). Every ModelAdmin with history uses StaffHistoryAdmin instead of SimpleHistoryAdmin."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

# Money records follow Stripe's events alone: an old version put back would undo a payment or a
# refund that Stripe still holds, and send receipts again. Nobody reverts them, superusers included.
NEVER_REVERTED = frozenset(
    {
        "donations.donation",
        "donations.recurringdonation",
        "donations.refund",
        "donations.stripeevent",
    }
)


def may_revert(user, model) -> bool:
    return bool(user.is_active and user.is_superuser) and model._meta.label_lower not in NEVER_REVERTED


class StaffHistoryAdmin(SimpleHistoryAdmin):
    """History pages for whoever may view the record; the revert button and its POST for
    superusers only, and never on money records."""

    def has_change_history_permission(self, request, obj=None):
        return may_revert(request.user, self.model)

    def revert_disabled(self, request, obj=None):
        return not may_revert(request.user, self.model)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reading an old version is allowed to every viewer; saving it is the revert.
        if request.method != "GET" and not may_revert(request.user, self.model):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
