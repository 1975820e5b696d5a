"""The load step's data, prepared inside Django in a child process of its own
(benchmarks/load.py runs it):

    python benchmarks/load_data.py logins DEMO_DIR OUT_DIR COUNT MONTH
    python benchmarks/load_data.py packs DEMO_DIR MONTH

`logins` gives each of COUNT providers a login (the demo's `provider` login
first, then the providers with the most care packages) and a small visits file
of that provider's own visits of MONTH to upload, and prints them as JSON.
`packs` has the running Celery worker build every pack of MONTH, so that under
load a download is served, not built.

Only domain apps and the Celery app are used here: the feature apps inside
`homecare` may move, and the task is found by its name's last part.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The demo's password (homecare/demo.py), also given to the logins made here.
PASSWORD = "demo-password-2026"
UPLOAD_ROWS = 300


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings")
    import django

    django.setup()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def logins(demo: Path, out: Path, count: int, month: str) -> list[dict[str, str]]:
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from providers.access import PROVIDER_USER
    from providers.models import Provider, ProviderUser

    packages = _read(demo / "packages.csv")
    busiest = [ref for ref, _ in Counter(p["provider_ref"] for p in packages).most_common()]
    demo_login = ProviderUser.objects.select_related("provider").get(user__username="provider")
    refs = [demo_login.provider.ref, *(r for r in busiest if r != demo_login.provider.ref)]
    refs = refs[:count]
    chosen: list[dict[str, str]] = [{"username": "provider", "provider": refs[0]}]
    group, _ = Group.objects.get_or_create(name=PROVIDER_USER)
    with transaction.atomic():
        for ref in refs[1:]:
            user, _ = User.objects.get_or_create(username=f"load-{ref.lower()}")
            user.set_password(PASSWORD)
            user.save()
            user.groups.set([group])
            ProviderUser.objects.update_or_create(
                user=user, defaults={"provider": Provider.objects.get(ref=ref)}
            )
            chosen.append({"username": user.username, "provider": ref})
    for login in chosen:
        login["password"] = PASSWORD
        login["upload"] = str(out / f"visits-{login['provider']}.csv")
    _write_uploads(demo, packages, chosen, month)
    return chosen


def _write_uploads(
    demo: Path, packages: list[dict[str, str]], chosen: list[dict[str, str]], month: str
) -> None:
    """The first UPLOAD_ROWS ECM rows of MONTH of each provider's packages: an
    export they already sent, sent again (every row an update, as when a
    provider corrects and re-sends a week)."""
    owner = {p["package_ref"]: p["provider_ref"] for p in packages}
    wanted = {login["provider"]: login["upload"] for login in chosen}
    rows: dict[str, list[list[str]]] = {ref: [] for ref in wanted}
    with (demo / "visits.csv").open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        package, start = header.index("package_ref"), header.index("planned_start")
        for row in reader:
            ref = owner.get(row[package])
            if ref in rows and len(rows[ref]) < UPLOAD_ROWS and row[start].startswith(month):
                rows[ref].append(row)
    for ref, path in wanted.items():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows[ref])


def build_packs(demo: Path, month: str) -> dict[str, int]:
    """Every provider's pack on the worker (its processes share them out), then
    the market pack; the last call finds the providers' packs up to date."""
    from homecare import celery_app

    celery_app.loader.import_default_modules()
    name = next(name for name in celery_app.tasks if name.endswith(".build_packs"))
    task = celery_app.tasks[name]
    refs = [row["provider_ref"] for row in _read(demo / "providers.csv")]
    built = 0
    for result in [task.delay(month, ref) for ref in refs]:
        built += len(result.get(timeout=1800)["built"])
    summary = task.delay(month).get(timeout=1800)
    return {"built": built + len(summary["built"]), "up_to_date": len(summary["unchanged"])}


if __name__ == "__main__":
    _setup()
    if sys.argv[1] == "logins":
        found = logins(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
        print(json.dumps(found))
    elif sys.argv[1] == "packs":
        print(json.dumps(build_packs(Path(sys.argv[2]), sys.argv[3])))
    else:
        raise SystemExit(__doc__)
