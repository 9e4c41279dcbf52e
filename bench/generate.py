"""Synthetic but realistic catalogue data for benchmarks, loaded with COPY.

    python -m bench.generate --listings 100000 --needs 20000 [--database-url URL] [--seed 2030]

Rows are composed from the demo templates (`app.seed`), so search and matching see realistic
Vietnamese text, sectors, TRLs and prices. Deterministic (same seed, same rows, uuid5 ids) and
re-runnable: rows that already exist are skipped. The generated rows bypass the ORM, so no search
outbox events are written: run `techx reindex` afterwards when Meilisearch is used.
"""

import argparse
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from enum import Enum
from functools import partial
from typing import Any

import psycopg

from app.listings.models import IPDeclaration, ListingKind
from app.seed import builders as b
from app.seed.need_templates import NEED_VARIANTS, NEEDS
from app.seed.organisations import ENTERPRISES, SUPPLIERS, OrgSeed
from app.seed.subjects import EQUIPMENT, SERVICES, SUBJECTS

log = logging.getLogger("bench.generate")

BATCH = 10_000
# Far above the demo data's numbering, so external references never collide with it.
FIRST_NUMBER = 1_000_000
KIND_WEIGHTS = {
    ListingKind.technology: 35, ListingKind.research_result: 25, ListingKind.ip_right: 10,
    ListingKind.equipment: 20, ListingKind.st_service: 10,
}  # fmt: skip
REGIONS = ["hcm"] * 6 + ["dong_nai", "tay_ninh", "can_tho", "vinh_long", "an_giang", "ha_noi"]
SOURCES = ["hcm"] * 6 + ["brvt", "binh_duong", "national"]


def bench_id(kind: str, number: int) -> uuid.UUID:
    return b.demo_id(f"bench-{kind}", str(number))


def organisation_rows(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Branches of the demo suppliers and enterprises: `… – cơ sở 17`."""
    rows = []
    for number in range(1, count + 1):
        base: OrgSeed = rng.choice(SUPPLIERS + ENTERPRISES)
        rows.append(
            {
                "id": bench_id("organisation", number),
                "kind": base.kind,
                "name_vi": f"{base.name_vi} – cơ sở {number}",
                "name_en": f"{base.name_en} – branch {number}",
                "region": rng.choice(REGIONS),
                "source_exchange": rng.choice(SOURCES),
                "verified": True,
                "created_at": b.ANCHOR,
                "updated_at": b.ANCHOR,
            }
        )
    return rows


def _refs(organisations: Sequence[dict[str, Any]]) -> dict[str, list[b.OrgRef]]:
    refs: dict[str, list[b.OrgRef]] = {"supplier": [], "enterprise": []}
    for org in organisations:
        ref = b.OrgRef(org["id"], org["region"], org["source_exchange"])
        refs["enterprise" if org["kind"] == "enterprise" else "supplier"].append(ref)
    return refs


def listing_rows(
    rng: random.Random, start: int, count: int, organisations: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """`count` listings numbered from `start`, every kind, owned by the given organisations."""
    refs = _refs(organisations)
    owners = refs["supplier"] + refs["enterprise"]
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    rows = []
    for number in range(start, start + count):
        kind = rng.choices(kinds, weights)[0]
        key, n, owner = f"bench:{number}", FIRST_NUMBER + number, rng.choice(owners)
        status = b.listing_status(rng)
        if kind is ListingKind.equipment:
            row = b.equipment_listing(rng, key, n, rng.choice(EQUIPMENT), owner, status)
        elif kind is ListingKind.st_service:
            row = b.service_listing(rng, key, n, rng.choice(SERVICES), owner, status)
        else:
            subject = rng.choice(SUBJECTS)
            # No IP rows are generated: keep the declaration/status pair consistent without them
            # (rights announced but none recorded -> no status yet, as the IP rules say).
            declaration = rng.choice([IPDeclaration.none, IPDeclaration.secret_know_how])
            if kind is ListingKind.ip_right:
                declaration = IPDeclaration.rights
            row = b.technology_listing(
                rng, key, n, kind, subject, rng.choice(subject.variants), owner, status,
                right_type=rng.choice(subject.ip_types), declaration=declaration,
            )  # fmt: skip
            row["ip_status"] = None if kind is ListingKind.ip_right else declaration.value
        row["id"] = bench_id("listing", number)
        rows.append(row)
    return rows


def need_rows(
    rng: random.Random, start: int, count: int, organisations: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    owners = _refs(organisations)["enterprise"] or _refs(organisations)["supplier"]
    rows = []
    for number in range(start, start + count):
        template, variant = rng.choice(NEEDS), rng.choice(NEED_VARIANTS)
        row = b.need_row(
            rng, f"bench:{number}", template, variant, rng.choice(owners), b.need_status(rng)
        )
        row["id"] = bench_id("need", number)
        rows.append(row)
    return rows


def uniform(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one shape (every column of any row, None where absent), values as the DB takes."""
    columns = sorted({column for row in rows for column in row})
    return [{column: _plain(row.get(column)) for column in columns} for row in rows]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def copy_rows(conn: psycopg.Connection, table: str, rows: list[dict[str, Any]]) -> int:
    """COPY the rows in; a batch loaded by an earlier run is skipped, a partial one merged."""
    if not rows:
        return 0
    rows = uniform(rows)
    columns = ", ".join(rows[0])
    with conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table} WHERE id = ANY(%s)", [[r["id"] for r in rows]])
        existing = cur.fetchone()[0]  # type: ignore[index]
        if existing == len(rows):
            return 0
        target = table if existing == 0 else f"_bench_{table}"
        if existing:
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {target} (LIKE {table})")
            cur.execute(f"TRUNCATE {target}")
        with cur.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(list(row.values()))
        if not existing:
            return len(rows)
        cur.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} ON CONFLICT DO NOTHING"
        )
        return cur.rowcount


