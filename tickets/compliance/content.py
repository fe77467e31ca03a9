"""The rules about what else a message contains: marketing, links, contact details, HTML,
emoji, and the phrases managers add.

Amazon's Communication Guidelines (notes/amazon.md §3): no "marketing or promotional
messages including coupons"; no "links to websites not needed to complete the order"
(links only "if secure https"); no "email addresses or phone numbers" (eComEngine: phone
numbers only for warranty, carriers or manufacturers); no emoji; "Do not include HTML".
"""

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from functools import cache
from itertools import accumulate, repeat
from typing import NamedTuple
from urllib.parse import urlsplit

from .literals import may_match, may_match_words, required, word_pieces
from .normalize import Document, read_words


def _set(words: str) -> frozenset[str]:
    """A word list written as one string, to keep long lists readable."""
    return frozenset(words.split())


Range = tuple[int, int, str]  # start, end (original offsets), detail for the message

_BOUNDARY = re.compile(r"\b")


@cache
def _needs(pattern: re.Pattern) -> tuple[frozenset[str], ...]:
    return required(pattern)


def _finditer_if_possible(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)``, skipped when the text lacks a string that every match
    contains (``literals.required``): a scan in C, where the pattern would be tried at
    every position of a long text."""
    return pattern.finditer(text) if may_match(_needs(pattern), text) else iter(())


def finditer_once_per_run(
    pattern: re.Pattern, text: str, *, runs: re.Pattern, lead: re.Pattern = _BOUNDARY
) -> Iterator[re.Match]:
    """The matches of ``pattern.finditer(text)``, for a pattern that opens with a run of
    characters and whose success does not depend on where in that run it starts (what
    follows the run decides: the "@" after an e-mail's name, the "next order" later in the
    sentence). ``finditer`` tries every position of a run, each scanning to the run's end,
    so "a-a-a-…" took quadratic time; this tries once per run, where ``finditer`` would
    first try (the first ``lead`` in the run not inside the previous match).

    ``runs`` finds the whole runs; it may leave out those that cannot start a match (no
    "@" after the name), so that the common case stays in the regular expression engine."""
    if not may_match(_needs(pattern), text):
        return
    end = 0
    for run in runs.finditer(text):
        if run.end() <= end:
            continue
        first = lead.search(text, max(run.start(), end), run.end())
        if first is None or first.start() >= run.end():
            continue
        match = pattern.match(text, first.start())
        if match:
            end = match.end()
            yield match


# --- marketing ------------------------------------------------------------------------
# Over the words' readings (``Document.joined``): "c0up0n" and "ＣＯＵＰＯＮ" read "coupon".
_PRODUCTS = (
    r"(?:products?|range|ranges|store|shop|storefront|collections?|catalog|catalogue|line|lineup|items|"
    r"accessories|listings|brand|selection|website|site|bundles?|deals|offers|models|blends|beans|grinders|"
    r"machines|kettles|releases)"
)
_CODES = r"discount|voucher|offer|referral|gift|promo|coupon|promotional"
_CODE_KINDS = frozenset(_CODES.split("|"))
_OFFERING = (
    r"(?:a|an|our|this|here s|here is|exclusive|special|with|send|get|receive|give|offer|enjoy|claim|use|apply"
    r"|redeem|enter)"
)
_MARKETING_WORDS = [
    re.compile(pattern)
    for pattern in (
        # Offering a code or coupon, not mentioning one ("the coupon you clipped did not apply").
        rf"\b{_OFFERING} (?:\w+ )?(?:coupons?|promo|promotions?|(?:{_CODES}) codes?)\b",
        r"\b(?:use|enter|apply|redeem) (?:the |my |our |this )?(?:promo |discount |coupon )?code\b",
        r"\bpromotional\b",
        r"\bnew arrivals?\b",
        r"\bjust (?:launched|landed|released|dropped)\b",
        r"\b(?:check out|browse|explore|discover|visit|shop|see|view|look at|try) (?:\w+ ){0,2}?(?:our|other) "
        rf"(?:\w+ ){{0,2}}?{_PRODUCTS}\b",
        r"\bour (?:other|new|latest|newest|full|entire|premium|bestselling|best selling|upcoming) (?:\w+ )?"
        rf"{_PRODUCTS}\b",
        r"\byou (?:might|may|will|would|ll|d) also (?:like|love|enjoy|want)\b",
        r"\b(?:customers|buyers) who bought\b",
        # "a sale", "our summer sale", "sale ends": not the Spanish verb ("el pedido sale hoy").
        r"\b(?:a|the|our|this|on|big|huge|flash|summer|winter|spring|autumn|holiday|clearance|anniversary|"
        r"seasonal|annual|special|great|mega|exclusive|upcoming|biggest|warehouse|prime day) sale\b"
        r"|\bsale (?:ends|starts|price|prices|event|items|now|this|today only|until)\b",
        r"\b(?:flash|summer|winter|spring|holiday|clearance|anniversary|seasonal|big|huge|annual) sales\b",
        r"\blimited (?:time|edition|offer)\b",
        r"\b(?:special|exclusive|limited|holiday|seasonal|introductory|bundle|bulk) (?:offers?|deals?|discounts?|"
        r"pricing|promotion)\b",
        r"\b(?:great|best|hot|weekly) deals?\b",
        r"\b(?:black friday|cyber monday|prime day (?:deals?|sale|discounts?|offers?))\b",
        r"\bbuy (?:one|1|two|2) get\b",
        r"\bbogo\b",
        r"\b(?:follow|tag|find) us\b",
        r"\blike us on\b",
        r"\bjoin (?:us on|our (?:community|group|club|newsletter|mailing list|vip|facebook|instagram|loyalty|list))\b",
        r"\bsubscribe (?:to )?(?:our|the|my) (?:channel|newsletter|list|youtube|mailing)\b",
        r"\b(?:instagram|facebook|tiktok|twitter|pinterest|linkedin|snapchat)\b",
        r"\byoutube channel\b",
        r"\b(?:newsletter|mailing list|email list|vip list|refer a friend|referral program)\b",
        r"\b(?:loyalty|rewards) (?:program|programme|club|card|points)\b",
        r"\b(?:shop|buy|order) now\b",
        r"\bour (?:website|webshop|web shop|online shop|online store|amazon store|brand store|storefront)\b",
        r"\bupgrade to (?:our|the) (?:pro|premium|deluxe|plus|new|latest|next)\b",
        r"\b(?:while (?:stocks|supplies) last|stock up on)\b",
    )
]
# A saving and a later order anywhere in one sentence ("10% off … your next order"), read
# once per sentence that holds the first of them (``finditer_once_per_run``): "off off off …"
# would be quadratic. Each entry: the pattern, its first part, the sentences to try.
_SAVING = r"\b(?:off|discount\w*|save|savings)\b"
_LATER_ORDER = r"\b(?:next|future|another) (?:order|purchase|visit)\b"
_MARKETING_SENTENCES = [
    (re.compile(rf"{first}[^|]*{then}"), re.compile(first), re.compile(rf"(?<![^|])(?=[^|]*?{first})[^|]++"))
    for first, then in ((_SAVING, _LATER_ORDER), (_LATER_ORDER, _SAVING))
]
# Over the folded text: "20% off", "save $15", "save up to 30%".
# (?<!\d): a number is tried from its first digit only, so a long run of digits stays linear.
_MARKETING_TEXT = re.compile(
    r"(?<!\d)\d+\s?%\s?off\b|\bsave\s+(?:up\s+to\s+)?(?:[$€£]\s?\d|\d+\s?%)"
    # A price "for just / für nur / pour seulement / por solo / a soli …": something sold.
    r"|\b(?:for|für|pour|por|per|a)\s+(?:just|only|nur|seulement|solo|sólo|soli|solamente|appena)\s+"
    r"(?:[$€£]\s?\d|\d+(?:[.,]\d{2})?\s?(?:[$€£]|eur\b|euro|gbp\b|usd\b))"
)


_SOCIAL = _set("instagram facebook tiktok twitter pinterest linkedin snapchat")
# The product's notifications in the six languages ("notifications", "Benachrichtigungen", "通知").
_FEATURE_STEMS = ("notif", "benachrichtig", "mitteilung", "alert", "avvis", "aviso", "通知")


def _names_a_feature(doc: Document, sentence: int) -> bool:
    span = doc.sentences[sentence]
    return any(any(stem in doc.texts[k] for stem in _FEATURE_STEMS) for k in range(span.start, span.stop))


_NEGATIONS = _set("not t cannot unable never")
_OFFER_VERBS = _set("offer give provide apply have send issue")


def marketing(doc: Document) -> list[Range]:
    found = []
    for match in _marketing_matches(doc):
        first, last = doc.words_at(match.start(), match.end())
        sentence = doc.sentence_of[first]
        before = [doc.texts[k] for k in range(max(first - 4, 0), first + 1) if doc.sentence_of[k] == sentence]
        negated = [k for k, text in enumerate(before) if text in _NEGATIONS]
        if negated and set(before[negated[0] + 1 :]) & _OFFER_VERBS:
            continue  # "we can't offer a discount code" offers nothing
        if "amazon" in doc.texts[first : last + 1]:
            continue  # "an Amazon promotion", "the Amazon coupon": Amazon's, not the seller's
        if doc.texts[first] in _SOCIAL and _names_a_feature(doc, sentence):
            continue  # "the watch shows Instagram notifications": the product's feature
        found.append((*doc.span(first, last), ""))
    if may_match(_MARKETING_TEXT_NEEDS, doc.flat):
        found += [(m.start(), m.end(), "") for m in _MARKETING_TEXT.finditer(doc.flat)]
    found += _code_offers(doc)
    found += _code_savings(doc)
    return found


# What each pattern cannot match without: most messages lack the words of most patterns,
# and a scan for a word is much faster than the pattern tried at every position.
_MARKETING_WORDS_NEEDS = [(pattern, word_pieces(required(pattern))) for pattern in _MARKETING_WORDS]
_MARKETING_SENTENCES_NEEDS = [(entry, word_pieces(required(entry[0]))) for entry in _MARKETING_SENTENCES]
_MARKETING_TEXT_NEEDS = required(_MARKETING_TEXT)


def _marketing_matches(doc: Document) -> Iterator[re.Match]:
    # ``doc.joined`` is only built when a pattern may match.
    for pattern, needs in _MARKETING_WORDS_NEEDS:
        if may_match_words(needs, doc.vocabulary):
            yield from pattern.finditer(doc.joined)
    for (pattern, first, sentences), needs in _MARKETING_SENTENCES_NEEDS:
        if may_match_words(needs, doc.vocabulary):
            yield from finditer_once_per_run(pattern, doc.joined, runs=sentences, lead=first)


def _code_offers(doc: Document) -> list[Range]:
    """A code on offer: "coupon code BREW10", "promo code CREMA". Read from the original
    characters (capitals, digits), since the words' readings lose them."""
    texts, starts, ends = doc.texts, doc.starts, doc.ends
    found: list[Range] = []
    for i in doc.positions({"code", "codes"}):
        if 0 < i < len(texts) - 1 and texts[i - 1] in _CODE_KINDS:
            following = doc.text[starts[i + 1] : ends[i + 1]]
            if len(following) >= 4 and (following.isupper() or any(ch.isdigit() for ch in following)):
                found.append((starts[i - 1], ends[i + 1], ""))
    return found


