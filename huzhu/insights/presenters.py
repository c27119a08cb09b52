"""The statistics as people read them: labels in the reader's language, JSON and CSV.

`Stats` holds keys only (so one cached copy serves both languages); labels are added here.
"""

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from huzhu.insights.moderation_stats import APPEAL_MEASURES
from huzhu.insights.stats import (
    EARLIER,
    ELSEWHERE,
    MEASURES,
    REPORT_MEASURES,
    TOTAL,
    Row,
    Stats,
)
from huzhu.labels import localised
from huzhu.places import districts
from huzhu.posts.models import Category
from huzhu.safety.models import Report, Sanction


def _labels() -> dict[str, dict[str, str]]:
    return {
        "category": {c.code: localised(c.name_en, c.name_zh) for c in Category.objects.all()},
        "area": {p.code: str(p.name) for p in districts()} | {ELSEWHERE: _("Elsewhere")},
        "week": {EARLIER: _("Earlier")},
        "reports": {reason.value: str(reason.label) for reason in Report.Reason},
        "sanctions": {kind.value: str(kind.label) for kind in Sanction.Kind},
    }


def _row(row: Row, label: str) -> dict[str, Any]:
    return {"key": row.key, "label": label, **row.figures}


def _post_row(row: Row, label: str) -> dict[str, Any]:
    return {**_row(row, label), "median_hours_to_fulfil": row.median_hours_to_fulfil}


def stats_data(stats: Stats) -> dict[str, Any]:
    labels = _labels()
    by = {
        f"by_{table}": [_post_row(row, labels[table].get(row.key, row.key)) for row in rows]
        for table, rows in stats.breakdowns.items()
    }
    acted_on = stats.reports_total.figures["acted_on"]
    return {
        "generated_at": stats.generated_at,
        "threshold": stats.threshold,
        "total": _post_row(stats.total, _("All")),
        **by,
        "reports": {
            "rows": [_row(row, labels["reports"][row.key]) for row in stats.reports],
            "total": _row(stats.reports_total, _("All")),
            # Every decision on a report is a moderator's; an automatic hide is not a
            # decision (the report stays open), so there is no automated count to publish.
            "decided_by_moderators": acted_on,
            "decided_automatically": None,
        },
        "moderation": _moderation(stats, labels["sanctions"]),
    }


def _moderation(stats: Stats, labels: dict[str, str]) -> dict[str, Any]:
    actions = {row.key: row.figures["count"] for row in stats.actions}
    return {
        "sanctions": [
            {"key": row.key, "label": labels[row.key], **row.figures} for row in stats.sanctions
        ],
        "sanctions_total": {"key": TOTAL, "label": _("All"), **stats.sanctions_total.figures},
        "appeals": stats.appeals.figures,
        "actions": {**actions, "total": stats.actions_total.figures["count"]},
    }


def stats_csv(stats: Stats) -> str:
    """The same figures in long form: one line per figure; an empty value is suppressed."""
    data = stats_data(stats)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "label", "measure", "value"])
    sections: list[tuple[str, list[dict[str, Any]], tuple[str, ...]]] = [
        (TOTAL, [data["total"]], (*MEASURES, "median_hours_to_fulfil")),
        *(
            (table, data[f"by_{table}"], (*MEASURES, "median_hours_to_fulfil"))
            for table in stats.breakdowns
        ),
        ("reports", [*data["reports"]["rows"], data["reports"]["total"]], REPORT_MEASURES),
        *_moderation_sections(data["moderation"]),
    ]
    for section, rows, measures in sections:
        for row in rows:
            for measure in measures:
                value = row[measure]
                writer.writerow(
                    [section, row["key"], row["label"], measure, "" if value is None else value]
                )
    return out.getvalue()


def _actor_labels() -> dict[str, str]:
    return {"automated": _("Automated"), "human": _("By a moderator"), TOTAL: _("All")}


def _moderation_sections(
    moderation: dict[str, Any],
) -> list[tuple[str, list[dict[str, Any]], tuple[str, ...]]]:
    actions = moderation["actions"]
    return [
        ("sanctions", [*moderation["sanctions"], moderation["sanctions_total"]], ("count",)),
        ("appeals", [{"key": TOTAL, "label": _("All"), **moderation["appeals"]}], APPEAL_MEASURES),
        (
            "actions",
            [
                {"key": key, "label": label, "count": actions[key]}
                for key, label in _actor_labels().items()
            ],
            ("count",),
        ),
    ]
