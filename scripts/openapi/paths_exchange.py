"""paths of the 12345 work-order exchange (issue 16 item 1): not built yet. When its routes
land, describe them here as `Op`s (tag "Exchange", security "apiKey" — add the scheme in
build.py) and `scripts/generate-client`; OpenAPIDocumentTests will insist on it."""


def exchange_ops():
    return []
