"""Optional sections of the consolidated report, added by apps that reporting does not import.

An app registers a provider in its AppConfig.ready(); `assemble` asks every provider for its
section of a period and prints what it gets (the inspection app adds the year's inspection).
A provider is called as provider(period=…, as_of=…) and returns a Section or None.
"""

_providers = []


def register_section(provider):
    if provider not in _providers:
        _providers.append(provider)


def extra_sections(period, *, as_of):
    """[Section] of the period from every registered provider, in registration order."""
    found = []
    for provider in _providers:
        section = provider(period=period, as_of=as_of)
        if section is not None:
            found.append(section)
    return found
