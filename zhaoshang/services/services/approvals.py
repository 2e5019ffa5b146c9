"""Parallel approvals: building a project's plan from a template, moving its items, what blocks construction start,
and the reminders of their clocks."""


def clock_alerts(alerts):
    """Tell the department and the plan's lead officer of the items whose reminders and escalations fired."""
