"""The rules about what else a message contains: marketing, links, contact details, HTML,
emoji, and the phrases managers add.

Amazon's Communication Guidelines (notes/amazon.md §3): no "marketing or promotional
messages including coupons"; no "links to websites not needed to complete the order"
(links only "if secure https"); no "email addresses or phone numbers" (eComEngine: phone
numbers only for warranty, carriers or manufacturers); no emoji; "Do not include HTML".
"""

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from .normalize import Document, read_words


def _set(words: str) -> frozenset[str]:
    """A word list written as one string, to keep long lists readable."""
    return frozenset(words.split())


Range = tuple[int, int, str]  # start, end (original offsets), detail for the message

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
        r"(?<!\bof )(?<!\bfor )(?<!\bafter )\bsale\b",
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
        r"\b(?:off|discount\w*|save|savings)\b[^|]*\b(?:next|future|another) (?:order|purchase|visit)\b",
        r"\b(?:next|future|another) (?:order|purchase|visit)\b[^|]*\b(?:off|discount\w*|save|savings)\b",
    )
]
# Over the folded text: "20% off", "save $15", "save up to 30%".
# (?<!\d): a number is tried from its first digit only, so a long run of digits stays linear.
_MARKETING_TEXT = re.compile(r"(?<!\d)\d+\s?%\s?off\b|\bsave\s+(?:up\s+to\s+)?(?:[$€£]\s?\d|\d+\s?%)")


_NEGATIONS = _set("not t cannot unable never")
_OFFER_VERBS = _set("offer give provide apply have send issue")


def marketing(doc: Document) -> list[Range]:
    found = []
    for pattern in _MARKETING_WORDS:
        for match in pattern.finditer(doc.joined):
            first, last = doc.words_at(match.start(), match.end())
            before = [
                w.text for w in doc.words[max(first - 4, 0) : first + 1] if w.sentence == doc.words[first].sentence
            ]
            negated = [k for k, text in enumerate(before) if text in _NEGATIONS]
            if negated and set(before[negated[0] + 1 :]) & _OFFER_VERBS:
                continue  # "we can't offer a discount code" offers nothing
            found.append((*doc.span(first, last), ""))
    found += [(m.start(), m.end(), "") for m in _MARKETING_TEXT.finditer(doc.flat)]
    found += _code_offers(doc)
    return found


def _code_offers(doc: Document) -> list[Range]:
    """A code on offer: "coupon code BREW10", "promo code CREMA". Read from the original
    characters (capitals, digits), since the words' readings lose them."""
    words = doc.words
    found: list[Range] = []
    for i in range(1, len(words) - 1):
        if words[i].text in {"code", "codes"} and words[i - 1].text in _CODE_KINDS:
            following = doc.text[words[i + 1].start : words[i + 1].end]
            if len(following) >= 4 and (following.isupper() or any(ch.isdigit() for ch in following)):
                found.append((words[i - 1].start, words[i + 1].end, ""))
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
_SPELT_DOMAIN = re.compile(r"\b[a-z0-9-]+\s*[\[({]?\s*\bdot\b\s*[\])}]?\s*(?:com|net|org|io|co|shop|store|biz|info)\b")
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


def _host_allowed(host: str, allowed: frozenset[str]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in allowed if domain)


def external_links(doc: Document, *, allowed_link_domains: Iterable[str]) -> list[Range]:
    """Links that are not https to Amazon or an allowed domain (subdomains included)."""
    allowed = frozenset(_domain(d) for d in allowed_link_domains)
    flat = doc.flat
    found: list[Range] = []
    taken: list[tuple[int, int]] = []

    def check(start: int, end: int, scheme: str | None, host: str) -> None:
        taken.append((start, end))
        if host.isascii() and _AMAZON.search(host):
            return  # Amazon's own pages are always fine
        if not host:
            found.append((start, end, "(This link has no valid address.)"))
        elif not _host_allowed(host, allowed):
            found.append((start, end, f"({host} is not one of this account's allowed link domains.)"))
        elif scheme != "https":
            found.append((start, end, "(Write it as a secure https:// link.)"))

    for match in _SCHEME_URL.finditer(flat):
        url = match.group().rstrip(_TRAILING)
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        check(match.start(), match.start() + len(url), match[1], host)
    for pattern in (_WWW, _BARE):
        for match in pattern.finditer(flat):
            if any(a <= match.start() < b for a, b in taken):
                continue
            if pattern is _BARE and match[2] not in _LINK_TLDS and not match[3]:
                continue
            url = match.group().rstrip(_TRAILING)
            check(match.start(), match.start() + len(url), None, _domain(url))
    for match in _SPELT_DOMAIN.finditer(flat):
        if not any(a <= match.start() < b for a, b in taken):
            found.append((match.start(), match.end(), "(A web address spelt out is still a link.)"))
    return found


