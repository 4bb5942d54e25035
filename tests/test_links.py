"""object_url gives exactly what reverse() gives, under a script prefix too."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from partrack.links import object_url


def test_object_url_is_reverse_for_every_id():
    for pk in (1, 7, 42, 123456, 987654321):
        assert object_url("task_detail", pk) == reverse("task_detail", args=[pk])
        assert object_url("plan_detail", pk) == reverse("plan_detail", args=[pk])


def test_object_url_follows_the_script_prefix_of_the_request():
    set_script_prefix("/partrack/")
    try:
        assert (
            object_url("task_detail", 5)
            == "/partrack/nhiem-vu/5/"
            == reverse("task_detail", args=[5])
        )
    finally:
        clear_script_prefix()
    assert object_url("task_detail", 5) == "/nhiem-vu/5/"
