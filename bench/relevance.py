"""Relevance of search and matching on the demo data: precision@10 and nDCG@10.

    python -m bench.relevance [--out bench/results/relevance.json]

Starts its own embedded PostgreSQL (temporary, deleted afterwards), migrates, seeds the demo data
set, and runs every need of `bench/relevance_set.json` through three systems:
- `search_typed`: the search engine with the short query a person would type for that need;
- `search_need_text`: the search engine with the need's own text reduced to its key terms
  (app.matching.keywords, at most ten words that must all match);
- `matcher`: need → listings matching (app.matching.matcher), the ranked list it returns.
Grades: 2 = solves the problem, 1 = related, anything not judged = 0.
"""

import argparse
import asyncio
import json
import math
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.principal import ANONYMOUS
from app.core.config import Settings
from app.matching.postgres_engine import PostgresSearchEngine
from app.matching.schemas import ListingQuery
from app.needs.models import Need, NeedStatus, NeedVisibility

SET_PATH = Path(__file__).with_name("relevance_set.json")
DEFAULT_OUT = Path(__file__).parent / "results" / "relevance.json"
K = 10

Judgments = Mapping[str, int]  # listing id -> grade (absent = 0)


# --- metrics (pure) ----------------------------------------------------------------------------


def precision_at_k(ranked: Sequence[str], judged: Judgments, k: int = K) -> float:
    """Share of the first k positions holding a relevant (grade > 0) item; a short list counts
    its empty positions as misses, so returning less never looks better."""
    if k <= 0:
        raise ValueError("k must be positive")
    return sum(1 for item in ranked[:k] if judged.get(item, 0) > 0) / k


def dcg(grades: Sequence[int]) -> float:
    """Discounted cumulative gain with exponential gain: Σ (2^g − 1) / log2(rank + 1)."""
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg_at_k(ranked: Sequence[str], judged: Judgments, k: int = K) -> float:
    """DCG of the first k results over the best DCG attainable with these judgments (0..1).

    0.0 when nothing is judged relevant (no ideal ranking to compare with). Duplicates of an
    item count once (its first position).
    """
    if k <= 0:
        raise ValueError("k must be positive")
    seen: set[str] = set()
    grades = []
    for item in ranked[:k]:
        grades.append(0 if item in seen else judged.get(item, 0))
        seen.add(item)
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    return dcg(grades) / ideal if ideal > 0 else 0.0


# --- the relevance set -------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgedNeed:
    key: str
    query: str
    need: dict[str, Any]  # Need column values
    judged: dict[str, int]


def load_set(path: Path = SET_PATH) -> list[JudgedNeed]:
    data = json.loads(path.read_text(encoding="utf-8"))
    judged = []
    for item in data["needs"]:
        columns = {
            name: item.get(name)
            for name in ("title_vi", "title_en", "problem_statement", "desired_outcome")
        }
        columns |= {"sectors": item.get("sectors", []), "keywords": item.get("keywords", [])}
        grades = {entry["id"]: int(entry["grade"]) for entry in item["relevant"]}
        judged.append(JudgedNeed(item["key"], item["query"], columns, grades))
    return judged


def transient_need(judged: JudgedNeed) -> Need:
    """The need as an enterprise would post it; never added to the session (nothing is saved)."""
    return Need(
        id=uuid.uuid5(uuid.NAMESPACE_URL, f"techx-bench-need:{judged.key}"),
        organisation_id=uuid.uuid5(uuid.NAMESPACE_URL, "techx-bench-enterprise"),
        status=NeedStatus.published,
        visibility=NeedVisibility.public,
        min_trl=None,
        currency="VND",
        transfer_forms=[],
        vsic_sections=[],
        **judged.need,
    )


# --- systems -----------------------------------------------------------------------------------

Ranker = Callable[[AsyncSession, Settings, JudgedNeed], Awaitable[list[str]]]


async def _search(session: AsyncSession, text: str) -> list[str]:
    result = await PostgresSearchEngine(session).search_listings(ListingQuery(text=text, limit=K))
    return [hit.id for hit in result.hits]


async def search_typed(session: AsyncSession, settings: Settings, judged: JudgedNeed) -> list[str]:
    return await _search(session, judged.query)


async def search_need_text(
    session: AsyncSession, settings: Settings, judged: JudgedNeed
) -> list[str]:
    from app.matching import keywords
    from app.matching.catalogue_stats import load_lexicon

    terms = keywords.need_terms(transient_need(judged), await load_lexicon(session))
    # A trailing space: every word is complete, as the matcher sends its compact query.
    return await _search(session, keywords.compact_query(terms) + " ")