# "With the code SLEEP20 you get 20% off", "avec le code DRAPS15 … 15 %", "コードNEMURI20で…20％":
# a code written like a voucher (capitals and digits) in the sentence of a saving (a percentage
# or a sum), whatever the words around it. An error code ("code E4") or an order number
# names no saving.
_VOUCHER = re.compile(
    r"(?i:\b(?:code|codes|código|codigo|codice|gutschein|coupon|cupón|cupon|voucher)|コード|クーポン)"
    r"\s*[:：]?\s*[«\"“„'‘(]?\s*(?=[A-Z0-9]{4})([A-Z][A-Z0-9]*[0-9][A-Z0-9]*|[A-Z]{4,})(?![A-Za-z0-9-])"
)
_FAULT = re.compile(r"(?:error|fehler|erreur|errore|エラー)\W{0,3}$", re.I)
_SAVING = re.compile(r"\d\s?[%％]|[€$£¥]\s?\d|\d\s?(?:€|eur\b|euro|円)")
_SENTENCE_END = re.compile(r"[.!?。！？\n](?:\s|$)|[。！？]")


def _code_savings(doc: Document) -> list[Range]:
    text = doc.text
    if not _SAVING.search(text):
        return []
    found: list[Range] = []
    for match in _VOUCHER.finditer(text):
        if _FAULT.search(text[max(0, match.start() - 12) : match.start()]):
            continue  # "error code E404"
        # The match's sentence: from the end of the one before to its own end.
        ends = _SENTENCE_END.finditer(text, max(0, match.start() - 300), match.start())
        start = max((m.end() for m in ends), default=0)
        stop = _SENTENCE_END.search(text, match.end())
        sentence = text[start : stop.end() if stop else len(text)]
        if _SAVING.search(sentence):
            found.append((match.start(), match.end(), ""))
    return found


