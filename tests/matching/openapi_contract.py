"""Validates HTTP requests against Meilisearch's published OpenAPI 3.1 document.

No Meilisearch server can run here, so the adapter's requests are checked against the schema the
engine generates from its own code (../shared/meilisearch/). The document is used as published,
with the tightenings its README calls for (and a few documented engine rules it does not encode),
each listed in `_tighten` so a reader can see exactly what the harness adds.
"""

import copy
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_PATH = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "meilisearch"
    / "meilisearch-openapi-v1.53.0.json"
)
DOC_URI = "urn:meilisearch:openapi:v1.53.0"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")

# Documented engine rules the published schema leaves as plain strings.
INDEX_UID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,400}$"}
DOCUMENT_ID = {
    "oneOf": [
        {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,511}$"},
        {"type": "integer", "minimum": 0},
    ]
}
BUILTIN_RANKING_RULES = [
    "words", "typo", "proximity", "attribute", "attributeRank", "wordPosition", "sort", "exactness",
]  # fmt: skip
DOCUMENT = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": DOCUMENT_ID},
}


class ContractViolation(AssertionError):
    """A request the published Meilisearch API would not accept as sent."""


@dataclass
class CapturedRequest:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.url).query, keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def __str__(self) -> str:
        body = (self.body or b"")[:300].decode("utf-8", "replace")
        return f"{self.method} {self.url} {body}"


@dataclass(frozen=True)
class Operation:
    template: str
    method: str
    spec: dict[str, Any]
    path_params: dict[str, str]

    @property
    def pointer(self) -> str:
        """JSON pointer of this operation inside the document."""
        escaped = self.template.replace("~", "~0").replace("/", "~1")
        return f"#/paths/{escaped}/{self.method}"


def _tighten(doc: dict[str, Any]) -> dict[str, Any]:
    """Close the gaps the README lists, so a misspelt or mistyped request really fails."""
    doc = copy.deepcopy(doc)
    schemas = doc["components"]["schemas"]
    # 1. Search and settings objects accept unknown keys as published (`filtr` would pass).
    for name in (
        "SearchQuery", "Settings_Unchecked", "TypoSettings", "MinWordSizeTyposSetting",
        "FacetingSettings", "PaginationSettings", "LocalizedAttributesRuleView",
    ):  # fmt: skip
        schemas[name]["additionalProperties"] = False
    # 2. `facets` is typed {"patterns": [...]}; the docs and the Python client send a list.
    facets = schemas["SearchQuery"]["properties"]["facets"]
    facets["oneOf"] = [*facets["oneOf"], {"type": "array", "items": {"type": "string"}}]
    # 3. Index uids: alphanumerics, `-` and `_`, at most 400 bytes (documented, not in the schema).
    schemas["IndexUid"] = INDEX_UID
    # 4. Ranking rules in PATCH /settings are plain strings: built-in names or `attr:asc|desc`.
    schemas["Settings_Unchecked"]["properties"]["rankingRules"]["items"] = {
        "anyOf": [
            {"enum": BUILTIN_RANKING_RULES},
            {"type": "string", "pattern": "^[^\\s:]+:(asc|desc)$"},
        ]
    }
    # 5. Document bodies are published as `{}`: objects with a valid primary key `id`.
    for method in ("post", "put"):
        content = doc["paths"]["/indexes/{index_uid}/documents"][method]["requestBody"]["content"]
        content["application/json"]["schema"] = {
            "anyOf": [{"type": "array", "items": DOCUMENT}, DOCUMENT]
        }
    batch = doc["paths"]["/indexes/{index_uid}/documents/delete-batch"]["post"]["requestBody"]
    batch["content"]["application/json"]["schema"] = {"type": "array", "items": DOCUMENT_ID}
    # 6. A filter is a string or a list of strings / lists of strings (the documented grammar).
    filter_schema = {
        "anyOf": [
            {"type": "string"},
            {
                "type": "array",
                "items": {
                    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                },
            },
        ]
    }
    schemas["SearchQuery"]["properties"]["filter"] = filter_schema
    schemas["DocumentDeletionByFilter"]["properties"]["filter"] = filter_schema
    return doc