async def by_matcher(session: AsyncSession, settings: Settings, judged: JudgedNeed) -> list[str]:
    from app.matching import matcher

    result = await matcher.match_need(session, settings, ANONYMOUS, transient_need(judged), limit=K)
    return [str(item.listing.id) for item in result.items]


def systems() -> dict[str, Ranker]:
    """The systems that exist in this checkout (keywords and matcher came later)."""
    found: dict[str, Ranker] = {"search_typed": search_typed}
    try:
        import app.matching.keywords  # noqa: F401
    except ImportError:
        return found
    found["search_need_text"] = search_need_text
    try:
        import app.matching.matcher  # noqa: F401
    except ImportError:
        return found
    found["matcher"] = by_matcher
    return found


async def evaluate(
    maker: async_sessionmaker[AsyncSession], settings: Settings, judged: Sequence[JudgedNeed]
) -> dict[str, Any]:
    """Per need and mean P@10 / nDCG@10 of every available system."""
    report: dict[str, Any] = {"k": K, "needs": len(judged), "systems": {}}
    for name, rank in systems().items():
        rows = []
        for need in judged:
            async with maker() as session:
                ranked = await rank(session, settings, need)
                await session.rollback()
            relevant = sum(1 for g in need.judged.values() if g > 0)
            rows.append(
                {
                    "need": need.key,
                    "returned": len(ranked),
                    "relevant_judged": relevant,
                    "best_possible_precision": min(relevant, K) / K,
                    "precision_at_10": round(precision_at_k(ranked, need.judged), 3),
                    "ndcg_at_10": round(ndcg_at_k(ranked, need.judged), 3),
                    # grade of each returned listing, in rank order: where the misses are
                    "grades": [need.judged.get(item, 0) for item in ranked[:K]],
                }
            )
        report["systems"][name] = {
            "mean_precision_at_10": _mean(r["precision_at_10"] for r in rows),
            "mean_ndcg_at_10": _mean(r["ndcg_at_10"] for r in rows),
            "per_need": rows,
        }
    return report


def _mean(values: Any) -> float:
    items = list(values)
    return round(sum(items) / len(items), 3) if items else 0.0


def print_report(report: dict[str, Any]) -> None:
    names = list(report["systems"])
    header = f"{'need':<22}" + "".join(f"{n:>24}" for n in names)
    print(f"Relevance on the demo data (P@{report['k']} / nDCG@{report['k']}):")  # noqa: T201
    print(header)  # noqa: T201
    per_need = {n: {r["need"]: r for r in report["systems"][n]["per_need"]} for n in names}
    for key in per_need[names[0]]:
        cells = "".join(
            f"{per_need[n][key]['precision_at_10']:>15.2f} / {per_need[n][key]['ndcg_at_10']:.2f}"
            for n in names
        )
        print(f"{key:<22}{cells}")  # noqa: T201
    means = "".join(
        f"{report['systems'][n]['mean_precision_at_10']:>15.2f} / "
        f"{report['systems'][n]['mean_ndcg_at_10']:.2f}"
        for n in names
    )
    print(f"{'mean':<22}{means}")  # noqa: T201


# --- standalone run ----------------------------------------------------------------------------


async def seed_and_evaluate(database_url: str, settings: Settings) -> dict[str, Any]:
    """Seed the demo data (committed) into `database_url`, then evaluate the relevance set."""
    from app.core.db import create_engine, create_sessionmaker
    from app.seed import demo

    await demo.seed_into(database_url)
    engine = create_engine(database_url)
    try:
        return await evaluate(create_sessionmaker(engine), settings, load_set())
    finally:
        await engine.dispose()


def bench_settings(database_url: str, var_dir: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="bench-secret-key-not-for-production-0123456789",
        var_dir=var_dir,
        upload_dir=var_dir / "uploads",
        seed_demo_on_first_start=False,
    )


def fresh_database(pgdata: Path, name: str) -> str:
    """A database on the embedded server at `pgdata` (started if needed), migrated to head."""
    from app.core import embedded_pg
    from app.core.database import upgrade_to_head

    url = embedded_pg.start(pgdata, name, delete_on_exit=True)
    upgrade_to_head(url, configure_logging=False)  # outside any event loop: Alembic runs its own
    return url


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="techx-bench-relevance-"))
    url = fresh_database(root / "data", "relevance")
    report = asyncio.run(seed_and_evaluate(url, bench_settings(url, root / "var")))
    print_report(report)
    write_json(args.out, report)
    print(f"written to {args.out}")  # noqa: T201


if __name__ == "__main__":
    main()
