"""Links other apps add to a task's page, registered in their AppConfig.ready().

Each provider is called as provider(task) and returns [(label, url)]; the inspection links a
follow-up task back to the recommendation it carries out. Plans never imports those apps.
"""

TASK_LINK_PROVIDERS = []


def task_links(task):
    return [link for provider in TASK_LINK_PROVIDERS for link in provider(task)]
