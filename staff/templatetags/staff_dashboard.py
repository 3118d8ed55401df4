from django import template

from staff.dashboard import dashboard_for

register = template.Library()


@register.inclusion_tag("admin/staff/dashboard.html", takes_context=True)
def staff_dashboard(context):
    """The staff dashboard above the admin's list of apps (templates/admin/index.html)."""
    request = context["request"]
    return {"board": dashboard_for(request.user), "request": request}
