"""Events of the reporting app for apps further down the chain (webhooks), sent inside the write's
transaction so that what a receiver queues commits or rolls back with the write."""

from django.dispatch import Signal

# sender=UnitReport; report= (its status says which: submitted, returned or accepted).
unit_report_changed = Signal()
# sender=ConsolidatedReport; report=, version= (the number of the files just produced).
consolidated_report_produced = Signal()
# sender=ConsolidatedReport; report= (it has just been given its number and date).
consolidated_report_issued = Signal()
