"""Customer Feedback API 2024-06-01: review topics, trends, browse nodes and return topics.

Amazon computes these from its reviews and returns; the sandbox makes them up, the same for
the same seed and ASIN, from a catalogue of topics in Amazon's wording (``TOPICS``), so the
desk's fetch, history and insights page have realistic answers: an item's ten most positive
and ten most negative topics with mentions, occurrence and star-rating impact, its
category's (browse node's) figures beside them, six monthly trend points, and the
category's return topics. The model states no usage plan for these operations:
``USAGE_PLAN`` is the sandbox's (UNVERIFIED against Amazon's documentation).
"""

import random
from datetime import UTC, datetime, timedelta

from .errors import ApiError

USAGE_PLAN = (1.0, 10)  # requests per second, burst
COUNTRY = "US"
BROWSE_NODE = ("2251593011", "Coffee, Tea & Espresso Accessories")
# Amazon's topic names as Seller Central shows them (negative, positive); short quotes for snippets.
NEGATIVE = [
    ("Durability", "stopped working after a month"),
    ("Value for money", "overpriced for what you get"),
    ("Damaged on arrival", "arrived with a cracked lid"),
    ("Missing parts", "the lid was not in the box"),
    ("Accuracy of description", "smaller than the photos suggest"),
    ("Ease of use", "hard to clean"),
    ("Build quality", "feels flimsy"),
    ("Delivery", "took two weeks to arrive"),
    ("Leaks", "drips when pouring"),
    ("Noise", "very loud"),
]
POSITIVE = [
    ("Ease of use", "simple to set up"),
    ("Value for money", "great value"),
    ("Build quality", "solid and well made"),
    ("Durability", "still going after a year"),
    ("Design", "looks great on the counter"),
    ("Packaging", "well packed"),
    ("Delivery", "arrived fast"),
    ("Taste", "coffee tastes great"),
    ("Size", "perfect size"),
    ("Accuracy of description", "exactly as described"),
]
RETURNS = ["Defective", "Not as described", "Arrived damaged", "Missing parts", "No longer needed", "Wrong item"]
MONTHS = 6


def _rng(*parts: str) -> random.Random:
    return random.Random("|".join(parts))


def _window(now: datetime) -> tuple[datetime, datetime]:
    """The last six whole months, as Amazon reports them."""
    end = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = end
    for _ in range(MONTHS):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, end


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _date_range(now: datetime) -> dict:
    start, end = _window(now)
    return {"startDate": _iso(start), "endDate": _iso(end)}


def _months(now: datetime) -> list[dict]:
    start, _end = _window(now)
    out = []
    for _ in range(MONTHS):
        following = (start + timedelta(days=32)).replace(day=1)
        out.append({"startDate": _iso(start), "endDate": _iso(following)})
        start = following
    return out


def _product(call, asin: str):
    _check_marketplace(call)
    for product in call.marketplace.products:
        if product.asin == asin:
            return product
    raise ApiError(404, "NotFound", f"No item {asin} in the marketplace.")


def _check_marketplace(call) -> None:
    if call.params["marketplaceId"] != call.marketplace.marketplace_id:
        raise ApiError(400, "InvalidInput", "Unknown marketplaceId.")


def _browse_node(call, browse_node_id: str) -> None:
    _check_marketplace(call)
    if browse_node_id != BROWSE_NODE[0]:
        raise ApiError(404, "NotFound", f"No browse node {browse_node_id}.")


def _category(topic: str, kind: str) -> tuple[float, float]:
    """The category's occurrence (%) and star-rating impact for a topic."""
    rng = _rng("node", topic, kind)
    impact = rng.uniform(0.02, 0.25) * (-1 if kind == "negative" else 1)
    return round(rng.uniform(1, 12), 2), round(impact, 3)


