"""Readable tables of the benchmark's results (the JSON file holds everything)."""

from typing import Any

# ruff: noqa: T201


def _ms(stats: dict[str, Any], key: str) -> str:
    value = stats.get(key)
    return "—" if value is None else f"{value:,.1f}"


def _row(label: str, stats: dict[str, Any], extra: str = "") -> str:
    return (
        f"  {label:<34}{_ms(stats, 'p50_ms'):>10}{_ms(stats, 'p95_ms'):>10}"
        f"{_ms(stats, 'p99_ms'):>10}{stats.get('n', 0):>7}  {extra}"
    )


def print_size(size: int, data: dict[str, Any]) -> None:
    search = data["search"]
    load = search["api_load"]
    print(f"\n== {size:,} listings ({data['catalogue']}) ==")
    print(f"  {'latency (ms)':<34}{'p50':>10}{'p95':>10}{'p99':>10}{'n':>7}")
    print(_row(f"search API, {load['concurrency']} concurrent", load,
               f"{load['throughput_rps']} req/s, errors {load['errors']}"))  # fmt: skip
    print(_row("search API, serial", search["api_serial"]))
    print(_row("search engine call (in-process)", search["engine_call"]))
    print(_row("search SQL round trips", search["db_round_trips"]))
    print(_row("search SQL server execution", search["db_server_execution"]))
    print(_row("search SQL planning", search["db_server_planning"]))
    for direction in ("need_to_listings", "listing_to_needs"):
        stats = data["matching_in_process"].get(direction)
        if stats:
            print(_row(f"matching {direction} (in-process)", stats["call"]))
            print(_row(f"matching {direction} SQL", stats["client_db"],
                       f"{stats['statements_per_call']} statements"))  # fmt: skip
    for direction in ("need_to_listings", "listing_to_needs"):
        stats = data["matching_in_process"].get(direction)
        for st in (stats or {}).get("costliest_statements", [])[:3]:
            ms, count = st["total_ms_per_call"], st["per_call"]
            print(f"    {direction} {ms:>8.1f} ms/call ×{count:<5} {st['statement'][:60]}")
    api = data["matching_api"]
    for entity in ("needs", "listings"):
        if entity in api:
            print(_row(f"matching API /{entity}/{{id}}/matches", api[entity]))
    if "skipped" in api:
        print(f"  matching API {api['skipped']}")
    ratios = search["ratios"]
    print(f"  API/SQL p50 ×{ratios['api_over_db_p50']}, p95 ×{ratios['api_over_db_p95']}; "
          f"API/engine call p50 ×{ratios['api_over_engine_call_p50']}")  # fmt: skip
    ix = data["indexing"]
    print(
        f"  outbox writes: updates {ix['update']['rows_per_s']:,} rows/s, "
        f"inserts {ix['insert']['rows_per_s']:,} rows/s; drain: postgres "
        f"{ix['drain_postgres']['events_per_s']:,} ev/s, documents built "
        f"{ix['drain_null_engine']['events_per_s']:,} ev/s"
    )
    print(f"  peak RSS MiB {data['peak_rss_mib']}, PostgreSQL USS "
          f"{data.get('postgres_uss_mib_after_load')} MiB; load {data['load_before']} → "
          f"{data['load_after']}")  # fmt: skip
    other = data.get("other_processes_cpu", {})
    print(
        f"  other processes used {other.get('cpu_seconds')} CPU-s in "
        f"{other.get('wall_seconds')} s (≈ {other.get('mean_cores_busy')} cores busy)"
    )
    print("\n  per query (serial, p50 ms):")
    print(
        f"  {'query':<20}{'kind':<12}{'hits':>8}{'API':>9}{'engine':>9}{'SQL':>9}{'server':>9}"
        f"{'plan':>7}"
    )
    for q in search["per_query"]:
        print(
            f"  {q['query']:<20}{q['kind']:<12}{q['hits'] or 0:>8}{q['api_ms']:>9.1f}"
            f"{q['engine_call_ms']:>9.1f}{q['db_ms']:>9.1f}{q['server_ms']:>9.1f}"
            f"{q['planning_ms']:>7.1f}"
        )


