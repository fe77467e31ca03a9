"""Amazon's usage plans: burst, then 429 QuotaExceeded, refilled by the clock (no real sleeping)."""

from amazon_sandbox.spec import all_operations

from .conftest import make_client

SEARCH = {"createdAfter": "2026-06-14T00:00:00Z", "maxResultsPerPage": 1}


def burst(spapi, times):
    return [spapi.call("searchOrders", **SEARCH).status for _ in range(times)]


def test_usage_plans_are_read_from_the_models():
    ops = all_operations()
    plans = {name: (ops[name].rate, ops[name].burst) for name in ("searchOrders", "getOrder", "createReport")}
    assert plans == {"searchOrders": (0.0056, 20), "getOrder": (0.5, 30), "createReport": (0.0167, 15)}


def test_search_orders_allows_its_burst_then_answers_429(spapi):
    statuses = burst(spapi, 21)
    assert statuses == [200] * 20 + [429]


def test_a_429_carries_amazons_error_and_the_rate_header(spapi):
    burst(spapi, 20)
    answer = spapi.call("searchOrders", **SEARCH)
    assert (answer.body["errors"][0]["code"], answer.headers["x-amzn-RateLimit-Limit"]) == ("QuotaExceeded", "0.0056")


def test_the_bucket_refills_at_the_documented_rate(spapi, clock):
    burst(spapi, 20)
    clock.advance(seconds=170)  # 0.0056 req/s: a token every ~178.6 s
    early = spapi.call("searchOrders", **SEARCH).status
    clock.advance(seconds=10)
    assert (early, spapi.call("searchOrders", **SEARCH).status) == (429, 200)


def test_each_selling_partner_has_its_own_bucket(spapi, sandbox, sandbox_url):
    burst(spapi, 20)
    other = make_client(sandbox, sandbox_url, sandbox.selling_partner_ids[1])
    assert other.call("searchOrders", **SEARCH).status == 200


def test_each_operation_has_its_own_bucket(spapi, marketplace):
    burst(spapi, 20)
    assert spapi.call("getOrder", orderId=marketplace.orders[0].order_id).status == 200
