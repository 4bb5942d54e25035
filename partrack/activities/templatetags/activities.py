"""What a task's page shows of this app: "12 bài đăng, 3 hội nghị" (plans never imports this
app; its task page loads this library)."""

from django import template
from django.db.models import Count
from django.urls import reverse

from partrack.activities.models import Activity, form_summary

register = template.Library()


@register.inclusion_tag("activities/_task_activities.html")
def task_activities(task):
    """The communication activities recorded for the task (its plan's year), by form: one query."""
    forms = dict(
        Activity.objects.filter(task=task).order_by().values_list("form").annotate(n=Count("pk"))
    )
    return {
        "total": sum(forms.values()),
        "summary": form_summary(forms),
        "list_url": reverse("activity_list", args=[task.plan_id]),
        "add_url": reverse("activity_add", args=[task.plan_id]) + f"?nhiem_vu={task.pk}",
    }
