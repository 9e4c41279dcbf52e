"""An in-memory Meilisearch at the transport level, for contract tests (no server runs here).

The official client calls `requests.post(...)`, which builds a Session and asks it for an adapter;
`install()` makes sessions hand out this adapter for the fake base URL, so every request the
client sends is captured exactly as it would go on the wire. Each request is validated against
the published OpenAPI document (tests/matching/openapi_contract.py), and so is each answer the
fake gives, so the adapter is never tested against responses Meilisearch would not send.

Tasks complete instantly: the write is applied when enqueued, `GET /tasks/{uid}` reports it
`succeeded` (or `failed`, with an error, when told to via `fail_next`).
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import pytest
import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from tests.matching.openapi_contract import CapturedRequest, OpenAPIContract, contract

BASE_URL = "http://meilisearch.contract.test:7700"

DEFAULT_SETTINGS: dict[str, Any] = {
    "displayedAttributes": ["*"],
    "searchableAttributes": ["*"],
    "filterableAttributes": [],
    "sortableAttributes": [],
    "rankingRules": [
        "words",
        "typo",
        "proximity",
        "attributeRank",
        "sort",
        "wordPosition",
        "exactness",
    ],
    "stopWords": [],
    "nonSeparatorTokens": [],
    "separatorTokens": [],
    "dictionary": [],
    "synonyms": {},
    "distinctAttribute": None,
    "proximityPrecision": "byWord",
    "typoTolerance": {
        "enabled": True,
        "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
        "disableOnWords": [],
        "disableOnAttributes": [],
        "disableOnNumbers": False,
    },
    "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "alpha"}},
    "pagination": {"maxTotalHits": 1000},
    "embedders": {},
    "searchCutoffMs": None,
    "localizedAttributes": None,
    "facetSearch": True,
    "prefixSearch": "indexingTime",
}
NESTED_SETTINGS = ("typoTolerance", "faceting", "pagination")


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class FakeIndex:
    uid: str
    primary_key: str | None = None
    created_at: str = field(default_factory=_now)
    settings: dict[str, Any] = field(
        default_factory=lambda: json.loads(json.dumps(DEFAULT_SETTINGS))
    )
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


class FakeMeilisearch(HTTPAdapter):
    """Records requests, validates them, and answers like Meilisearch v1.53 would."""

    def __init__(self, spec: OpenAPIContract | None = None, *, validate: bool = True) -> None:
        super().__init__()
        self.spec = spec or contract()
        self.validate = validate
        self.requests: list[CapturedRequest] = []
        self.indexes: dict[str, FakeIndex] = {}
        self.tasks: dict[int, dict[str, Any]] = {}
        self.down = False
        self._failures: dict[str, dict[str, Any]] = {}
        self._routes = [
            ("GET", r"/health", self._health),
            ("POST", r"/indexes", self._create_index),
            ("GET", r"/indexes/(?P<uid>[^/]+)", self._get_index),
            ("DELETE", r"/indexes/(?P<uid>[^/]+)", self._delete_index),
            ("GET", r"/indexes/(?P<uid>[^/]+)/settings", self._get_settings),
            ("PATCH", r"/indexes/(?P<uid>[^/]+)/settings", self._update_settings),
            ("POST", r"/indexes/(?P<uid>[^/]+)/documents", self._add_documents),
            ("POST", r"/indexes/(?P<uid>[^/]+)/documents/delete", self._delete_by_filter),
            ("POST", r"/indexes/(?P<uid>[^/]+)/search", self._search),
            ("POST", r"/swap-indexes", self._swap),
            ("GET", r"/tasks/(?P<task_uid>\d+)", self._get_task),
        ]

    # -- wiring ---------------------------------------------------------------------------------

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = requests.Session.get_adapter

        def get_adapter(session: requests.Session, url: str) -> HTTPAdapter:
            return self if url.startswith(BASE_URL) else original(session, url)

        monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)

    def fail_next(self, task_type: str, code: str = "invalid_settings_ranking_rules") -> None:
        """The next task of this type fails (as Meilisearch reports it: status `failed`)."""
        self._failures[task_type] = {
            "message": f"simulated failure of a {task_type} task",
            "code": code,
            "type": "invalid_request",
            "link": f"https://docs.meilisearch.com/errors#{code}",
        }

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        body = request.body.encode() if isinstance(request.body, str) else request.body
        captured = CapturedRequest(
            method=request.method or "GET",
            url=request.url or "",
            headers=dict(request.headers),
            body=body,
        )
        self.requests.append(captured)
        if self.down:
            raise requests.exceptions.ConnectionError("fake Meilisearch is down")
        if self.validate:
            self.spec.validate(captured)
        status, payload = self._dispatch(captured)
        if self.validate:
            self.spec.validate_response(captured.method, captured.path, status, payload)
        return self._response(request, status, payload)

    def requests_to(self, method: str, path_pattern: str) -> list[CapturedRequest]:
        return [
            r for r in self.requests if r.method == method and re.fullmatch(path_pattern, r.path)
        ]

    def _dispatch(self, request: CapturedRequest) -> tuple[int, Any]:
        path = request.path
        for method, pattern, handler in self._routes:
            match = re.fullmatch(pattern, path)
            if method == request.method and match:
                params = {k: unquote(v) for k, v in match.groupdict().items()}
                return handler(request, **params)
        raise AssertionError(f"the fake does not implement {request.method} {path}")

    @staticmethod
    def _response(
        request: requests.PreparedRequest, status: int, payload: Any
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(payload).encode()
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        return response

    # -- tasks ----------------------------------------------------------------------------------

    def _enqueue(self, task_type: str, index_uid: str | None, apply: Any = None) -> tuple[int, Any]:
        uid = len(self.tasks)
        error = self._failures.pop(task_type, None)
        if error is None and apply is not None:
            error = apply()
        enqueued = _now()
        self.tasks[uid] = {
            "uid": uid,
            "batchUid": uid,
            "indexUid": index_uid,
            "status": "failed" if error else "succeeded",
            "type": task_type,
            "canceledBy": None,
            "details": {},
            "error": error,
            "duration": "PT0.001S",
            "enqueuedAt": enqueued,
            "startedAt": enqueued,
            "finishedAt": _now(),
        }
        summary = {"taskUid": uid, "indexUid": index_uid, "status": "enqueued", "type": task_type}
        return 202, {**summary, "enqueuedAt": enqueued}

    def _get_task(self, request: CapturedRequest, task_uid: str) -> tuple[int, Any]:
        return 200, self.tasks[int(task_uid)]

    @staticmethod
    def _not_found(uid: str) -> tuple[int, Any]:
        return 404, _error(f"Index `{uid}` not found.", "index_not_found")

    # -- indexes --------------------------------------------------------------------------------

    def _health(self, request: CapturedRequest) -> tuple[int, Any]:
        return 200, {"status": "available"}

    def _create_index(self, request: CapturedRequest) -> tuple[int, Any]:
        body = request.json()
        uid = body["uid"]

        def apply() -> dict[str, Any] | None:
            if uid in self.indexes:
                return _error(f"Index `{uid}` already exists.", "index_already_exists")
            self.indexes[uid] = FakeIndex(uid, primary_key=body.get("primaryKey"))
            return None

        return self._enqueue("indexCreation", uid, apply)

    def _get_index(self, request: CapturedRequest, uid: str) -> tuple[int, Any]:
        index = self.indexes.get(uid)
        if index is None:
            return self._not_found(uid)
        return 200, {
            "uid": uid,
            "createdAt": index.created_at,
            "updatedAt": _now(),
            "primaryKey": index.primary_key,
        }

    def _delete_index(self, request: CapturedRequest, uid: str) -> tuple[int, Any]:
        def apply() -> dict[str, Any] | None:
            if self.indexes.pop(uid, None) is None:
                return _error(f"Index `{uid}` not found.", "index_not_found")
            return None

        return self._enqueue("indexDeletion", uid, apply)

    def _swap(self, request: CapturedRequest) -> tuple[int, Any]:
        def apply() -> dict[str, Any] | None:
            for pair in request.json():
                a, b = pair["indexes"]
                if pair.get("rename"):
                    self.indexes[b] = self.indexes.pop(a)
                    self.indexes[b].uid = b
                    continue
                if a not in self.indexes or b not in self.indexes:
                    return _error(f"Indexes `{a}`, `{b}` not found.", "index_not_found")
                self.indexes[a], self.indexes[b] = self.indexes[b], self.indexes[a]
                self.indexes[a].uid, self.indexes[b].uid = a, b
            return None

        return self._enqueue("indexSwap", None, apply)

    # -- settings -------------------------------------------------------------------------------

    def _get_settings(self, request: CapturedRequest, uid: str) -> tuple[int, Any]:
        index = self.indexes.get(uid)
        return (200, index.settings) if index else self._not_found(uid)

    def _update_settings(self, request: CapturedRequest, uid: str) -> tuple[int, Any]:
        changes = request.json()

        def apply() -> dict[str, Any] | None:
            index = self.indexes.setdefault(uid, FakeIndex(uid))
            for key, value in changes.items():
                if value is None:
                    index.settings[key] = json.loads(json.dumps(DEFAULT_SETTINGS[key]))
                elif key in NESTED_SETTINGS:
                    index.settings[key] = {**index.settings[key], **value}
                elif key in ("sortableAttributes", "stopWords"):
                    index.settings[key] = sorted(set(value))  # stored as sets by the engine
                elif key == "synonyms":
                    index.settings[key] = {k: sorted(set(v)) for k, v in sorted(value.items())}
                else:
                    index.settings[key] = value
            return None

        return self._enqueue("settingsUpdate", uid, apply)

    # -- documents ------------------------------------------------------------------------------

    def _add_documents(self, request: CapturedRequest, uid: str) -> tuple[int, Any]:
        documents = request.json()

        def apply() -> dict[str, Any] | None:
            index = self.indexes.setdefault(uid, FakeIndex(uid, primary_key="id"))
            for document in documents:
                index.documents[str(document["id"])] = document  # add-or-replace
            return None

        return self._enqueue("documentAdditionOrUpdate", uid, apply)

    def _delete_by_filter(self, request: CapturedRequest, uid: str) -> tuple[int, Any]:
        expression = request.json()["filter"]
        match = re.fullmatch(r"id IN \[(.*)\]", expression)
        if not match:
            raise AssertionError(f"the fake only deletes by `id IN [...]`, got {expression!r}")
        ids = json.loads(f"[{match.group(1)}]")

        def apply() -> dict[str, Any] | None:
            index = self.indexes.get(uid)
            if index is None:
                return _error(f"Index `{uid}` not found.", "index_not_found")
            for document_id in ids:
                index.documents.pop(document_id, None)
            return None

        return self._enqueue("documentDeletion", uid, apply)

    def _search(self, request: CapturedRequest, uid: str) -> tuple[int, Any]:
        """Plausible answers, not Meilisearch's ranking: all documents, paged, counted."""
        index = self.indexes.get(uid)
        if index is None:
            return self._not_found(uid)
        query = request.json()
        documents = list(index.documents.values())
        paged = "page" in query or "hitsPerPage" in query
        if paged:
            page, per_page = query.get("page", 1), query.get("hitsPerPage", 20)
            offset, limit = (page - 1) * per_page, per_page
        else:
            offset, limit = query.get("offset", 0), query.get("limit", 20)
        pre = query.get("highlightPreTag", "<em>")
        post = query.get("highlightPostTag", "</em>")
        words = (query.get("q") or "").split()
        hits = []
        for position, document in enumerate(documents[offset : offset + limit]):
            hit = dict(document)
            if query.get("showRankingScore"):
                hit["_rankingScore"] = round(1.0 - position / 100, 4)
            if query.get("attributesToHighlight"):
                hit["_formatted"] = {
                    k: _highlight(v, words, pre, post) for k, v in document.items()
                }
            hits.append(hit)
        result: dict[str, Any] = {
            "hits": hits,
            "query": query.get("q") or "",
            "processingTimeMs": 1,
        }
        if paged:
            total_pages = -(-len(documents) // per_page) if per_page else 0
            result.update(
                hitsPerPage=per_page, page=page, totalPages=total_pages, totalHits=len(documents)
            )
        else:
            result.update(limit=limit, offset=offset, estimatedTotalHits=len(documents))
        if query.get("facets"):
            result["facetDistribution"] = {
                name: _count(documents, name) for name in query["facets"]
            }
        return 200, result


def _error(message: str, code: str) -> dict[str, Any]:
    return {
        "message": message,
        "code": code,
        "type": "invalid_request",
        "link": f"https://docs.meilisearch.com/errors#{code}",
    }


def _highlight(value: Any, words: list[str], pre: str, post: str) -> Any:
    if isinstance(value, list):
        return [_highlight(v, words, pre, post) for v in value]
    if not isinstance(value, str):
        return value
    for word in words:
        value = re.sub(re.escape(word), lambda m: f"{pre}{m.group(0)}{post}", value, flags=re.I)
    return value


def _count(documents: list[dict[str, Any]], name: str) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for document in documents:
        values = document.get(name)
        for value in values if isinstance(values, list) else [values]:
            if value is not None:
                counts[str(value).lower() if isinstance(value, bool) else str(value)] += 1
    return dict(counts)