# --- links ------------------------------------------------------------------------------
_SCHEME_URL = re.compile(r"\b([a-z][a-z0-9+.\-]{1,15})://[^\s<>\"'`]*")
_WWW = re.compile(r"(?<![\w.@/-])www\.[^\s<>\"'`]+")
_BARE = re.compile(
    r"(?<![\w.@/:-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,13}))\b(/[^\s<>\"'`]*)?(?![\w@-])"
)
# A domain without "/" counts as a link only with a top-level domain people type; a path
# makes any domain one ("amzn.to/3xY"). Not "it", "in", "to": "the box.It was" is a typo.
_LINK_TLDS = _set(
    "com net org io co shop store ly info biz app dev online site xyz link me example uk de eu us ca au "
    "fr es nl tv gl ai gg page club live top"
)
# The name before the spelt "dot" may end inside a run ("example-dot com"), but a later start
# in the run only sees fewer such places: one try per run (``finditer_once_per_run``), and
# only for the runs with a "dot" in them or just after them.
_DOMAIN_RUN = re.compile(r"(?<![a-z0-9-])(?:[a-z0-9-]++(?=\s*[\[({]?\s*dot)|(?=[a-z0-9-]*?dot)[a-z0-9-]++)")
_SPELT_DOMAIN = re.compile(r"\b[a-z0-9-]+\s*[\[({]?\s*\bdot\b\s*[\])}]?\s*(?:com|net|org|io|co|shop|store|biz|info)\b")
# "voltrad punkt de schrägstrich …", "cyclaro point fr", "pedalia punto es", "… ドット ジェイピー": the
# word for "dot" in the marketplace languages, then a top-level domain.
_SPELT_DOMAIN_OTHER = re.compile(
    r"\b[a-z0-9-]{3,}\s+(?:punkt|point|punto|dot)\s+(?:de|fr|es|it|com|net|org|eu|at|ch|be|co|uk|jp|shop)\b"
    r"|[\u30a0-\u30ff]{2,}\s*ドット\s*(?:ジェイピー|コム|ネット|jp|com)"
)
_AMAZON = re.compile(r"(?:^|\.)amazon\.(?:com|ca|de|fr|it|es|nl|se|pl|in|sg|ae|sa|eg|cn|co\.uk|co\.jp|com\.[a-z]{2})$")
_TRAILING = ".,;:!?)]}'\""


