"""Hooks that apps above reporting register into from their AppConfig.ready(), so that reporting
never imports them: extra sections of the consolidated report, extra "Cần làm" items, extra
reminders.

    register("report_section", function)  # function(period, data) -> [ExtraSection]
    register("todo", function)            # function(membership, today) -> [TodoItem]
    register("reminders", function)       # function(today) -> [Reminder]
"""

_hooks = {}


def register(kind, function):
    """Add `function` under `kind`; registering the same function twice keeps one."""
    functions = _hooks.setdefault(kind, [])
    if function not in functions:
        functions.append(function)


def collect(kind, *args):
    """Every registered function's results for `kind`, in registration order, as one list."""
    return [item for function in _hooks.get(kind, []) for item in function(*args)]


def extra_sections(period, data):
    """The extra sections of a period's consolidated report (documents.report_data.ExtraSection)."""
    return collect("report_section", period, data)
