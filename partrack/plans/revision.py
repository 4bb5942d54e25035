"""What a revised version of a plan changes, task by task, before anything is saved."""

from dataclasses import dataclass, field

from partrack.plans.plan_data import PlanData, TaskData
from partrack.vietnamese import fold

# The fields a revision may change, with the label the review page shows.
COMPARED = {
    "content": "Nội dung",
    "deliverable": "Sản phẩm",
    "lead_names": "Cơ quan chủ trì",
    "coordinating_names": "Cơ quan phối hợp",
    "deadline_text": "Thời gian hoàn thành",
    "note": "Ghi chú",
    "area": "Lĩnh vực",
    "number": "Số thứ tự",
}


@dataclass
class TaskChange:
    task: object  # the Task that stays (None when added)
    row: TaskData | None  # the new row (None when removed)
    area: str = ""  # the new row's area numeral
    fields: dict = field(default_factory=dict)  # name → (before, after)

    @property
    def reworded(self):
        return "content" in self.fields or "deliverable" in self.fields

    @property
    def redated(self):
        return "deadline_text" in self.fields

    def describe(self):
        """One line per changed field, "Label: before → after", for the review and the history."""
        lines = []
        for name, (before, after) in self.fields.items():
            if isinstance(before, list):
                before, after = "; ".join(before), "; ".join(after)
            lines.append(f"{COMPARED[name]}: {before} → {after}")
        return "\n".join(lines)


@dataclass
class PlanChanges:
    added: list[TaskChange] = field(default_factory=list)
    removed: list[TaskChange] = field(default_factory=list)
    changed: list[TaskChange] = field(default_factory=list)
    unchanged: list[TaskChange] = field(default_factory=list)
    # Tasks the office added that the new version does not name: they stay as they are.
    kept: list = field(default_factory=list)

    @property
    def reworded(self):
        return [c for c in self.changed if c.reworded]

    @property
    def redated(self):
        return [c for c in self.changed if c.redated]

    @property
    def removed_with_history(self):
        return [c for c in self.removed if c.task.updates.exists()]

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


def row_values(row, numeral):
    return {
        "content": row.content,
        "deliverable": row.deliverable,
        "lead_names": list(row.lead),
        "coordinating_names": list(row.coordinators),
        "deadline_text": row.deadline_text,
        "note": row.note,
        "area": numeral,
        "number": row.number,
    }


def task_values(task):
    return {
        "content": task.content,
        "deliverable": task.deliverable,
        "lead_names": task.lead_names,
        "coordinating_names": task.coordinating_names,
        "deadline_text": task.deadline_text,
        "note": task.note,
        "area": task.area.numeral,
        "number": task.number,
    }


def plan_changes(plan, data):
    """Compare the plan's tasks with a new version of it (PlanData, or its dict).

    A task stays when its words are the same (wherever it moved), or else when it keeps its
    area and number (it was reworded). The rest is added or removed.
    """
    everything = list(plan.tasks.select_related("area").order_by("order"))
    # Tasks the office added ("bổ sung") are kept whatever the new version says (revise_plan):
    # a row with the same words (an export of the plan, imported again) is the same task;
    # never removed, never matched by place.
    old = [task for task in everything if task.added_at is None]
    added = [task for task in everything if task.added_at is not None]
    new = PlanData.of(data).tasks_by_area()
    pairs = {}  # index in new → Task
    by_words = {}
    for task in old + added:
        by_words.setdefault(fold(task.content), []).append(task)
    for index, (_numeral, row) in enumerate(new):
        candidates = by_words.get(fold(row.content))
        if candidates:
            pairs[index] = candidates.pop(0)
    taken = {task.pk for task in pairs.values()}
    by_place = {(t.area.numeral, t.number): t for t in old if t.pk not in taken}
    for index, (numeral, row) in enumerate(new):
        if index not in pairs and (numeral, row.number) in by_place:
            pairs[index] = by_place.pop((numeral, row.number))
    taken = {task.pk for task in pairs.values()}

    changes = PlanChanges()
    for index, (numeral, row) in enumerate(new):
        task = pairs.get(index)
        if task is None:
            changes.added.append(TaskChange(task=None, row=row, area=numeral))
            continue
        before, after = task_values(task), row_values(row, numeral)
        diff = {
            name: (before[name], after[name])
            for name in COMPARED
            if _comparable(before[name]) != _comparable(after[name])
        }
        bucket = changes.changed if diff else changes.unchanged
        bucket.append(TaskChange(task=task, row=row, area=numeral, fields=diff))
    changes.removed = [TaskChange(task=t, row=None) for t in old if t.pk not in taken]
    changes.kept = [t for t in added if t.pk not in taken]
    return changes


def _comparable(value):
    # White space differences (a re-wrapped cell) are not a change.
    if isinstance(value, list):
        return [" ".join(v.split()) for v in value]
    if isinstance(value, str):
        return " ".join(value.split())
    return value