def _domain(value: str) -> str:
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.split("/")[0].rstrip(".")
    for prefix in ("*.", "www."):
        value = value.removeprefix(prefix)
    return value


def _host_allowed(host: str, allowed: frozenset[str], *, depth: int) -> bool:
    """``host`` is an allowed domain or a subdomain of one (``depth``: the most labels an
    allowed domain has). Only the host's last few labels are looked up, rather than every
    allowed domain compared with the host (up to a hundred per link)."""
    if host in allowed:
        return True
    labels = host.rsplit(".", depth)
    return any(".".join(labels[k:]) in allowed for k in range(1, len(labels)))


def _covering(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a position lies in one of ``spans`` (the links already read), answered by
    bisection: a message of many links would otherwise compare each with every other."""
    spans = sorted(spans)
    starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))  # the furthest end so far

    def covers(position: int) -> bool:
        k = bisect_right(starts, position) - 1
        return k >= 0 and reach[k] > position

    return covers


# --- which https links the order needs -----------------------------------------------------
# Amazon allows links "only if secure https and needed to complete the order" (notes/amazon.md
# §3). Always needed: Amazon's own pages, the domains the account allows (a manager vouches for
# its manual or guide site once) and a carrier's tracking page. A link to the brand's own site,
# even to its manual or warranty page, is not for the guard to vouch for: blind test writers
# label it a violation. In a sentence about the order it is *unvouched* (a manager approves the
# message or adds the domain); in a proactive message, which the buyer did not ask for, and in
# any other sentence it is refused. What a sentence is about is read from its concepts
# (``concepts``, six languages): GUIDE (a manual, guide, instructions, setup, troubleshooting,
# care) and TRACK (tracking, carrier, return, warranty, invoice). A proactive message needs the
# topic in the link's own sentence; a reply may name it in the sentence before the link.
_ABOUT_THE_ORDER = frozenset({"GUIDE", "TRACK"})
# A sentence that sells, markets or speaks of reviews is no help with the order.
_NOT_ABOUT_THE_ORDER = frozenset(
    {"SHOP", "MARKETING", "ANNOUNCE", "PROMO", "NEW_RANGE", "NEXT_ORDER", "REVIEW", "SHARE", "POSITIVE", "MESSENGER"}
)
# Hosts nobody can vouch for: shorteners hide where they lead, file and page hosts carry
# anyone's files, and a shop's host sells.
_UNVOUCHED_HOSTS = _set(
    "bit.ly bitly.com tinyurl.com t.co goo.gl ow.ly is.gd buff.ly rebrand.ly cutt.ly shorturl.at rb.gy "
    "tiny.cc lnkd.in s.id t.ly v.gd qr.co linktr.ee "
    "drive.google.com docs.google.com sites.google.com dropbox.com dl.dropboxusercontent.com wetransfer.com "
    "we.tl mega.nz mediafire.com onedrive.live.com 1drv.ms box.com icloud.com sharepoint.com "
    "blogspot.com wordpress.com wixsite.com weebly.com github.io notion.site pastebin.com "
    "forms.gle typeform.com surveymonkey.com"
)
# The carriers that deliver for the six marketplaces: a link to one of their hosts is the
# order's tracking page, needed to complete it (a reply may carry it; the carrier named
# in the sentence before, "You can follow it here:", is enough), unless its sentence sells.
_CARRIER_HOSTS = _set(
    "ups.com fedex.com usps.com ontrac.com dhl.com dhl.de dhl.fr dhl.es dhl.it dhl.co.uk dhl.co.jp "
    "deutschepost.de dpd.com dpd.de dpd.fr dpd.co.uk dpd.it dpd.es hermesworld.com myhermes.de evri.com "
    "gls-group.eu gls-group.com gls-italy.com gls-spain.es gls-pakete.de royalmail.com parcelforce.com "
    "yodel.co.uk laposte.fr colissimo.fr chronopost.fr mondialrelay.fr colisprive.com correos.es seur.com "
    "mrw.es nacex.es ctt.pt poste.it brt.it sda.it tnt.com inpost.it inpost.es postnl.nl bpost.be post.at "
    "post.ch japanpost.jp kuronekoyamato.co.jp sagawa-exp.co.jp canadapost-postescanada.ca canadapost.ca"
)
_SHOP_LABELS = _set("shop shops store stores outlet deals sale sales buy kaufen boutique tienda negozio")
_SHOP_TLDS = _set("shop store deals sale buy")


class LinkStanding(StrEnum):
    NEEDED = "needed"  # it passes
    UNVOUCHED = "unvouched"  # a manager approves it (held) or adds its domain
    REFUSED = "refused"


def link_standing(
    url: str, host: str, topics: frozenset[str], *, allowed: frozenset[str] = frozenset()
) -> LinkStanding:
    """How an https link to ``host`` (neither Amazon nor an allowed domain) stands. Refused
    when its host cannot be vouched for (a shortener, file host, shop, bare address,
    user-info, punycode, Amazon or allowed-domain look-alike) or its sentence (``topics``:
    the sentence's concepts) is not about the order; needed when it is a carrier's tracking
    page; otherwise unvouched: only the account can vouch for a brand's own site."""
    labels = host.split(".")
    if (
        "@" in url.split("/", 3)[2]
        or host.replace(".", "").isdigit()
        or ":" in host
        or any(label.startswith("xn--") for label in labels)
        or "amazon" in host
        or any(domain in host for domain in allowed)  # "guides.brand.example.evil.io"
        or any(".".join(labels[k:]) in _UNVOUCHED_HOSTS for k in range(len(labels) - 1))
        or labels[-1] in _SHOP_TLDS
        or any(part in _SHOP_LABELS for label in labels[:-1] for part in label.split("-"))
        or topics & _NOT_ABOUT_THE_ORDER
    ):
        return LinkStanding.REFUSED
    if any(".".join(labels[k:]) in _CARRIER_HOSTS for k in range(len(labels) - 1)):
        return LinkStanding.NEEDED
    return LinkStanding.UNVOUCHED if topics & _ABOUT_THE_ORDER else LinkStanding.REFUSED


class Links(NamedTuple):
    """The links of a message the guard refuses, and those a manager must approve."""

    refused: list[Range]
    unvouched: list[Range]


def external_links(
    doc: Document,
    *,
    allowed_link_domains: Iterable[str],
    topics_at: Callable[[int], frozenset[str]] | None = None,
    proactive: bool = False,
) -> Links:
    """The links that are not https to Amazon or an allowed domain (subdomains included):
    refused, or unvouched when ``link_standing`` says so (``topics_at`` gives the concepts of
    the sentence a link stands in, by its offset). A ``proactive`` message, which no buyer
    asked for, has its unvouched links refused."""
    allowed = frozenset(_domain(d) for d in allowed_link_domains) - {""}
    depth = max((domain.count(".") + 1 for domain in allowed), default=0)
    flat = doc.flat
    found: list[Range] = []
    unvouched: list[Range] = []
    taken: list[tuple[int, int]] = []

    def check(start: int, end: int, scheme: str | None, host: str) -> None:
        taken.append((start, end))
        if host.isascii() and _AMAZON.search(host):
            return  # Amazon's own pages are always fine
        if not host:
            found.append((start, end, "(This link has no valid address.)"))
        elif _host_allowed(host, allowed, depth=depth):
            if scheme != "https":
                found.append((start, end, "(Write it as a secure https:// link.)"))
        elif scheme != "https":
            found.append((start, end, "(Write it as a secure https:// link, and only where the order needs it.)"))
        else:
            topics = topics_at(start) if topics_at else frozenset()
            standing = link_standing(flat[start:end], host, topics, allowed=allowed)
            if standing is LinkStanding.NEEDED:
                return
            detail = f"({host} is not one of this account's allowed link domains.)"
            if standing is LinkStanding.UNVOUCHED and not proactive:
                unvouched.append((start, end, detail))
            else:
                found.append((start, end, detail))

    for match in _finditer_if_possible(_SCHEME_URL, flat):
        url = match.group().rstrip(_TRAILING)
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        check(match.start(), match.start() + len(url), match[1], host)
    for pattern in (_WWW, _BARE):
        # The links this pass finds do not overlap, so those read before it are enough.
        covers = _covering(taken)
        for match in _finditer_if_possible(pattern, flat):
            if covers(match.start()):
                continue
            if pattern is _BARE and match[2] not in _LINK_TLDS and not match[3]:
                continue
            url = match.group().rstrip(_TRAILING)
            check(match.start(), match.start() + len(url), None, _domain(url))
    covers = _covering(taken)
    for match in finditer_once_per_run(_SPELT_DOMAIN, flat, runs=_DOMAIN_RUN):
        if not covers(match.start()):
            found.append((match.start(), match.end(), "(A web address spelt out is still a link.)"))
    for match in _finditer_if_possible(_SPELT_DOMAIN_OTHER, flat):
        if not covers(match.start()):
            found.append((match.start(), match.end(), "(A web address spelt out is still a link.)"))
    return Links(found, unvouched)


# --- contact details ------------------------------------------------------------------------
# An address's name is a run of these characters that only what follows it ("@", " [at] ")
# can make an address: read once per run (``finditer_once_per_run``), not once per character.
_EMAIL_NAME = re.compile(r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]++(?=@)")
_SPELT_EMAIL_NAME = re.compile(r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]++(?=\s*[\[({]at[\])}]|\s+at\s+)")
_ANYWHERE = re.compile("")
_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}")
_SPELT_EMAIL = re.compile(
    r"\b[a-z0-9._%+\-]+\s*(?:[\[({]at[\])}])\s*[a-z0-9\-]+\s*(?:[\[({]dot[\])}]|\.|\bdot\b)\s*[a-z]{2,}\b"
    r"|\b[a-z0-9._%+\-]+\s+at\s+[a-z0-9\-]+\s+dot\s+[a-z]{2,}\b"
)
# The lookahead (3 to 27 digits, then no letter or digit) is what any match has: it turns
# away at once the starts where the groups could only fail after trying every split of a
# long run of digits ("+" and 30 digits took a millisecond each).
_PHONE_INTL = re.compile(
    r"\+(?<![\w+]\+)(?=\s?(?:[\s.\-()]*+\d){3,27}\)?(?!\w))\s?\d{1,3}(?:[\s.\-]?\(?\d{1,4}\)?){2,6}(?!\w)"
)
_PHONE_NANP = re.compile(r"(?<![\w\-])(?:1[\s.\-])?(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}(?![\w\-])")
_PHONE_CUE = re.compile(
    r"\b(?:call|phone|tel|telephone|mobile|cell|whatsapp|ring|dial|hotline|helpline|text (?:us|me))\b"
    r"[^\n\d]{0,20}?(\(?\d[\d\s().\-]{5,}\d)"
)
# The same cue in the other marketplace languages ("Rufen Sie uns an unter …", "お電話は …").
# Japanese has no word boundaries, so its cue stands anywhere.
_PHONE_CUE_OTHER = re.compile(
    r"(?:\b(?:telefon\w*|tél[ée]phone\w*|tel[ée]fono\w*|anrufen|rufen|appelez|appeler|llám\w+|llamar|chiam\w+)\b"
    r"|電話|でんわ)[^\n\d]{0,20}?(\(?\d[\d\s().\-]{5,}\d)"
)
# A number in a marketplace's national format, without a word for "phone" before it
# ("erreichen Sie direkt unter 089 4412 7730", "joignable au 01 84 25 66 10", "en el 912 45 67
# 80", "03-5412-7788"): a trunk 0 and groups of digits, or Spain's nine digits in pairs or
# threes. A date ("05-12-2026") is not one.
_PHONE_NATIONAL = re.compile(
    r"(?<![\w+\-/.,:])(?:0\d{1,4}(?:[ \-]\d{2,4}){2,4}|[6789]\d{2}(?:[ \-]\d{2}){3}|[6789]\d{2}(?:[ \-]\d{3}){2})"
    r"(?![\w\-/]|[.,]\d)"
)
_DATE = re.compile(r"\d{1,2}-\d{1,2}-\d{2,4}")
_ORDER_ID = re.compile(r"\b\d{3}-\d{7}-\d{7}\b")
# A phone number spelt out in words ("null-eins-sieben-zwei …", "zéro six, trente-neuf …",
# "ゼロイチニーゼロ"): a run of at least seven digit words of one language, between spaces,
# hyphens, commas or "・". Tens count as words too (French gives numbers in pairs).
_DIGIT_WORDS = {
    "en": "zero oh one two three four five six seven eight nine",
    "de": "null eins zwei drei vier funf fuenf sechs sieben acht neun",
    "fr": "zero un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "vingt trente quarante cinquante soixante",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve",
    "it": "zero uno due tre quattro cinque sei sette otto nove",
}
_SPELT_PHONE = re.compile(
    "|".join(rf"\b(?:(?:{'|'.join(words.split())})(?:[\s,\-–]+|$)){{7,}}" for words in _DIGIT_WORDS.values())
    + r"|(?:(?:ゼロ|れい|イチ|ニー|ニ|サン|ヨン|ゴー|ゴ|ロク|ナナ|ハチ|キュウ)[・、\s\-ー]*){7,}"
)
# Digits after these words are not phone numbers: "tracking 7712 3456 7890".
_NOT_PHONE_CUE = re.compile(r"(?:tracking|order|serial|model|invoice|case|ref|reference|asin|sku|part|batch)\W*$")


def contact_details(doc: Document, *, phones_allowed: bool) -> list[Range]:
    flat = doc.flat
    found: list[Range] = []
    emails = finditer_once_per_run(_EMAIL, flat, runs=_EMAIL_NAME, lead=_ANYWHERE)
    spelt = finditer_once_per_run(_SPELT_EMAIL, flat, runs=_SPELT_EMAIL_NAME)
    for match in (*emails, *spelt):
        found.append((match.start(), match.end(), "(An email address.)"))
    if phones_allowed:
        return found
    for match in _finditer_if_possible(_SPELT_PHONE, flat):
        found.append((match.start(), match.end(), "(A phone number spelt out in words.)"))
    orders = [m.span() for m in _finditer_if_possible(_ORDER_ID, flat)]
    order_ends = [b for _, b in orders]  # in order: the order ids do not overlap
    for pattern in (_PHONE_INTL, _PHONE_NANP, _PHONE_CUE, _PHONE_CUE_OTHER, _PHONE_NATIONAL):
        for match in _finditer_if_possible(pattern, flat):
            start, end = match.span(match.lastindex or 0)
            digits = sum(ch.isdigit() for ch in flat[start:end])
            national = pattern is _PHONE_NATIONAL
            if not 7 <= digits <= 15 or (national and (digits < 9 or _DATE.fullmatch(flat[start:end]))):
                continue
            k = bisect_right(order_ends, start)  # the first order id ending after the start
            if k < len(orders) and orders[k][0] < end:
                continue
            if _NOT_PHONE_CUE.search(flat[max(0, start - 20) : start]):
                continue
            found.append((start, end, "(A phone number.)"))
    return found


# --- HTML and emoji --------------------------------------------------------------------------
_HTML = re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>|<!--|&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});")


