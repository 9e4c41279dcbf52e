"""The dashboard: the three targets, their breakdowns and their projection to 2030."""

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Subquery
from sqlalchemy.ext.asyncio import AsyncSession

from app.kpi import repository, rules
from app.kpi import schemas as s
from app.kpi.repository import GroupRow
from app.kpi.rules import TargetCode
from app.listings import taxonomy

Labels = dict[str, tuple[str, str]]

# Breakdown -> the vocabulary naming its keys.
VOCABULARY_OF = {
    "by_source_exchange": "source_exchange",
    "by_sector": "sector",
    "by_trl": "trl",
    "by_tier": "pyramid_tier",
    "by_channel": "connection_channel",
}


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date


async def vocabulary_labels(session: AsyncSession) -> dict[str, Labels]:
    return {v: await taxonomy.labels(session, v) for v in VOCABULARY_OF.values()}


def _row_numbers(code: TargetCode, row: GroupRow) -> dict[str, int | float | None]:
    """What a group means for the target: clear dossiers of a total, or counted records."""
    if code is TargetCode.ip_dossier:
        return {"value": row.clear, "total": row.count, "share": rules.share(row.clear, row.count)}
    value_vnd = row.value_vnd if code is TargetCode.contracts else None
    return {"value": row.count, "value_vnd": value_vnd}


def breakdown_rows(
    code: TargetCode, groups: list[GroupRow], labels: Labels
) -> list[s.BreakdownRow]:
    """One row per vocabulary term (zeros included, in the vocabulary's order), then codes no
    longer in the vocabulary, then records without a code."""
    found = {g.key: g for g in groups}
    keys: list[str | None] = list(labels)
    keys += sorted(k for k in found if k is not None and k not in labels)
    keys += [None] if None in found else []
    rows = []
    for key in keys:
        group = found.get(key, GroupRow(key, 0, 0, 0))
        label_vi, label_en = rules.UNCLASSIFIED if key is None else labels.get(key, (key, key))
        rows.append(
            s.BreakdownRow(
                key=key, label_vi=label_vi, label_en=label_en, **_row_numbers(code, group)
            )
        )
    return rows


def month_rows(
    code: TargetCode, groups: list[GroupRow], start: date | None, end: date
) -> list[s.MonthRow]:
    found = {g.key: g for g in groups if g.key is not None}
    months = rules.month_span(list(found), start, end)
    return [
        s.MonthRow(month=m, **_row_numbers(code, found.get(m, GroupRow(m, 0, 0, 0))))
        for m in months
    ]


async def _breakdowns(
    session: AsyncSession,
    code: TargetCode,
    facts: Subquery,
    start: date | None,
    end: date,
    labels: dict[str, Labels],
) -> s.Breakdowns:
    async def rows(name: str, dimension: str) -> list[s.BreakdownRow]:
        groups = (
            await repository.group_by_sector(session, facts)
            if dimension == "sectors"
            else await repository.group(session, facts, dimension)
        )
        return breakdown_rows(code, groups, labels[VOCABULARY_OF[name]])

    return s.Breakdowns(
        by_month=month_rows(code, await repository.group(session, facts, "month"), start, end),
        by_source_exchange=await rows("by_source_exchange", "source_exchange"),
        by_sector=await rows("by_sector", "sectors"),
        by_trl=await rows("by_trl", "trl"),
        by_tier=await rows("by_tier", "tier"),
        by_channel=(
            await rows("by_channel", "channel") if code is TargetCode.connections else None
        ),
    )


async def _count_projection(
    session: AsyncSession, all_time: Subquery, as_of: date, target: int
) -> s.Projection:
    totals = await repository.totals(session, all_time)
    since = rules.window_start(as_of, totals.first_day)
    in_window = await repository.count_from(session, all_time, since) if since else 0
    projection = rules.project_count(
        as_of=as_of,
        total_to_date=totals.count,
        window_from=since,
        in_window=in_window,
        target=target,
    )
    return s.Projection(**asdict(projection))


def _target_head(code: TargetCode) -> dict[str, str]:
    label_vi, label_en = rules.LABELS[code]
    rule_vi, rule_en = rules.RULES[code]
    return {
        "code": code.value,
        "label_vi": label_vi,
        "label_en": label_en,
        "rule_vi": rule_vi,
        "rule_en": rule_en,
    }


async def _counted_target(
    session: AsyncSession,
    code: TargetCode,
    period: Period,
    labels: dict[str, Labels],
) -> s.Target:
    facts_of = (
        repository.connection_facts if code is TargetCode.connections else repository.contract_facts
    )
    target = rules.CONNECTIONS_TARGET if code is TargetCode.connections else rules.CONTRACTS_TARGET
    facts = facts_of(period.start, period.end)
    totals = await repository.totals(session, facts)
    is_contracts = code is TargetCode.contracts
    return s.Target(
        **_target_head(code),
        unit="count",
        value=totals.count,
        target=target,
        comparison="at_least",
        share_of_target=rules.share(totals.count, target),
        value_vnd=totals.value_vnd if is_contracts else None,
        currency="VND" if is_contracts else None,
        breakdowns=await _breakdowns(session, code, facts, period.start, period.end, labels),
        projection_2030=await _count_projection(
            session, facts_of(None, period.end), period.end, target
        ),
    )


async def _ip_target(session: AsyncSession, period: Period, labels: dict[str, Labels]) -> s.Target:
    code = TargetCode.ip_dossier
    facts = repository.technology_facts(period.end)
    totals = await repository.totals(session, facts)
    value = rules.share(totals.clear, totals.count)
    projection = rules.project_share(as_of=period.end, current=value, target=rules.IP_SHARE_TARGET)
    return s.Target(
        **_target_head(code),
        unit="share",
        value=value,
        target=rules.IP_SHARE_TARGET,
        comparison="more_than",
        share_of_target=round(value / rules.IP_SHARE_TARGET, 4),
        numerator=totals.clear,
        denominator=totals.count,
        # A stock at the period's end: the by-month rows list every publication month.
        breakdowns=await _breakdowns(session, code, facts, None, period.end, labels),
        projection_2030=s.Projection(**asdict(projection)),
    )


async def dashboard(session: AsyncSession, period: Period) -> s.Dashboard:
    labels = await vocabulary_labels(session)
    return s.Dashboard(
        period=s.Period(from_=period.start, to=period.end),
        targets=[
            await _counted_target(session, TargetCode.connections, period, labels),
            await _counted_target(session, TargetCode.contracts, period, labels),
            await _ip_target(session, period, labels),
        ],
    )
