"""Compare real API answers with the OpenAPI document: the status must be documented for the operation,
the body must have every required top-level key and no undocumented one, and validate against the
documented schema.

``check(document, "post", "/groups", response, sent=payload)`` also validates what was sent against the
operation's request body schema, so a documented request shape the server does not take fails too.
"""

from openapi_schema_validator import OAS31Validator

API_PREFIX = "/api/v1"


def _resolve(document, schema):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def property_names(document, schema) -> set[str]:
    """Top-level properties of ``schema``, following ``$ref`` and ``allOf``."""
    schema = _resolve(document, schema)
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        names |= property_names(document, part)
    return names


def required_names(document, schema) -> set[str]:
    """Top-level keys ``schema`` requires, following ``$ref`` and ``allOf``."""
    schema = _resolve(document, schema)
    names = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        names |= required_names(document, part)
    return names


def property_schema(document, schema, name: str):
    """The schema of the top-level property ``name``, following ``$ref`` and ``allOf``."""
    schema = _resolve(document, schema)
    if name in schema.get("properties", {}):
        return schema["properties"][name]
    for part in schema.get("allOf", []):
        found = property_schema(document, part, name)
        if found is not None:
            return found
    return None


def operation(document, method: str, path: str) -> dict:
    assert path in document["paths"], f"{path} is not documented"
    operations = document["paths"][path]
    assert method in operations, f"{method.upper()} {path} is not documented"
    return operations[method]


def response_schema(document, method: str, path: str, status: str = "200"):
    responses = operation(document, method, path)["responses"]
    assert status in responses, f"{method.upper()} {path} answered {status}, which is not documented"
    response = responses[status]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    content = response.get("content")
    return content["application/json"]["schema"] if content else None


def validate_against(document, schema, value) -> None:
    full = {**schema, "components": document["components"]}
    errors = list(OAS31Validator(full).iter_errors(value))
    assert not errors, [e.message for e in errors]


def check_body(document, method: str, path: str, body, status: str = "200") -> None:
    """``body`` has every required top-level key of ``status``, no undocumented one, and validates."""
    schema = response_schema(document, method, path, status)
    assert schema is not None, f"{method.upper()} {path} {status} is documented without a body"
    keys_match(document, schema, body, f"{method.upper()} {path} {status}")
    validate_against(document, schema, body)


def keys_match(document, schema, body: dict, what: str) -> None:
    documented, required = property_names(document, schema), required_names(document, schema)
    assert set(body) <= documented, f"{what} answers undocumented keys {set(body) - documented}"
    assert required <= set(body), f"{what} lacks the required keys {required - set(body)}"


def check(document, method: str, path: str, response, *, sent=None):
    """Check a test-client ``response`` of ``method path`` (path as documented, e.g. ``/groups/{id}``);
    returns the JSON body (None for an empty answer)."""
    status = str(response.status_code)
    if sent is not None and response.status_code < 400:
        body_doc = operation(document, method, path).get("requestBody")
        assert body_doc, f"{method.upper()} {path} takes a body that is not documented"
        validate_against(document, body_doc["content"]["application/json"]["schema"], sent)
    schema = response_schema(document, method, path, status)
    if schema is None:
        assert not response.data, f"{method.upper()} {path} {status} has an undocumented body"
        return None
    assert response.is_json, f"{method.upper()} {path} {status} did not answer JSON"
    body = response.get_json()
    check_body(document, method, path, body, status)
    return body


def check_items(document, method: str, path: str, body: dict) -> None:
    """Every item of a list answer has exactly the documented keys of the list's item schema."""
    item_schema = property_schema(document, response_schema(document, method, path), "items")["items"]
    assert body["items"], f"{method.upper()} {path}: no items to compare"
    for item in body["items"]:
        assert "id" in item
        keys_match(document, item_schema, item, f"an item of {method.upper()} {path}")


def fetch_document(client) -> dict:
    """The served document, fetched without logging in (integrators read it first)."""
    response = client.get(API_PREFIX + "/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.get_json()