def html(doc: Document) -> list[Range]:
    return [(m.start(), m.end(), "") for m in _finditer_if_possible(_HTML, doc.flat)]


# Pictographs: the emoji blocks, misc symbols and dingbats (☕ ✔ ⭐), and the emoji
# modifiers. Not arrows (→ is common in instructions) nor ™ © ®, unless drawn as emoji, nor
# the typographic stars ★ ☆ (not emoji in Unicode; Japanese marks positions with them, "★印").
# A star asking for a rating is still read by the review rules ("★★★★★", "★5のレビュー").
_PICTOGRAPH_RANGES = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x2604),
    (0x2607, 0x27BF),
    (0x2B00, 0x2BFF),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0xFE0F, 0xFE0F),
    (0x20E3, 0x20E3),
    (0xE0020, 0xE007F),
)
_PICTOGRAPH = "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _PICTOGRAPH_RANGES)
# A pictograph and what follows it joined (other pictographs, zero-width joiners, the
# emoji presentation selector U+FE0F): one regular expression rather than a loop per character.
_EMOJI = re.compile(f"[{_PICTOGRAPH}][{_PICTOGRAPH}\u200d\ufe0f]*")


def emoji(doc: Document) -> list[Range]:
    found: list[Range] = []
    text = doc.text
    for match in _EMOJI.finditer(text):
        i = match.start()
        start = i - 1 if i and text[i] == "\ufe0f" else i  # "©️": include the base character
        found.append((start, match.end(), ""))
    return found


