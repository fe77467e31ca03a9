"""Customer Feedback API 2024-06-01: an item's review topics, trends and browse node, the
category's review and return topics; every answer checked against Amazon's model."""

from amazon_sandbox.customer_feedback_api import BROWSE_NODE
from amazon_sandbox.marketplace import US_MARKETPLACE_ID

MARKET = {"marketplaceId": US_MARKETPLACE_ID}


def test_an_item_has_its_ten_most_negative_and_positive_topics(spapi, marketplace):
    asin = marketplace.products[0].asin
    answer = spapi.call("getItemReviewTopics", asin=asin, sortBy="MENTIONS", **MARKET)
    topics = answer.body["topics"]
    assert answer.status == 200 and len(topics["negativeTopics"]) == len(topics["positiveTopics"]) == 10


def test_topics_sorted_by_mentions_come_most_mentioned_first(spapi, marketplace):
    asin = marketplace.products[0].asin
    negative = spapi.call("getItemReviewTopics", asin=asin, sortBy="MENTIONS", **MARKET).body["topics"][
        "negativeTopics"
    ]
    mentions = [t["asinMetrics"]["numberOfMentions"] for t in negative]
    assert mentions == sorted(mentions, reverse=True)


def test_the_same_item_gets_the_same_topics_on_every_call(spapi, marketplace):
    asin = marketplace.products[1].asin
    first = spapi.call("getItemReviewTopics", asin=asin, sortBy="STAR_RATING_IMPACT", **MARKET).body
    assert spapi.call("getItemReviewTopics", asin=asin, sortBy="STAR_RATING_IMPACT", **MARKET).body == first


def test_a_negative_topic_lowers_the_star_rating(spapi, marketplace):
    asin = marketplace.products[0].asin
    negative = spapi.call("getItemReviewTopics", asin=asin, sortBy="MENTIONS", **MARKET).body["topics"][
        "negativeTopics"
    ]
    assert all(t["asinMetrics"]["starRatingImpact"] < 0 for t in negative)


def test_trends_have_six_monthly_points(spapi, marketplace):
    answer = spapi.call("getItemReviewTrends", asin=marketplace.products[0].asin, **MARKET)
    assert answer.status == 200
    assert {len(t["trendMetrics"]) for t in answer.body["reviewTrends"]["negativeTopics"]} == {6}


def test_an_item_belongs_to_its_browse_node(spapi, marketplace):
    answer = spapi.call("getItemBrowseNode", asin=marketplace.products[0].asin, **MARKET)
    assert answer.body == {"browseNodeId": BROWSE_NODE[0], "displayName": BROWSE_NODE[1]}


def test_an_unknown_item_is_not_found(spapi):
    assert spapi.call("getItemReviewTopics", asin="B000000000", sortBy="MENTIONS", **MARKET).status == 404


def test_another_marketplace_is_refused(spapi, marketplace):
    answer = spapi.call("getItemBrowseNode", asin=marketplace.products[0].asin, marketplaceId="A1PA6795UKMFR9")
    assert answer.status == 400


def test_the_category_has_review_topics_and_return_topics(spapi):
    reviews = spapi.call("getBrowseNodeReviewTopics", browseNodeId=BROWSE_NODE[0], sortBy="MENTIONS", **MARKET)
    returns = spapi.call("getBrowseNodeReturnTopics", browseNodeId=BROWSE_NODE[0], **MARKET)
    assert reviews.status == returns.status == 200 and returns.body["topics"]


def test_category_trends_are_served(spapi):
    assert spapi.call("getBrowseNodeReviewTrends", browseNodeId=BROWSE_NODE[0], **MARKET).status == 200
    assert spapi.call("getBrowseNodeReturnTrends", browseNodeId=BROWSE_NODE[0], **MARKET).status == 200


def test_past_the_burst_amazon_answers_429(spapi, marketplace):
    asin = marketplace.products[0].asin
    statuses = [spapi.call("getItemBrowseNode", asin=asin, **MARKET).status for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
