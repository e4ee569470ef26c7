"""A small JSON Schema validator for the subset /api/v1/openapi.json uses ($ref, allOf,
oneOf, type, properties, required, additionalProperties, items, enum, const, maxLength,
minimum/maximum). jsonschema is not installed; this is enough to hold responses to
the document."""

from __future__ import annotations

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _is_type(value, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def errors(doc: dict, schema: dict, value, where: str = "$") -> list[str]:
    """Every way ``value`` breaks ``schema`` (empty when it conforms)."""
    if "$ref" in schema:
        target = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return errors(doc, target, value, where)
    found: list[str] = []
    for sub in schema.get("allOf", []):
        found += errors(doc, sub, value, where)
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not errors(doc, s, value, where)]
        if len(matching) != 1:
            # Name the problems of the variant meant (same "type"), if any.
            meant = [
                s
                for s in schema["oneOf"]
                if isinstance(value, dict) and s.get("$ref", "").endswith(f"_{value.get('type')}")
            ]
            detail = [e for s in meant or schema["oneOf"] for e in errors(doc, s, value, where)][:8]
            found.append(f"{where}: matches {len(matching)} of oneOf {detail}")
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, n) for n in names):
            return [*found, f"{where}: {value!r} is not {names}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str) and "maxLength" in schema and len(value) > schema["maxLength"]:
        found.append(f"{where}: longer than {schema['maxLength']}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{where}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{where}: above {schema['maximum']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{where}: {key} missing")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                found += errors(doc, props[key], item, f"{where}.{key}")
            elif extra is False:
                found.append(f"{where}: unexpected {key}")
            elif isinstance(extra, dict):
                found += errors(doc, extra, item, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += errors(doc, schema["items"], item, f"{where}[{i}]")
    return found


def response_schema(doc: dict, path: str, method: str, status: int) -> dict:
    responses = doc["paths"][path][method]["responses"]
    return responses[str(status)]["content"]["application/json"]["schema"]


def check(doc: dict, path: str, method: str, response) -> None:
    """Assert a WebTest response conforms to the document's schema for it."""
    schema = response_schema(doc, path, method, response.status_int)
    problems = errors(doc, schema, response.json)
    assert not problems, problems[:10]
