"""Amazon's model files as routes and schemas: the one reading of the SP-API models.

Every route the sandbox serves comes from an operation in ``models/`` (path, method,
operationId); every request is checked against the operation's parameters and body
schema, and every response against the schema the model gives for its status. Swagger 2.0
schemas are JSON Schema draft 4 plus ``x-*`` extensions (which validators ignore), so they
validate with ``jsonschema`` once the file's ``definitions`` sit beside them.

Responses are checked **strictly**: an object may carry only the properties its schema
names (the models leave ``additionalProperties`` open), so a misspelt field in the sandbox
fails the tests instead of reaching a client that would silently ignore it.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

MODELS_DIR = Path(__file__).parent / "models"

# The model files the sandbox serves, by the name the code uses.
API_FILES = {
    "orders": "orders_2026-01-01.json",
    "reports": "reports_2021-06-30.json",
    "messaging": "messaging.json",
    "solicitations": "solicitations.json",
    "uploads": "uploads_2020-11-01.json",
    "finances": "financesV0.json",
}
ACCOUNT_HEALTH_SCHEMA_FILE = "accountHealthReport-2020-11-18.json"

# "**Usage Plan:** | Rate (requests per second) | Burst | | ---- | ---- | | 0.0056 | 20 |"
USAGE_PLAN = re.compile(r"Usage Plan:.*?\|\s*-+\s*\|\s*-+\s*\|\s*\n?\s*\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|", re.S)

format_checker = jsonschema.FormatChecker(formats=())


@format_checker.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    # ISO 8601 with a date and a time; a zone is required (Amazon answers in UTC, "Z").
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value)
    if "T" not in value.upper() or parsed.tzinfo is None:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time with a zone")
    return True


@format_checker.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if isinstance(value, str):
        datetime.strptime(value, "%Y-%m-%d")
    return True


def parse_date_time(value: str) -> datetime:
    """An ISO 8601 date-time as Amazon accepts it (``Z`` or an offset; a bare one is UTC)."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def strict(schema: Any) -> Any:
    """The schema with closed objects: only named (or required) properties allowed."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items() if key != "examples"}
    if "properties" in out and "additionalProperties" not in out:
        names = set(out["properties"]) | set(out.get("required", ()))
        out["additionalProperties"] = False
        # Keep required-but-unlisted names legal (the account-health schema has one: ahrStatus).
        for name in names - set(out["properties"]):
            out["properties"][name] = {}
    return out


class ContractViolation(AssertionError):
    """The sandbox produced a response its model does not allow: a bug in the sandbox."""


@dataclass
class Parameter:
    name: str
    location: str  # query, path, header, body
    required: bool
    schema: dict  # JSON Schema of the (coerced) value
    collection: bool = False
    # Amazon's ``x-amazon-spds-greedy-path-parameter``: the value spans path segments (the
    # Uploads API's ``resource`` is itself a path).
    greedy: bool = False


@dataclass
class Operation:
    api: str
    operation_id: str
    method: str
    path: str
    parameters: list[Parameter]
    responses: dict[int, dict | None]
    produces: str
    rate: float | None
    burst: int | None
    definitions: dict = field(repr=False)
    pattern: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        greedy = {p.name for p in self.parameters if p.greedy}

        def group(match: re.Match) -> str:
            return f"(?P<{match[1]}>{'.+' if match[1] in greedy else '[^/]+'})"

        regex = re.sub(r"\\{(\w+)\\}", group, re.escape(self.path))
        self.pattern = re.compile(f"^{regex}$")

    @property
    def rate_limit_header(self) -> str | None:
        return None if self.rate is None else f"{self.rate:g}"

    def request_validator(self, schema: dict) -> jsonschema.Draft4Validator:
        return jsonschema.Draft4Validator(
            {"allOf": [schema], "definitions": self.definitions}, format_checker=format_checker
        )

    def response_schema(self, status: int) -> dict | None:
        return self.responses.get(status)

    def validate_response(self, status: int, body: Any) -> None:
        """Raise ContractViolation unless ``body`` is what the model allows for ``status``."""
        if status not in self.responses:
            raise ContractViolation(f"{self.operation_id}: the model has no {status} response")
        schema = self.responses[status]
        if schema is None:
            if body not in (None, b"", ""):
                raise ContractViolation(f"{self.operation_id} {status}: the model allows no body")
            return
        errors = sorted(_strict_validator(self.api, json.dumps(schema, sort_keys=True)).iter_errors(body), key=str)
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path)
            raise ContractViolation(f"{self.operation_id} {status} at /{where}: {errors[0].message}")


@cache
def load_model(api: str) -> dict:
    return json.loads((MODELS_DIR / API_FILES[api]).read_text())


@cache
def _strict_definitions(api: str) -> dict:
    return strict(load_model(api).get("definitions", {}))


@cache
def _strict_validator(api: str, schema_json: str) -> jsonschema.Draft4Validator:
    schema = strict(json.loads(schema_json))
    return jsonschema.Draft4Validator(
        {"allOf": [schema], "definitions": _strict_definitions(api)}, format_checker=format_checker
    )


def _parameter(raw: dict, model: dict) -> Parameter:
    if "$ref" in raw:
        raw = model["parameters"][raw["$ref"].rsplit("/", 1)[-1]]
    if raw["in"] == "body":
        return Parameter(raw["name"], "body", raw.get("required", False), raw["schema"])
    schema = {key: value for key, value in raw.items() if key not in {"name", "in", "required", "description"}}
    return Parameter(
        raw["name"],
        raw["in"],
        raw.get("required", False),
        schema,
        collection=raw.get("type") == "array",
        greedy=bool(raw.get("x-amazon-spds-greedy-path-parameter")),
    )


def operations_of(api: str) -> list[Operation]:
    model = load_model(api)
    produces = (model.get("produces") or ["application/json"])[0]
    found = []
    for path, item in model["paths"].items():
        shared = item.get("parameters", [])
        for method, raw in item.items():
            if method == "parameters":
                continue
            params = [_parameter(p, model) for p in [*shared, *raw.get("parameters", [])]]
            responses = {int(status): r.get("schema") for status, r in raw["responses"].items()}
            plan = USAGE_PLAN.search(raw.get("description", ""))
            found.append(
                Operation(
                    api=api,
                    operation_id=raw["operationId"],
                    method=method.upper(),
                    path=path,
                    parameters=params,
                    responses=responses,
                    produces=(raw.get("produces") or [produces])[0],
                    rate=float(plan.group(1)) if plan else None,
                    burst=int(plan.group(2)) if plan else None,
                    definitions=model.get("definitions", {}),
                )
            )
    return found


@cache
def all_operations() -> dict[str, Operation]:
    """Every operation of the served model files, by operationId."""
    ops: dict[str, Operation] = {}
    for api in API_FILES:
        for op in operations_of(api):
            ops[op.operation_id] = op
    return ops


@cache
def account_health_validator() -> jsonschema.Draft7Validator:
    """Amazon's GET_V2_SELLER_PERFORMANCE_REPORT schema, strict like every response."""
    schema = json.loads((MODELS_DIR / ACCOUNT_HEALTH_SCHEMA_FILE).read_text())
    return jsonschema.Draft7Validator(strict(schema), format_checker=format_checker)