# --- contact details ------------------------------------------------------------------------
_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}")
_SPELT_EMAIL = re.compile(
    r"\b[a-z0-9._%+\-]+\s*(?:[\[({]at[\])}])\s*[a-z0-9\-]+\s*(?:[\[({]dot[\])}]|\.|\bdot\b)\s*[a-z]{2,}\b"
    r"|\b[a-z0-9._%+\-]+\s+at\s+[a-z0-9\-]+\s+dot\s+[a-z]{2,}\b"
)
_PHONE_INTL = re.compile(r"(?<![\w+])\+\s?\d{1,3}(?:[\s.\-]?\(?\d{1,4}\)?){2,6}(?!\w)")
_PHONE_NANP = re.compile(r"(?<![\w\-])(?:1[\s.\-])?(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}(?![\w\-])")
_PHONE_CUE = re.compile(
    r"\b(?:call|phone|tel|telephone|mobile|cell|whatsapp|ring|dial|hotline|helpline|text (?:us|me))\b"
    r"[^\n\d]{0,20}?(\(?\d[\d\s().\-]{5,}\d)"
)
_ORDER_ID = re.compile(r"\b\d{3}-\d{7}-\d{7}\b")
# Digits after these words are not phone numbers: "tracking 7712 3456 7890".
_NOT_PHONE_CUE = re.compile(r"(?:tracking|order|serial|model|invoice|case|ref|reference|asin|sku|part|batch)\W*$")


def contact_details(doc: Document, *, phones_allowed: bool) -> list[Range]:
    flat = doc.flat
    found: list[Range] = []
    for pattern in (_EMAIL, _SPELT_EMAIL):
        for match in pattern.finditer(flat):
            found.append((match.start(), match.end(), "(An email address.)"))
    if phones_allowed:
        return found
    orders = [m.span() for m in _ORDER_ID.finditer(flat)]
    for pattern in (_PHONE_INTL, _PHONE_NANP, _PHONE_CUE):
        for match in pattern.finditer(flat):
            start, end = match.span(match.lastindex or 0)
            digits = sum(ch.isdigit() for ch in flat[start:end])
            if not 7 <= digits <= 15 or any(a < end and start < b for a, b in orders):
                continue
            if _NOT_PHONE_CUE.search(flat[max(0, start - 20) : start]):
                continue
            found.append((start, end, "(A phone number.)"))
    return found


# --- HTML and emoji --------------------------------------------------------------------------
_HTML = re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>|<!--|&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});")


def html(doc: Document) -> list[Range]:
    return [(m.start(), m.end(), "") for m in _HTML.finditer(doc.flat)]


# Pictographs: the emoji blocks, misc symbols and dingbats (☕ ✔ ★), and the emoji
# modifiers. Not arrows (→ is common in instructions) nor ™ © ®, unless drawn as emoji.
_PICTOGRAPH_RANGES = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x27BF),
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
_JOINERS = frozenset("\u200d\ufe0f")


def _is_pictograph(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _PICTOGRAPH_RANGES)


def emoji(doc: Document) -> list[Range]:
    found: list[Range] = []
    text = doc.text
    i = 0
    while i < len(text):
        if _is_pictograph(text[i]):
            j = i + 1
            while j < len(text) and (_is_pictograph(text[j]) or text[j] in _JOINERS):
                j += 1
            start = i - 1 if i and text[i] == "\ufe0f" else i  # "©️": include the base character
            found.append((start, j, ""))
            i = j
        else:
            i += 1
    return found


# --- manager-added phrases ---------------------------------------------------------------------


def extra_phrases(doc: Document, *, phrases: Iterable[str]) -> list[Range]:
    """Phrases managers added, matched word by word on the same readings as everything
    else (so "Lifetime   GUARANTEE" and "lifetime guar4ntee" match "lifetime guarantee")."""
    texts = [w.text for w in doc.words]
    found: list[Range] = []
    for phrase in phrases:
        wanted = read_words(phrase)
        if not wanted:
            needle = phrase.strip().casefold()
            if needle:
                found += [(m.start(), m.end(), f"(“{phrase}”)") for m in re.finditer(re.escape(needle), doc.flat)]
            continue
        size = len(wanted)
        for i in range(len(texts) - size + 1):
            if texts[i : i + size] == wanted:
                found.append((*doc.span(i, i + size - 1), f"(“{phrase.strip()}”)"))
    return found