def print_summary(results: dict[str, Any]) -> None:
    print("\n== summary ==")
    print(f"  {results['machine']['cpu']} × {results['machine']['cores']}, "
          f"PostgreSQL {results['database']['postgres']}, load {results['load_at_start']} → "
          f"{results['load_at_end']}, {results['total_s']} s")  # fmt: skip
    for size, data in results["sizes"].items():
        s = data["search"]
        print(
            f"  {int(size):>7,}: search API p50/p95 {_ms(s['api_load'], 'p50_ms')}/"
            f"{_ms(s['api_load'], 'p95_ms')} ms, SQL p50/p95 {_ms(s['db_round_trips'], 'p50_ms')}/"
            f"{_ms(s['db_round_trips'], 'p95_ms')} ms, {s['api_load']['throughput_rps']} req/s"
        )
    for name, system in results.get("relevance", {}).items():
        print(f"  relevance {name}: P@10 {system['mean_precision_at_10']:.2f}, "
              f"nDCG@10 {system['mean_ndcg_at_10']:.2f}")  # fmt: skip


# --- markdown (for bench/RESULTS.md and the README) -------------------------------------------


def _md_table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    lines[1] = "|:---" + lines[1][5:]  # first column left-aligned
    return "\n".join(lines)


def _p(stats: dict[str, Any]) -> list[str]:
    return [_ms(stats, "p50_ms"), _ms(stats, "p95_ms"), _ms(stats, "p99_ms")]


def markdown(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    rows = []
    for size, d in sizes.items():
        s = d["search"]
        n = f"{int(size):,}"
        load = s["api_load"]
        rows.append([f"{n}: search API, {load['concurrency']} concurrent", *_p(load),
                     f"{load['throughput_rps']} req/s"])  # fmt: skip
        rows.append([f"{n}: search API, serial", *_p(s["api_serial"]), ""])
        rows.append([f"{n}: search, engine call in-process", *_p(s["engine_call"]), ""])
        rows.append([f"{n}: search SQL (round trips)", *_p(s["db_round_trips"]),
                     f"API/SQL p50 ×{s['ratios']['api_over_db_p50']}"])  # fmt: skip
        rows.append([f"{n}: search SQL (server execution)", *_p(s["db_server_execution"]), ""])
        rows.append([f"{n}: search SQL (planning)", *_p(s["db_server_planning"]), ""])
        api = d["matching_api"]
        for entity, label in (("needs", "need → listings"), ("listings", "listing → needs")):
            if entity in api:
                rows.append([f"{n}: matching API {label}", *_p(api[entity]), ""])
        for direction, label in (("need_to_listings", "need → listings"),
                                 ("listing_to_needs", "listing → needs")):  # fmt: skip
            stats = d["matching_in_process"].get(direction)
            if stats:
                rows.append([f"{n}: matching {label}, SQL", *_p(stats["client_db"]),
                             f"{stats['statements_per_call']} statements"])  # fmt: skip
    latency = _md_table(["size: measurement (ms)", "p50", "p95", "p99", "note"], rows)
    other = []
    for size, d in sizes.items():
        ix, c = d["indexing"], d.get("other_processes_cpu", {})
        rate = {name: ix[name].get("rows_per_s", ix[name].get("events_per_s")) for name in ix}
        other.append([
            f"{int(size):,}", f"{rate['update']:,}", f"{rate['insert']:,}",
            f"{rate['drain_postgres']:,}", f"{rate['drain_null_engine']:,}",
            d["peak_rss_mib"].get("server"), d["peak_rss_mib"].get("bench"),
            d.get("postgres_uss_mib_after_load"), c.get("mean_cores_busy"),
        ])  # fmt: skip
    throughput = _md_table(
        ["listings", "outbox rows/s (updates)", "outbox rows/s (inserts)", "drain ev/s (postgres)",
         "drain ev/s (documents built)", "server peak RSS MiB", "bench peak RSS MiB",
         "PostgreSQL USS MiB", "other processes (cores)"],
        other,
    )  # fmt: skip
    rel = [
        [name, f"{s['mean_precision_at_10']:.2f}", f"{s['mean_ndcg_at_10']:.2f}"]
        for name, s in results.get("relevance", {}).items()
    ]
    relevance = _md_table(["system", "mean P@10", "mean nDCG@10"], rel) if rel else ""
    return "\n\n".join(part for part in (latency, throughput, relevance) if part) + "\n"


def main() -> None:
    """`python -m bench.report [results.json]`: the results as markdown tables."""
    import json
    import sys
    from pathlib import Path

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest.json")
    print(markdown(json.loads(path.read_text(encoding="utf-8"))), end="")


if __name__ == "__main__":
    main()