def validate_account_health(document: dict) -> None:
    errors = sorted(account_health_validator().iter_errors(document), key=str)
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path)
        raise ContractViolation(f"account health report at /{where}: {errors[0].message}")


# --- Request parameters ----------------------------------------------------------------


class RequestInvalid(ValueError):
    """A request the model refuses: answered with Amazon's 400 shape."""


def _coerce(value: str, schema: dict, name: str) -> Any:
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        raise RequestInvalid(f"{name}: {value!r} is not a valid {kind}") from None
    if kind == "boolean":
        if value.lower() not in {"true", "false"}:
            raise RequestInvalid(f"{name}: {value!r} is not a valid boolean")
        return value.lower() == "true"
    return value


def coerce_parameters(
    op: Operation, *, query: dict[str, list[str]], path: dict[str, str], headers: dict[str, str], body: Any
) -> dict[str, Any]:
    """The request's parameters, typed and validated against the model; RequestInvalid if not."""
    values: dict[str, Any] = {}
    for param in op.parameters:
        if param.location == "body":
            if body is None:
                if param.required:
                    raise RequestInvalid("The request body is missing.")
                continue
            value = body
        elif param.location == "query":
            raw = query.get(param.name)
            if not raw:
                if param.required:
                    raise RequestInvalid(f"Missing required parameter {param.name}.")
                continue
            if param.collection:
                items = [piece for chunk in raw for piece in chunk.split(",") if piece != ""]
                value = [_coerce(item, param.schema.get("items", {}), param.name) for item in items]
            else:
                value = _coerce(raw[-1], param.schema, param.name)
        elif param.location == "path":
            value = _coerce(path[param.name], param.schema, param.name)
        else:
            if param.name.lower() not in headers:
                if param.required:
                    raise RequestInvalid(f"Missing required header {param.name}.")
                continue
            value = _coerce(headers[param.name.lower()], param.schema, param.name)
        errors = list(op.request_validator(param.schema).iter_errors(value))
        if errors:
            raise RequestInvalid(f"{param.name}: {errors[0].message}")
        values[param.name] = value
    return values


def error_body(errors: Iterable[tuple[str, str]]) -> dict:
    """Amazon's error shape, the same in every model served: {"errors": [{code, message, details}]}."""
    return {"errors": [{"code": code, "message": message, "details": ""} for code, message in errors]}
