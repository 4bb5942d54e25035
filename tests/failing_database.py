"""A database that fails midway: the n-th write (INSERT, UPDATE, DELETE) raises, as a server
that goes away or a disk that fills under it does, and nothing before it is forgotten by Python."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import OperationalError, connection

WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass
class Failure:
    at: int  # the first write that fails, counted from 1
    times: int = 1  # how many writes in a row fail from there
    writes: int = 0  # writes seen so far

    @property
    def fired(self):
        return self.writes >= self.at


@contextmanager
def fails_at_write(n, times=1):
    """Within the block, the n-th write (and the `times - 1` after it) raises OperationalError
    instead of running.

    `.fired` tells afterwards whether the block got that far: a loop over n = 1, 2, … until it
    did not has failed every write the code makes, one run each.
    """
    failure = Failure(at=n, times=times)

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().split(None, 1)[0].upper() in WRITES:
            failure.writes += 1
            if failure.at <= failure.writes < failure.at + failure.times:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield failure
