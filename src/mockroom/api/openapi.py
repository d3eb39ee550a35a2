"""Prints the OpenAPI schema (the web app generates its typed client from it):

    python -m mockroom.api.openapi > openapi.json
"""

import json
import sys
import tempfile
from pathlib import Path

from mockroom.api.app import create_app
from mockroom.core.config import Settings


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/schema.db", web_dist=Path(tmp))
        app = create_app(settings, warm=False)
        json.dump(app.openapi(), sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        app.state.db.engine.dispose()


if __name__ == "__main__":
    main()
