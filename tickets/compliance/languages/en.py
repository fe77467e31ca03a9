"""English: the words of each concept the intent rules read (``intent.concepts``).

Entries are separated by ";". A trailing "*" matches any word that begins so ("refund*":
refunds, refunded); several words are a phrase, matched word by word within a sentence.
"""

CONCEPTS: dict[str, str] = {
    # The thing a buyer wrote about a purchase.
    "REVIEW": (
        "review; reviews; feedback*; rating; ratings; rerate; re-rate; stars; star rating; testimonial*; "
        "one star; 1 star; two stars; 2 stars; three stars; 3 stars; four stars; 4 stars; five stars; 5 stars"
        "; write up; writeup; rate us; rate it; rate the; rate your; rate this; rate our; rated us; "
        "rated your; rated the; rated it"
        "; star count; number of stars; star score"
    ),
    # Words that stand for a review only with a place or an author ("the post on the product page").
    "WEAK_OBJ": (
        "comment; comments; post; posts; what you wrote; what you said; what you posted; your words; remarks"
        "; photo; photos; picture; pictures; video; a few words; a few lines"
        "; your text; the text you; the words you; what you put"
        "; kind words; nice words; good words; warm words"
    ),
    "PLACE": (
        "product page; listing; product listing; on amazon; publicly; public; detail page; review section"
        "; visible to; shoppers; everyone can see; for all to see"
        "; tell amazon"
        "; under the listing; below the listing; under the product; beneath the listing"
        "; seller page; seller profile; our seller page; seller feedback page"
    ),
    "WROTE": ("you wrote; you posted; you left; you gave; you shared; you said; you published; wrote; posted; you put"),
    "CHANGE": (
        "update; updates; updated; updating; change; changing; changed; remove; removing; removed; removal; "
        "delete*; edit; editing; edited; revise*; revision; amend*; modif*; withdraw*; retract*; "
        "reconsider*; "
        "rethink*; revisit*; adjust; adjusting; adjusted; rewrite*; take down; take it down; taking down; "
        "pull it down; take back; bump up; raise; raising; upgrade your; correct it; erase*; second look; "
        "another look; look again; think again; second thought*; re-evaluate; reevaluate; reassess*"
        "; tweak*; rephrase*; reword*; soften*; tone down; toned down; come down; comes down; taken down; "
        "take it off"
        "; go up; goes up; went up; reflect; reflects; reflected; could say; would say"
        "; fresh look; read it again; read through it again"
        "; reread*; re-read*; second glance; another glance; one more look; fresh eyes"
        "; no longer; is gone; are gone; has gone; disappears; disappeared; comes off"
        "; matched your experience; match your experience; matches your experience; match how it"
        "; brought up to date; bring it up to date; up to date; the rest of the story"
        "; add to; add a line; add an update"
    ),
    "ACT": (
        "leave; leaving; write; writing; post; posting; give; giving; rate; rating us; share; submit*; "
        "drop us; put up"
        "; tell other*; tell others; tell the world"
        "; given; gave; tell amazon; tell everyone"
    ),
    "VISIBLE": "see; seeing; live; visible; appears; appear; published; posted; goes up; showing; shows",
    "REQUEST": (
        "please; pls; plz; kindly; could you; would you; can you; will you; would you mind; we d appreciate; "
        "appreciate*; grateful; would mean; it would help; we hope; hope you; hoping; we ask; we d love; "
        "we would love; love it if; if you could; consider*; feel free; you re welcome to; willing; "
        "we invite; we encourage; encourage you; wondering if; possible for you; would it be possible; "
        "do us a favor; do us a favour; ask you; asking you; we d like you; we would like you; need you"
        "; don t hesitate; do not hesitate"
        "; it would be fair; it d be fair; it would be nice; it d be great; it would be great"
        "; would you be willing"
        "; would make us; would make our day; be so kind"
        "; would be amazing; would be great; would be wonderful; would be lovely; would be awesome; "
        "would be fantastic; would be ideal; would be helpful; would help"
        "; would you be open; be open to"
        "; only fair; be fair if; fair if"
        "; any chance; is there a chance; is there any way"
    ),
    "BUYER": "you; u; yourself",
    "SELLER": ("we; our team; i have; i ve; i ll; i will; us to; let us"),
    "THIRD": (
        "amazon removed; amazon has; amazon may; amazon will; amazon s system"
        "; by amazon; amazon s moderators; amazon s team; amazon moderat*"
    ),
    "VALUE": (
        "refund*; reimburs*; discount*; coupon*; voucher*; rebate*; gift*; free; freebie*; cash; money; "
        "credit; store credit; bonus*; reward*; compensat*; cashback; cash back; payment; partial refund; "
        "replacement; paypal; venmo; complimentary; on the house; remaining balance; the rest of; perk*; "
        "prize*; extended warranty"
        "; dollar*; euro; euros; pound*; bucks; usd; eur"
        "; extend your warranty; warranty extension; extend the warranty"
        "; priority; prioritised; prioritized; express shipping"
        "; cover the return; cover the shipping; cover the cost; cover return; return shipping"
        "; free shipping; pay for the"
        "; bank transfer; wire the"
        "; spare; a spare; spare part"
        "; prize draw; sweepstake; sweepstakes; raffle"
    ),
    "COND": (
        "if; once; as soon as; after; when; provided; providing; upon; as long as; so long as; until; "
        "the moment; right after; following"
        # A reward for whoever does something is one on condition ("Wer … erzählt, bekommt …").
        "; anyone who; whoever; those who; customers who; buyers who"
    ),
    "EXCHANGE": (
        "in exchange; in return; as a thank you; as thanks; as a token; to thank you for; in appreciation; "
        "as our thanks; in turn; for your trouble"
        "; in advance; thank-you in advance; thank you in advance; advance thanks"
        "; goes into; go into; entered into; enters"
    ),
    "FOR": "for; for every; for each",
    "THANKS": (
        "thank; thanks; thankful; grateful for your; we received; we saw; we read; we noticed; glad; we re happy to see"
    ),
    "POSITIVE": (
        "positive; 5 star; 5 stars; five star; five stars; 4 stars; four stars; 5-star; glowing; top rating; "
        "full marks; good review; great review; good rating; great rating; high rating; higher rating; "
        "better rating; best rating; excellent review; favourable; favorable; perfect score; top marks"
        "; kind review; nice review; kind rating; nice rating"
    ),
    "NEGATIVE": (
        "negative; bad review; bad feedback; bad rating; 1 star; one star; low rating; low review; "
        "critical; poor rating; poor review; unfavourable; unfavorable; harsh; 2 star; two star"
        "; poorly; badly; low; lower"
    ),
    "SATISFIED": (
        "happy; satisfied; pleased; delighted; love it; loving it; like it; enjoy*; thrilled; "
        "positive experience; good experience; great experience"
        "; loving; love; enjoying"
        "; smooth experience; went smoothly; went well; trouble-free; problem-free"
    ),
    "UNSATISFIED": (
        "unhappy; not happy; dissatisfied; not satisfied; disappointed; problem*; issue*; anything wrong; "
        "something wrong; not pleased; negative experience; bad experience; complaint*; any concerns"
        "; something s off; anything s off; not right; not working"
    ),
    "ONLY": "only; just the; exclusively",
    "CONTACT": (
        "contact*; message us; reach out; reach us; let us know; get in touch; write to us; talk to us; "
        "tell us; email us; e-mail us; speak to us; come to us"
        "; give us a chance; give us the chance; let us fix; let us try; let us solve; allow us to fix"
        "; a chance to fix; the chance to fix; a chance to put"
    ),
    "BEFORE": ("before; first; instead of; rather than; prior to; instead; beforehand"),
    "NEGATION": (
        "don t; do not; dont; never; can t; cannot; not; won t; unable; please don t; avoid; refrain; "
        "not to; no need to; please not"
    ),
    "DISCLAIM": (
        "regardless; whether or not; no matter; not conditional; not dependent; does not depend; "
        "doesn t depend; independent of; no obligation; not required; nothing to do with; not tied; "
        "not linked; not connected; in any case; either way; not asking you; we can t ask; we cannot ask; "
        "we are not allowed; not allowed to ask; we won t ask; we will never ask; whatever you decide; "
        "your choice; entirely up to you; up to you; completely up to you"
        "; not ask; never ask; not asking; won t ask; don t need to; do not need to; no need to"
        "; not necessary"
        "; can t offer; cannot offer; don t offer; do not offer; never offer; not allowed to offer; "
        "no strings attached"
        "; isn t linked; isn t tied; isn t connected; isn t conditional; isn t dependent; in no way"
    ),
    "METRICS": (
        "account health; seller metrics; our metrics; seller rating; our rating; seller performance; "
        "our ranking; ranking; rankings; visibility; algorithm; buy box; small business; family business; "
        "our business; our account; suspended; suspension; our store s rating; affects us; hurts us; "
        "hurt us; affects our; hurts our; damages our; harms our; our livelihood"
        "; health score; store health; performance score; our score; our standing; seller score"
    ),
    "HONEST": "honest; honestly; genuine; unbiased; candid",
    "SHARE": (
        "what you think; your opinion; your opinions; your thoughts; your experience; other customers; "
        "other buyers; other shoppers; others know; let others; help others; fellow customers; "
        "how you like; how did you like; how do you like; how would you rate; your impressions"
        "; hear about it; hear how you get on"
    ),
    "PRONOUN": ("it; that; them; this; yours; those; these; they"),
    "MESSENGER": (
        "whatsapp; telegram; wechat; viber; skype; signal app; kakao*; kakaotalk; discord; snapchat; "
        "line app; line id; facebook messenger; messenger; dm us; dm me; direct message; instagram dm; "
        "our instagram; our facebook; wa me; t me"
        "; on signal; via signal"
    ),
    "SEARCH": (
        "google us; search for us; search us; look us up; find us on; find us online; search our brand; "
        "search our name; search for our brand; google our"
        "; search engine; web search; google it; look for us online; type brewline"
        "; on google; on bing; via google; google search"
        "; search for our; look up our; type our brand; type our name; our brand name into"
    ),
    "WEBSITE": (
        "our website; our web site; our site; our official site; our official website; our webshop; "
        "our web shop; our online shop; our online store; our homepage; our home page; our own store; "
        "our own shop; our brand website; brand website; official website; visit us at"
        "; youtube channel; our channel"
    ),
    "OUTSIDE": (
        "outside amazon; outside of amazon; off amazon; directly with us; directly to us; bypass amazon; "
        "our personal email; private email; personal email; email us directly; text us; call us directly"
        "; our email address; our e mail address; live chat"
        "; faster than amazon; quicker than amazon; than amazon messages; reach us directly"
        "; our help desk directly; our support desk directly"
    ),
    # English promotion is read by ``content.marketing``; these are what it does not cover.
    "MARKETING": (
        "new collection; our full range; join our community; our vip"
        "; loyalty programme; loyalty program; sneak peek; don t miss"
        "; reply yes; just reply yes; reply with yes"
    ),
    "ANNOUNCE": (
        "now available; just launched; newly launched; coming soon; new model; new version; we also make; "
        "we also sell; we also offer; also available; our blog; our story; our recipes; recipe*; "
        "happy holidays; season s greetings; merry christmas; happy new year; fun fact; did you know"
        "; we also recommend; pairs perfectly; goes perfectly with; perfect companion; you might also"
        # Another product offered as news: back in stock, "complete the set".
        "; back in stock; in stock again; available again; restocked; complete the set; completing the set"
        "; we also have; we also carry; in our store; in our amazon store; our storefront; our brand store"
        # Another product of the range, without sale words: just out, coming, the catalogue,
        # "also fits our …", what other customers go for.
        "; new colour; new color; we ll launch; we will launch; we re launching soon"
        "; launching soon; our full range; our whole range; the whole range; our catalogue"
        "; our catalog; rest of our range; our other products; our other models; also fits our"
        "; also works with our; gone for our; go for our; opted for our; switched to our"
        "; people pair; customers pair; a lot of people pair; many customers also buy"
        "; customers also bought; our waiting list; our wait list"
        # Another product announced for next month.
        "; launches next month; coming next month; launching next month"
    ),
    "NEXT_ORDER": "next order; next purchase; future order*; future purchase*; another order",
    # A reminder asks: "don't forget to…" is a request despite its negation.
    "REMIND": "forget; remember; reminder; remind",
    "ORDER": "your order; your package; your parcel; delivery; delivered; shipment; tracking; your item",
    "AND": ("and; then; after that; afterwards"),
    "CUSTOMERS": ("customers; buyers; anyone; everyone; those; shoppers"),
    "RELATIVE": ("who"),
    "DELIVER": ("send; ship; ships; release; dispatch; issue; process; trigger; goes out; go out; proceed; go ahead"),
    "WISH": (
        "would be; would make; would mean; would love; d love"
        "; would count; would help us; would really help; counts for a lot; would go a long way"
    ),
    "NEW_RANGE": ("our new; launching; we re launching; sneak peek; early access"),
    "PROMO": (
        "off; percent off; discount*; loyal customers; loyalty; special price"
        "; cheaper; reduced; on sale; percent cheaper"
        "; you save; save on every; subscribe and save"
    ),
    "PHONE": ("our hotline; hotline number; our phone number; call us on; call us at; give us a call; ring us"),
    # What a sentence around a link is about (``content.link_standing``): documentation,
    # the parcel or the after-sale, or selling.
    "GUIDE": (
        "manual; manuals; user guide; guide; guides; instructions; instruction; setup; set up; set-up"
        "; installation; install; installing; quick start; quick-start; getting started; troubleshoot*"
        "; care guide; assembly; how to; step by step; step-by-step; faq; help page; support page"
        "; help centre; help center; datasheet; data sheet; spec sheet; user manual; diagram; wiring"
    ),
    "TRACK": (
        "tracking; track your; track the; carrier; courier; tracking number; delivery status"
        "; return label; returns page; return policy; returns policy; warranty; guarantee; recall"
        "; invoice"
    ),
    "SHOP": (
        "buy; buying; order it; order them; order one; order here; available for purchase; purchase it"
        "; purchase them; add to cart; cart; checkout; our shop; our store; webshop; price; prices"
        "; pricing"
    ),
    # A review word's other sense: the seller's own people or checks ("feedback from our
    # engineers", "a second opinion"), or a mark on the product ("stars engraved on…").
    "OWN": (
        "our engineers; our engineer; our technicians; our technician; our technical team"
        "; our tech team; our developers; our designers; our testers; our experts; our qa"
        "; our quality team; our lab; our baristas; our workshop; quality control; quality check"
        "; quality checks; quality inspection; internal; in house; in-house; second opinion"
        "; factory; engraved; printed on; marked on"
        # The product's own signal or a key marked with a star ("audible feedback", "the star button").
        "; haptic; acoustic; audible; tactile; beep; beeps; button; key; icon; symbol; marked with"
        "; printed; display; screen; panel; independent tests; in tests; lab tests"
        # Stars a lamp projects ("the stars the night light projects").
        "; projects; projected; projector; projection; night light; starry sky; star projector"
    ),
    # "Again": with a request about what the buyer posted, it asks for a second look.
    "AGAIN": ("again; once more; one more time; anew; once again"),
    # The product's own features ("shows WhatsApp notifications"): a messenger named there is no channel.
    "FEATURE": (
        "notification; notifications; notify; alerts; app alerts; incoming calls; call alerts"
        "; message alerts; integration; integrates; compatible with; works with; pairs with"
    ),
    # A manufacturer or carrier: Amazon allows their phone numbers.
    "MAKER": (
        "manufacturer; manufacturer s; the maker; maker s; the carrier; carrier s; courier; courier s; parts hotline"
    ),
}
