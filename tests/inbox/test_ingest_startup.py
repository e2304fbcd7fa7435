"""`townsquare ingest` starts without loading what it never uses (start-up counts in every import)."""

import os
import subprocess
import sys

HEAVY = ["numpy", "sklearn", "scipy"]


def test_the_ingest_command_starts_without_numpy_or_models(tmp_path):
    env = {
        **os.environ,
        "TOWNSQUARE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "townsquare.settings",
    }
    code = (
        "import sys, django; django.setup();"
        "import townsquare.inbox.management.commands.ingest;"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