def _item_topics(call, asin: str) -> dict:
    rng = _rng(str(call.sandbox.seed), call.marketplace.selling_partner_id, asin)
    out = {}
    for kind, catalogue in (("negative", NEGATIVE), ("positive", POSITIVE)):
        topics = []
        for name, snippet in rng.sample(catalogue, k=len(catalogue)):
            mentions = rng.randint(3, 180)
            impact = rng.uniform(0.01, 0.4) * (-1 if kind == "negative" else 1)
            node_occurrence, node_impact = _category(name, kind)
            topics.append(
                {
                    "topic": name,
                    "asinMetrics": {
                        "numberOfMentions": mentions,
                        "occurrencePercentage": round(rng.uniform(0.5, 20), 2),
                        "starRatingImpact": round(impact, 3),
                    },
                    "browseNodeMetrics": {
                        "occurrencePercentage": {"allProducts": node_occurrence},
                        "starRatingImpact": {"allProducts": node_impact},
                    },
                    "reviewSnippets": [snippet],
                    "subtopics": [
                        {
                            "subtopic": snippet.capitalize(),
                            "metrics": {
                                "numberOfMentions": max(1, mentions // 3),
                                "occurrencePercentage": round(rng.uniform(0.1, 5), 2),
                            },
                            "reviewSnippets": [snippet],
                        }
                    ],
                }
            )
        out[kind] = topics
    return out


def _item_header(call, product) -> dict:
    return {
        "asin": product.asin,
        "itemName": product.title,
        "marketplaceId": call.marketplace.marketplace_id,
        "countryCode": COUNTRY,
        "dateRange": _date_range(call.now),
    }


def get_item_review_topics(call) -> tuple[int, dict]:
    product = _product(call, call.params["asin"])
    topics = _item_topics(call, product.asin)
    key = "numberOfMentions" if call.params["sortBy"] == "MENTIONS" else "starRatingImpact"
    ordered = {
        f"{kind}Topics": sorted(items, key=lambda t: -abs(t["asinMetrics"][key])) for kind, items in topics.items()
    }
    return 200, {**_item_header(call, product), "topics": ordered}


def get_item_browse_node(call) -> tuple[int, dict]:
    _product(call, call.params["asin"])
    return 200, {"browseNodeId": BROWSE_NODE[0], "displayName": BROWSE_NODE[1]}


def get_item_review_trends(call) -> tuple[int, dict]:
    product = _product(call, call.params["asin"])
    trends = {}
    for kind, items in _item_topics(call, product.asin).items():
        trends[f"{kind}Topics"] = [
            {"topic": topic["topic"], "trendMetrics": _trend(call, product.asin, topic)} for topic in items
        ]
    return 200, {**_item_header(call, product), "reviewTrends": trends}


def _trend(call, asin: str, topic: dict) -> list[dict]:
    """Six monthly points ending at the topic's current occurrence (some rise, some fall)."""
    rng = _rng("trend", call.marketplace.selling_partner_id, asin, topic["topic"])
    now = topic["asinMetrics"]["occurrencePercentage"]
    step = rng.uniform(-0.25, 0.25) * now / MONTHS
    node, _ = _category(topic["topic"], "negative" if topic["asinMetrics"]["starRatingImpact"] < 0 else "positive")
    points = []
    for i, months in enumerate(_months(call.now)):
        value = max(0.0, now - step * (MONTHS - 1 - i))
        points.append(
            {
                "dateRange": months,
                "asinMetrics": {"occurrencePercentage": round(value, 2)},
                "browseNodeMetrics": {"occurrencePercentage": {"allProducts": node}},
            }
        )
    return points


def _node_header(call) -> dict:
    return {
        "browseNodeId": BROWSE_NODE[0],
        "displayName": BROWSE_NODE[1],
        "marketplaceId": call.marketplace.marketplace_id,
        "countryCode": COUNTRY,
        "dateRange": _date_range(call.now),
    }


def get_browse_node_review_topics(call) -> tuple[int, dict]:
    _browse_node(call, call.params["browseNodeId"])
    topics = {}
    for kind, catalogue in (("negative", NEGATIVE), ("positive", POSITIVE)):
        items = []
        for name, snippet in catalogue:
            occurrence, impact = _category(name, kind)
            items.append(
                {
                    "topic": name,
                    "browseNodeMetrics": {
                        "occurrencePercentage": {
                            "topTwentyFivePercentProducts": round(occurrence * 0.7, 2),
                            "allProducts": occurrence,
                        },
                        "starRatingImpact": {
                            "topTwentyFivePercentProducts": round(impact * 0.8, 3),
                            "allProducts": impact,
                        },
                    },
                    "reviewSnippets": [snippet],
                }
            )
        topics[f"{kind}Topics"] = items
    return 200, {**_node_header(call), "topics": topics}


def get_browse_node_review_trends(call) -> tuple[int, dict]:
    _browse_node(call, call.params["browseNodeId"])
    trends = {}
    for kind, catalogue in (("negative", NEGATIVE), ("positive", POSITIVE)):
        trends[f"{kind}Topics"] = [
            {
                "topic": name,
                "trendMetrics": [
                    {
                        "dateRange": months,
                        "browseNodeMetrics": {
                            "occurrencePercentage": {
                                "topTwentyFivePercentProducts": round(_category(name, kind)[0] * 0.7, 2),
                                "allProducts": _category(name, kind)[0],
                            }
                        },
                    }
                    for months in _months(call.now)
                ],
            }
            for name, _snippet in catalogue
        ]
    return 200, {**_node_header(call), "reviewTrends": trends}


def _return_share(topic: str) -> float:
    return round(_rng("return", topic).uniform(2, 30), 2)


def get_browse_node_return_topics(call) -> tuple[int, dict]:
    _browse_node(call, call.params["browseNodeId"])
    topics = [
        {"topic": topic, "browseNodeMetrics": {"occurrencePercentage": {"allProducts": _return_share(topic)}}}
        for topic in RETURNS
    ]
    return 200, {**_node_header(call), "topics": topics}


def get_browse_node_return_trends(call) -> tuple[int, dict]:
    _browse_node(call, call.params["browseNodeId"])
    trends = [
        {
            "topic": topic,
            "trendMetrics": [
                {
                    "dateRange": months,
                    "browseNodeMetrics": {"occurrencePercentage": {"allProducts": _return_share(topic)}},
                }
                for months in _months(call.now)
            ],
        }
        for topic in RETURNS
    ]
    return 200, {**_node_header(call), "returnTrends": trends}


HANDLERS = {
    "getItemReviewTopics": get_item_review_topics,
    "getItemBrowseNode": get_item_browse_node,
    "getItemReviewTrends": get_item_review_trends,
    "getBrowseNodeReviewTopics": get_browse_node_review_topics,
    "getBrowseNodeReviewTrends": get_browse_node_review_trends,
    "getBrowseNodeReturnTopics": get_browse_node_return_topics,
    "getBrowseNodeReturnTrends": get_browse_node_return_trends,
}
