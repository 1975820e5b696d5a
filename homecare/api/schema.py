"""How the OpenAPI schema describes the bearer token."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "homecare.api.auth.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token made on the API tokens page: a provider's reaches only its "
                "provider's data; a council token reads every provider's."
            ),
        }


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Each field's problems, when the request had some",
        },
    },
    "required": ["detail"],
}
COMMON = {
    "400": "The request has problems: `errors` names each",
    "401": "No token, or one not valid, expired or revoked",
    "403": "The token may not do this",
    "404": "Not found, or another provider's",
    "429": "Too many requests for this token: wait and try again",
}


def add_common_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Every operation can answer 401 and 429; those with an id 404; every
    one may be refused a bad parameter (400) or a council token's write (403).
    Error bodies share one schema."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "429"]
            if "{" in path:
                codes.append("404")
            if method in ("post", "put", "patch", "delete"):
                codes.append("403")
            for code in codes:
                entry = responses.setdefault(code, {"description": COMMON[code]})
                entry["content"] = {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                }
    return result
