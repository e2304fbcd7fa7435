"""Files to upload in the import tests: the TWCS fixture, the same with bad rows, and not-a-TWCS."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "twcs_sample.csv"
TWCS = FIXTURE.read_bytes()
FIXTURE_ROWS = 38
# Two malformed rows after the fixture's 41 lines: the reject report names lines 42 and 43.
BAD_ROWS = (
    b"900001,555,True,yesterday,a date nobody can read,,\n"
    b",555,True,Tue Oct 31 22:10:47 +0000 2017,a row without an id,,\n"
)
BAD_LINES = ["42", "43"]
TWCS_WITH_REJECTS = TWCS + BAD_ROWS
NOT_TWCS = b"name,email\nDana,dana@example.org\n"
# Runs a task as soon as it is enqueued, i.e. when the upload's transaction commits.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def upload(content: bytes = TWCS, name: str = "twcs_sample.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")
