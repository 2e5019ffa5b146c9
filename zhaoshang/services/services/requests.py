"""Enterprise requests: submitting, signing for, answering, transferring, sending back, rating and redoing, with the
clocks of contact, plan and close."""


def clock_alerts(alerts):
    """Tell the officer or department (reminders) and the supervisor (escalations) of the requests concerned."""