# --- manager-added phrases ---------------------------------------------------------------------


def extra_phrases(doc: Document, *, phrases: Iterable[str]) -> list[Range]:
    """Phrases managers added, matched word by word on the same readings as everything
    else (so "Lifetime   GUARANTEE" and "lifetime guar4ntee" match "lifetime guarantee")."""
    phrases = list(phrases)
    readings = [read_words(phrase) for phrase in phrases]
    # Each word the phrases use becomes one character (any other word one that none uses),
    # so a phrase is found with ``str.find`` over the message's words, in time linear in
    # the message for each phrase, rather than by comparing word lists at every word.
    symbols: dict[str, str] = {}
    for wanted in readings:
        for word in wanted:
            symbols.setdefault(word, chr(0x10000 + len(symbols)))
    message = "".join(map(symbols.get, doc.texts, repeat("\0")))
    found: list[Range] = []
    for phrase, wanted in zip(phrases, readings, strict=True):
        if not wanted:
            needle = phrase.strip().casefold()
            if needle:
                found += [(m.start(), m.end(), f"(“{phrase}”)") for m in re.finditer(re.escape(needle), doc.flat)]
            continue
        sought = "".join(symbols[word] for word in wanted)
        detail = f"(“{phrase.strip()}”)"
        last = len(wanted) - 1  # a match at word i ends at word i + last
        i = message.find(sought)
        while i != -1:
            found.append((*doc.span(i, i + last), detail))
            # The matches after it that each share a word with the one before overlap it and
            # merge into it in the verdict ("1 1 1 …" against "1 1": thousands of them): they
            # are added as one span from it, after it (so that it still names the stretch).
            end = i
            following = message.find(sought, i + 1)
            while following != -1 and following <= end + last:
                end = following
                following = message.find(sought, following + 1)
            if end > i:
                found.append((*doc.span(i, end + last), detail))
            i = following
    return found
