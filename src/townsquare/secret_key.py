"""A per-installation secret key for the embedded default, kept outside the repository."""

import secrets
from pathlib import Path


def load_or_create_secret_key(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        # O_EXCL: when two processes start at once, the first one's key wins.
        with path.open("x") as handle:
            handle.write(key)
        path.chmod(0o600)
        return key
    except FileExistsError:
        return path.read_text().strip()