class OpenAPIContract:
    """Finds the operation for a request and validates its path, query and body."""

    def __init__(self, path: Path = SCHEMA_PATH) -> None:
        self.published = json.loads(path.read_text())
        self.doc = _tighten(self.published)
        resource = Resource(contents=self.doc, specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(DOC_URI, resource)
        self._routes = self._compile_routes()

    def _compile_routes(self) -> list[tuple[re.Pattern[str], str, int]]:
        routes = []
        for template in self.doc["paths"]:
            names = re.findall(r"{([^}]+)}", template)
            regex = "^" + re.sub(r"\\{([^}]+)\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
            routes.append((re.compile(regex), template, len(names)))
        # Literal segments win over parameters (`documents/delete` before `documents/{id}`).
        return sorted(routes, key=lambda route: route[2])

    def operation(self, method: str, path: str) -> Operation:
        method = method.lower()
        known_path = False
        for regex, template, _ in self._routes:
            match = regex.match(path)
            if not match:
                continue
            known_path = True
            spec = self.doc["paths"][template].get(method)
            if spec is not None:
                params = {name: unquote(value) for name, value in match.groupdict().items()}
                return Operation(template, method, spec, params)
        reason = "method not allowed on" if known_path else "no operation for"
        raise ContractViolation(f"{reason} {method.upper()} {path}")

    def validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"{DOC_URI}{pointer}"}, registry=self.registry, format_checker=FormatChecker()
        )

    def errors(self, request: CapturedRequest) -> list[str]:
        """Every way the request departs from the contract (empty when it conforms)."""
        try:
            operation = self.operation(request.method, request.path)
        except ContractViolation as exc:
            return [str(exc)]
        return [
            *self._parameter_errors(operation, "path", list(operation.path_params.items())),
            *self._parameter_errors(operation, "query", request.query),
            *self._body_errors(operation, request),
        ]

    def validate(self, request: CapturedRequest) -> Operation:
        problems = self.errors(request)
        if problems:
            raise ContractViolation(f"{request}\n  - " + "\n  - ".join(problems))
        return self.operation(request.method, request.path)

    def validate_response(self, method: str, path: str, status: int, body: Any) -> None:
        """Checks the fake server's answers, so the adapter is not tested against fiction."""
        operation = self.operation(method, path)
        content = operation.spec["responses"].get(str(status), {}).get("content", {})
        if "application/json" not in content:
            raise ContractViolation(f"{method} {path}: status {status} is not documented")
        pointer = f"{operation.pointer}/responses/{status}/content/application~1json/schema"
        problems = [e.message for e in self.validator(pointer).iter_errors(body)]
        if problems:
            raise ContractViolation(f"fake response to {method} {path}: {problems}")

    def _parameter_errors(
        self, operation: Operation, location: str, values: list[tuple[str, str]]
    ) -> list[str]:
        declared = {
            p["name"]: (index, p)
            for index, p in enumerate(operation.spec.get("parameters", []))
            if p["in"] == location
        }
        problems = []
        given = {name for name, _ in values}
        for name, (_, param) in declared.items():
            if param.get("required") and name not in given:
                problems.append(f"{location} parameter {name!r} is required")
        for name, raw in values:
            if name not in declared:
                problems.append(f"{location} parameter {name!r} is not declared")
                continue
            index, param = declared[name]
            pointer = f"{operation.pointer}/parameters/{index}/schema"
            schema = param.get("schema", {})
            if location == "path" and name == "index_uid":
                pointer, schema = "#/components/schemas/IndexUid", INDEX_UID
            value = _coerce(raw, schema)
            for error in self.validator(pointer).iter_errors(value):
                problems.append(_describe(f"{location} parameter {name}={raw!r}", error))
        return problems

    def _body_errors(self, operation: Operation, request: CapturedRequest) -> list[str]:
        body = request.body or b""
        request_body = operation.spec.get("requestBody")
        if request_body is None:
            # The official client sends the literal `null` on body-less DELETE/POST; the engine
            # ignores it. Anything else would be a body the operation does not take.
            if body.strip() in (b"", b"null"):
                return []
            return [f"{operation.method.upper()} {operation.template} takes no body"]
        content_type = request.headers.get("Content-Type", "").split(";")[0].strip()
        content = request_body.get("content", {})
        if content_type not in content:
            return [f"content type {content_type!r} not accepted (expects {sorted(content)})"]
        if not body.strip():
            return ["request body is required"] if request_body.get("required") else []
        try:
            value = json.loads(body)
        except ValueError as exc:
            return [f"body is not JSON: {exc}"]
        escaped = content_type.replace("~", "~0").replace("/", "~1")
        pointer = f"{operation.pointer}/requestBody/content/{escaped}/schema"
        return [_describe("body", error) for error in self.validator(pointer).iter_errors(value)]


def _coerce(raw: str, schema: dict[str, Any]) -> Any:
    """Query and path values arrive as text; read them as the schema's scalar type."""
    types = schema.get("type", "string")
    types = types if isinstance(types, list) else [types]
    if "integer" in types and re.fullmatch(r"-?\d+", raw):
        return int(raw)
    if "boolean" in types and raw in ("true", "false"):
        return raw == "true"
    return raw


def _describe(where: str, error: ValidationError) -> str:
    """The most specific reason: inside a oneOf/anyOf, the branch that got deepest into the
    value, preferring a real violation over "wrong type for this branch"."""
    while error.context:
        error = max(
            error.context,
            key=lambda e: (len(e.absolute_path), e.validator not in ("type", "enum")),
        )
    return f"{where}{_json_path(error.absolute_path)}: {error.message}"


def _json_path(path: Any) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


@cache
def contract() -> OpenAPIContract:
    """One parsed document per test session (it is 1 MB of JSON)."""
    return OpenAPIContract()
