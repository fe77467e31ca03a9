"""The words the review rules read: who speaks, what counts as a review, which verbs
change one, and the small words that may stand between them. One place, so that a
reviewer of the rules sees every list at once."""


def word_set(words: str) -> frozenset[str]:
    """A word list written as one string, to keep long lists readable."""
    return frozenset(words.split())


Span = tuple[int, int]  # first and last word index of a match

BUYER = frozenset({"you", "u", "ya", "yourself"})
SELLER = frozenset({"we", "i"})
OTHERS = frozenset({"they", "amazon", "he", "she"})  # Amazon removing a review is news, not a request
SUBORDINATORS = frozenset({"if", "whether", "that", "once", "when"})

# Words that may stand between a verb and the review it acts on ("update your 2-star review").
FILLERS = word_set(
    "your ur yr yer the a an that this those these its my our of on at to in about for s one two three "
    "four five zero single amazon product seller customer item public written posted negative critical "
    "low lower bad poor harsh unfavorable unfavourable honest own whole entire recent earlier previous "
    "last original initial current existing old little bit photo video again now please kindly maybe just "
    "perhaps possibly slightly up down off any some"
)
# ...and between "leave/write/give" and the review ("leave us a quick 5-star review").
ACT_FILLERS = FILLERS | word_set(
    "us me quick short brief nice positive good great glowing favorable favourable excellent kind fair "
    "detailed genuine new updated second another few words"
)
PRONOUN_OBJECTS = frozenset({"it", "that", "this", "them"})
REFERENCE_NOUNS = word_set("what comment comments post posts words remarks opinion thoughts")
POSTED = word_set("wrote posted left said shared put gave submitted made")

REQUEST_MARKERS = word_set(
    "please pls plz kindly could would can mind consider considering willing open hope hoping love like "
    "appreciate appreciated grateful wish if once when after possible possibly chance maybe perhaps help "
    "helps ask asking request need want encourage invite heart mean favor favour let d might may soon "
    "until unless"
)
# Markers of a request strong enough that thanks for a good review does not contain them.
STRONG_REQUEST = word_set(
    "please pls plz kindly could would can mind consider willing wish ask request encourage invite help "
    "helps favor favour let need d hoping"
)

ACT_BASE = word_set("leave write post give submit share drop add put provide send")
ACT_THIRD = word_set("leaves writes posts gives submits shares drops adds puts provides sends")
ACT_GERUND = word_set("leaving writing posting giving submitting sharing dropping adding putting providing")
ADD_VERBS = word_set("add mention note include append write say state clarify explain share know put")
OBJECT_AFTER_REVIEW_VERB = frozenset({"us", "our", "it", "this", "them", "my"})
PRODUCT_NOUNS = word_set("product item purchase order seller store shop machine grinder kettle listing")
# After the verb, words that show it has no other object: "Would you reconsider now?"
NO_OBJECT = word_set(
    "now please again soon accordingly later today too maybe perhaps if once when after since as at given "
    "in based for though then anyway yet eventually sometime"
)
AUXILIARIES = word_set(
    "are is was were will ll have ve has had be been being would d can could should must may might also "
    "already just now currently re s m not t"
)
BE = word_set("be been being is are was were get gets got getting")
SAY = word_set("say show mention include note tell reflect")
REFLECT = word_set("reflect reflects reflected reflecting mirror mirrors mirrored represent represents")
CHANGED = word_set(
    "updated revised amended edited new different corrected higher better improved fresh modified "
    "adjusted second another upgraded changed"
)
POSITIVE = word_set(
    "positive good great glowing favorable favourable excellent nice awesome amazing stellar rave raving "
    "top perfect kind full high highest best 5 five 4 four max maximum outstanding fantastic wonderful"
)
SATISFIED = word_set(
    "happy satisfied pleased love loving loved enjoy enjoying enjoyed delighted thrilled like liked good "
    "great positive pleasant glad wonderful excellent fantastic amazing ok okay fine well perfect "
    "perfectly works working"
)
ACKNOWLEDGE = word_set("thank thanks thankful saw read received noticed got left gave wrote posted")
NUMBER_WORDS = word_set("0 1 2 3 4 5 zero one two three four five single few more extra all missing")
VERB_BEFORE_REVIEW = word_set(
    "we i will ll can could would should shall must to please d may might let also kindly carefully then "
    "you u they team"
)
TECHNICAL_BEFORE = word_set(
    "pressure power energy ip efficiency wattage bar heat flow temperature water voltage safety load fire "
    "noise credit ul ce amp amperage capacity haptic audible tactile audio sensor visual"
)
TECHNICAL_AFTER = word_set(
    "plate label sticker tag chart screw screws screwdriver bit bits key nut nuts washer anise shaped "
    "pattern tip head wrench driver loop form survey questionnaire"
)

# Verb phrases that mean "change it": the last word is where the object search starts.
PHRASES: tuple[tuple[str, ...], ...] = (
    ("change", "your", "mind"),
    ("change", "ur", "mind"),
    ("take", "it", "down"),
    ("take", "that", "down"),
    ("take", "them", "down"),
    ("take", "down"),
    ("pull", "it", "down"),
    ("pull", "down"),
    ("take", "back"),
    ("take", "it", "back"),
    ("take", "another", "look"),
    ("another", "look"),
    ("second", "look"),
    ("fresh", "look"),
    ("new", "look"),
    ("look", "again"),
    ("think", "again"),
    ("second", "thought"),
    ("second", "thoughts"),
    ("another", "thought"),
    ("second", "chance"),
    ("another", "chance"),
    ("bump", "up"),
    ("bump", "it", "up"),
)
PARTICLE_VERBS = word_set("take taking took pull pulling bump bumping knock knocking")
CAUSATIVE_VERBS = word_set("get getting have having")
TRIGGER_WORDS = PARTICLE_VERBS | CAUSATIVE_VERBS | {"look", "looking", "rate", "do", "anything", "something"}
# "give the review another go": a second chance for a review, named after it.
AGAIN_NOUNS = word_set("go try shot chance look thought")
PHRASE_VARIANTS = {"take": {"take", "taking", "took"}, "pull": {"pull", "pulling"}, "look": {"look", "looking"}}
PHRASES_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _phrase in PHRASES:
    for _first in PHRASE_VARIANTS.get(_phrase[0], {_phrase[0]}):
        PHRASES_BY_FIRST[_first] = (*PHRASES_BY_FIRST.get(_first, ()), _phrase)
