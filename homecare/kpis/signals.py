"""What the KPI engine tells the apps above it. The engine must not know who
listens (packs are rebuilt, later alerts raised), so it sends a signal and
those apps connect to it in their own `AppConfig.ready`."""

from django.dispatch import Signal

# Sent after a month's KPIs are stored, from the task that computed them;
# `month` is 'YYYY-MM', `provider_ref` the one provider computed (None: all).
month_computed = Signal()