Build = Callable[[], list[dict[str, Any]]]


def _built_ahead(builds: Iterable[Build]) -> Iterator[list[dict[str, Any]]]:
    """Build the next batch in a thread while the database ingests the current one.

    One worker runs the builds in order, so the shared RNG stays deterministic.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future[list[dict[str, Any]]] | None = None
        for build in builds:
            future = pool.submit(build)
            if pending is not None:
                yield pending.result()
            pending = future
        if pending is not None:
            yield pending.result()


def _builds(
    rng: random.Random, total: int, orgs: list[dict[str, Any]], make: Any
) -> Iterator[Build]:
    for start in range(1, total + 1, BATCH):
        yield partial(make, rng, start, min(BATCH, total - start + 1), orgs)


def generate(database_url: str, listings: int, needs: int, organisations: int, seed: int) -> None:
    rng = random.Random(seed)
    orgs = organisation_rows(organisations, rng)
    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    started = time.perf_counter()
    made = {"listings": 0, "needs": 0}
    with psycopg.connect(url) as conn:
        copy_rows(conn, "organisations", orgs)
        conn.commit()
        for table, total, make in [
            ("listings", listings, listing_rows),
            ("needs", needs, need_rows),
        ]:
            for rows in _built_ahead(_builds(rng, total, orgs, make)):
                made[table] += copy_rows(conn, table, rows)
                conn.commit()
                log.info("batch loaded", extra={"table": table, "rows": len(rows)})
    seconds = time.perf_counter() - started
    print(f"inserted {made['listings']} listings, {made['needs']} needs in {seconds:.1f} s")  # noqa: T201


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL or embedded")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    url = args.database_url
    if url is None:
        from app.core.config import get_settings
        from app.core.database import resolve_database_url

        url = resolve_database_url(get_settings())
    generate(url, args.listings, args.needs, args.organisations, args.seed)
    analyse(url)


def analyse(database_url: str) -> None:
    """VACUUM (ANALYZE) the loaded tables: until it runs, COPYed rows sit in the GIN pending
    lists and the visibility map is empty, and text searches are ~10x slower (bench/RESULTS.md).
    `bench.run` vacuums itself (and can measure the state before, `--no-vacuum`)."""
    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("organisations", "listings", "needs"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
    log.info("vacuumed and analysed in %.1f s", time.perf_counter() - started)


if __name__ == "__main__":
    main()
