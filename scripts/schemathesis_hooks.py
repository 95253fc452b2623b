"""Schemathesis hooks for scripts/test (loaded through schemathesis.toml).

JSON Schema 2020-12 counts a whole float such as `2.0` as an integer, so Schemathesis sends some
generated integers in that spelling; the API's JSON reader (serde) takes integers only as written
without a fraction, which no schema can say. Whole floats in generated bodies go out as integers.
"""

import schemathesis


def _integral(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integral(item) for item in value]
    return value


@schemathesis.hook
def before_call(context, case, kwargs):
    if isinstance(case.body, (dict, list, float)):
        case.body = _integral(case.body)
