"""Events of the plans app for apps further down the chain (webhooks), sent inside the write's
transaction so that what a receiver queues commits or rolls back with the write."""

from django.dispatch import Signal

# sender=Task; task=, update= (the ProgressUpdate just recorded).
progress_recorded = Signal()
