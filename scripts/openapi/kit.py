"""Small helpers that spell JSON Schema (OpenAPI 3.1) for the Whistle document."""

S = {"type": "string"}
I = {"type": "integer"}
N = {"type": "number"}
B = {"type": "boolean"}
UUID = {"type": "string", "format": "uuid"}
DATE = {"type": "string", "format": "date-time", "description": "ISO 8601, seconds, with a zone (2026-03-02T01:00:00Z)"}
DAY = {"type": "string", "description": "A day, 2026-03-01"}
ANY_OBJECT = {"type": "object"}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def arr(item):
    return {"type": "array", "items": item}


def dict_of(value):
    return {"type": "object", "additionalProperties": value}


def enum(values, description=None):
    schema = {"type": "string", "enum": list(values)}
    if description:
        schema["description"] = description
    return schema


def desc(schema, text):
    return {**schema, "description": text}


def obj(required=None, optional=None, description=None):
    """An object: `required` keys are always present in answers; `optional` ones are left
    out when empty (Swift's encoder omits nil optionals — Whistle never sends null)."""
    required = required or {}
    optional = optional or {}
    schema = {"type": "object", "properties": {**required, **optional}}
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


def inputs(fields, required=(), description=None):
    """A request body: every field optional at the schema level unless named in `required`
    (the server answers a missing one with 422 `input.missing`, naming the field)."""
    schema = {"type": "object", "properties": dict(fields)}
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema
