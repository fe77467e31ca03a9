"""Review themes: the models and the seed rules (data, editable in the admin afterwards).

The rules below are frozen here on purpose: later changes belong in the admin or in a
new data migration, so an existing database and a fresh one agree.
"""

import django.db.models.deletion
from django.db import migrations, models

# slug, name, description, phrases. A phrase starting with "re:" is a regular expression;
# one ending in "!" is not negatable.
THEMES = [
    (
        "durability",
        "Durability",
        "Stopped working, broke, wore out or failed after some use.",
        [
            "stopped working", "stop working", "stops working", "quit working", "quit on me", "no longer works",
            "doesn't work anymore", "does not work anymore", "died", "dead after", "broke", "broken after",
            "fell apart", "falling apart", "wore out", "worn out", "cheaply made", "flimsy", "poor quality",
            "low quality", "poorly made", "didn't last!", "did not last!", "doesn't last!", "only lasted",
            "lasted only", "lasted about", "lasted less than", "stopped heating", "stopped spinning",
            "stopped pumping", "stopped charging", "gave out", "failed after", "started leaking", "began leaking",
            "cracked after", "warped", "rusted", "rusting", "peeling", "snapped", "burned out", "burnt out",
            "not durable!", "durability issue*", "durability problem*", "wore down", "worn down", "fell off",
            "re:\\b(?:element|motor|pump|battery|switch|seal|burrs?|hinge|zip|zipper)\\s+(?:is|are|was|were)\\s+"
            "(?:gone|dead|dull|shot|toast|done)\\b",
            "re:\\b(?:poor|bad|terrible|questionable|disappointing|awful)\\s+(?:durability|build quality)\\b",
            "re:\\bi\\s+expect(?:ed)?\\s+(?:\\w+\\s+){0,3}?(?:durability|longevity)\\b",
            "re:\\bnot\\s+the\\s+(?:durability|longevity)\\b",
            "re:\\b(?:after|within)\\s+(?:only\\s+|just\\s+|about\\s+)?(?:a|one|two|three|four|five|six|a few|\\d+)"
            "\\s+(?:weeks?|months?|uses)\\b[^.!?]{0,40}?"
            "\\b(?:stopped|broke|died|failed|quit|cracked|leak\\w*|won't|wouldn't|no longer|sticks|stuck|fell|peel\\w*)",
        ],
    ),
    (
        "value",
        "Value for money",
        "Overpriced, not worth the money, better value elsewhere.",
        [
            "overpriced", "over priced", "not worth!", "waste of money", "rip off", "ripoff", "too expensive",
            "too pricey", "poor value", "bad value", "not good value!", "not a good value!", "save your money",
            "costs too much", "price is too high", "cheaper alternatives", "for the same money",
            "for half the price", "money back",
            "re:\\bexpect(?:ed)?\\s+(?:more|better)\\b[^.!?]{0,30}?\\b(?:price|money|\\$\\s?\\d+)",
            "re:\\bfor\\s+(?:\\$\\s?\\d+|this price|that price|the price|that money|this money)\\b[^.!?]{0,25}?"
            "\\b(?:i|you|one)\\s+(?:would\\s+)?expect(?:ed)?\\b",
            "re:\\bi\\s+expect(?:ed)?\\b[^.!?]{0,40}?\\b(?:at|for)\\s+(?:this|that|the)\\s+price\\b",
            "re:\\b(?:at|for)\\s+(?:this|that|the)\\s+price\\b[^.!?]{0,20}?\\bi\\s+(?:would\\s+)?expect(?:ed)?\\b",
            "re:\\$\\s?\\d+\\s+(?:is|was)\\s+(?:a lot|too much|steep|a lot of money)",
            "re:\\bnot\\s+(?:great|good|worth it)\\s+for\\s+the\\s+(?:money|price)",
            "re:\\bpaid\\s+(?:twice|double|more than|three times)\\b",
        ],
    ),
    (
        "ease_of_use",
        "Ease of use / setup",
        "Hard to set up, assemble, use or clean; confusing instructions.",
        [
            "hard to use", "difficult to use", "hard to set up", "difficult to set up", "hard to setup",
            "difficult to setup", "hard to assemble", "difficult to assemble", "hard to clean",
            "difficult to clean", "pain to clean", "hard to figure out", "confusing", "complicated",
            "not intuitive!", "unintuitive", "not user friendly!", "learning curve", "couldn't figure out",
            "could not figure out", "can't figure out", "cannot figure out", "instructions are useless",
            "instructions were useless", "instructions are unclear", "instructions were unclear",
            "unclear instructions", "poor instructions", "terrible instructions", "vague instructions",
            "manual is useless", "manual was useless", "manual is unclear", "fiddly", "finicky", "a pain to",
            "nightmare to", "took forever to set up", "took hours to set up", "took hours to assemble",
            "too many steps", "hard to understand", "trying to work out", "trying to figure out", "too much work",
            "high maintenance", "couldn't get it to", "could not get it to", "could never get it to", "setup fails",
            "re:\\b(?:manual|instructions|app|diagrams?)\\s+(?:is|are|was|were)\\s+(?:a joke|useless|awful|terrible"
            "|hopeless|rubbish|garbage|no help)",
            "re:\\b(?:setup|set-up|set up|assembly|installation)\\s+(?:was|is)\\s+(?:a\\s+)?"
            "(?:nightmare|pain|hard|difficult|confusing|frustrating|complicated)",
            "re:\\b(?:instructions|manual)\\s+(?:\\w+\\s+){0,3}?(?:make no sense|made no sense|are missing steps)",
        ],
    ),
    (
        "missing_parts",
        "Missing or wrong parts",
        "Parts or accessories missing, wrong part or wrong item sent.",
        [
            "missing", "wrong part*", "wrong size", "wrong color", "wrong colour", "wrong item", "wrong model",
            "wrong one", "sent the wrong", "received the wrong", "not included!", "wasn't included!",
            "weren't included!", "was not included!", "were not included!", "didn't include!",
            "did not include!", "didn't come with!", "did not come with!", "doesn't come with!", "incomplete",
            "only one of the", "short one", "not what i ordered!", "got the wrong", "instead of the",
            "re:\\b(?:was|were)\\s+(?:none|nothing)\\s+in\\s+the\\s+(?:box|package)",
            "re:\\bno\\s+\\w+(?:\\s+\\w+)?\\s+in\\s+the\\s+(?:box|package)",
            "re:\\b(?:box|package|parcel)\\b[^.!?]{0,30}?\\bempty\\b",
            "re:\\bordered\\s+(?:the\\s+|a\\s+)?\\w+[^.!?]{0,20}?\\b(?:got|received|came)\\s+(?:a\\s+|the\\s+)?\\w+",
        ],
    ),
    (
        "arrived_damaged",
        "Arrived damaged",
        "Damaged, broken or cracked on arrival; crushed packaging.",
        [
            "arrived damaged", "arrived broken", "arrived cracked", "arrived dented", "arrived scratched",
            "arrived shattered", "came damaged", "came broken", "came cracked", "damaged in shipping",
            "damaged in transit", "damaged on arrival", "broken on arrival", "dead on arrival", "doa",
            "box was crushed", "box was damaged", "crushed box", "damaged box", "damaged packaging",
            "packaging was damaged", "hairline crack", "shattered",
            "re:\\b(?:hole|dent|crack|scratch|tear|rip|chip|gouge)s?\\b[^.!?]{0,30}?"
            "(?:on arrival|upon arrival|out of the box|when it arrived)",
            "re:\\b(?:arrived|came|delivered|showed up|received it|got it|unboxed it|opened the box)\\b[^.!?]{0,40}?"
            "\\b(?:damaged|broken|cracked|dented|smashed|shattered|crushed|scratch(?:es|ed)?|dents|cracks|bent)\\b",
            "re:\\b(?:damaged|broken|cracked|dented|smashed|shattered|scratched|bent|mou?ld\\w*|stain\\w*|soaked|wet)\\b"
            "[^.!?]{0,30}?"
            "(?:out of the box|on arrival|upon arrival|in (?:the )?(?:box|shipping|transit)|when (?:it )?arrived"
            "|when i (?:opened|unpacked))",
        ],
    ),
    (
        "not_as_described",
        "Not as described",
        "Differs from the listing, photos or claims; smaller, different material, fake.",
        [
            "not as described!", "not as pictured!", "not as advertised!", "not as shown!",
            "not what i expected!", "not what was advertised!", "claims to", "clearly used", "previously used",
            "had been used", "already used", "sold as new",
            "doesn't match the description!", "does not match the description!",
            "didn't match the description!", "different from the picture*", "different than the picture*",
            "different from the photo*", "different than the photo*", "looks nothing like!", "misleading",
            "false advertising", "smaller than expected", "smaller than it looks", "smaller than pictured",
            "smaller than advertised", "much smaller", "counterfeit", "fake", "not genuine!",
            "listing says", "description says", "advertised as", "sold as", "someone's return", "was a return",
            "re:\\b(?:listing|description|page|photo|picture|title|box)\\s+(?:says|shows|mentions|states|claims"
            "|promises)\\b",
            "re:\\b(?:darker|lighter|smaller|bigger|thinner|different)\\s+than\\s+(?:the\\s+|in the\\s+)?"
            "(?:photos?|pictures?|images?|listing|described|advertised|shown)",
            "re:\\bnot\\s+(?:\\w+\\s+){0,3}?as\\s+(?:advertised|described|pictured|shown|listed)",
            "re:\\b(?:shown|pictured|advertised|listed)\\b[^.!?]{0,30}?"
            "\\b(?:not included|missing|wasn't included|weren't included|were not included|was not included)",
        ],
    ),
    (
        "customer_service",
        "Customer service",
        "The seller or support did not answer, were unhelpful, refused help.",
        [
            "never heard back", "didn't respond", "did not respond", "never responded", "no response!",
            "never replied", "didn't reply", "did not reply", "no reply", "ignored my", "ignored me",
            "unhelpful", "rude", "ghosted", "runaround", "run around", "couldn't reach", "could not reach",
            "nobody answered", "no one answered", "no one responded", "nobody responded", "refused to",
            "won't honor", "wouldn't honor", "would not honor", "no help at all",
            "re:\\b(?:poor|bad|terrible|awful|horrible|lousy|nonexistent|non-existent|no|zero|useless|slow"
            "|unhelpful|rude|worst)\\s+(?:customer\\s+)?(?:service|support)\\b",
            "re:\\b(?:customer\\s+)?(?:service|support|seller)\\s+(?:was|is|has been|were)\\s+(?:\\w+\\s+)?"
            "(?:poor|bad|terrible|awful|useless|slow|unhelpful|rude|nonexistent|non-existent|a joke|no help)\\b",
        ],
    ),
    (
        "shipping",
        "Shipping",
        "Late, lost, slow or misdelivered shipments.",
        [
            "arrived late", "late delivery", "delivered late", "took forever to arrive", "took weeks to arrive",
            "never arrived!", "never received!", "didn't arrive!", "did not arrive!", "hasn't arrived!",
            "has not arrived!", "lost in the mail", "lost in transit", "lost package", "slow shipping",
            "shipping was slow", "slow delivery", "delivery was slow", "delayed", "wrong address",
            "missed the delivery", "past the delivery date", "after the delivery date", "stuck in transit",
            "longer than promised", "later than promised", "longer than expected to arrive", "never showed up!",
            "after the promised date", "past the promised date", "delivery date keeps", "still waiting",
            "re:\\b(?:a|one|two|three|four|\\d+)\\s+(?:days?|weeks?)\\s+late\\b",
            "re:\\btook\\s+(?:over\\s+|almost\\s+|nearly\\s+)?(?:a|one|two|three|four|\\d+)\\s+(?:weeks?|days?)"
            "\\s+to\\s+(?:arrive|ship|be delivered|get here|come)",
            "re:\\bshipping\\s+(?:took|was|is)\\s+(?:\\w+\\s+)?(?:forever|slow|terrible|awful|late|ages)",
        ],
    ),
]


def parse_phrase(phrase: str) -> tuple[str, bool, bool]:
    """(pattern, is_regex, negatable) of one entry of THEMES."""
    if phrase.startswith("re:"):
        return phrase[3:], True, True
    return phrase.rstrip("!"), False, not phrase.endswith("!")


def seed_themes(apps, schema_editor):
    ReviewTheme = apps.get_model("reviews", "ReviewTheme")
    ThemePhrase = apps.get_model("reviews", "ThemePhrase")
    for position, (slug, name, description, phrases) in enumerate(THEMES):
        theme, _ = ReviewTheme.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
        for phrase in phrases:
            pattern, is_regex, negatable = parse_phrase(phrase)
            ThemePhrase.objects.get_or_create(
                theme=theme, pattern=pattern, is_regex=is_regex, defaults={"negatable": negatable}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewTheme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=80)),
                ("description", models.TextField(blank=True)),
                ("is_active", models.BooleanField(default=True)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"ordering": ["position", "name"]},
        ),
        migrations.CreateModel(
            name="ThemePhrase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("pattern", models.CharField(max_length=300)),
                ("is_regex", models.BooleanField(default=False)),
                (
                    "negatable",
                    models.BooleanField(default=True, help_text="Ignore the match after not / no / never / without."),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "theme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="phrases", to="reviews.reviewtheme"
                    ),
                ),
            ],
            options={"ordering": ["theme", "pattern"]},
        ),
        migrations.AddConstraint(
            model_name="themephrase",
            constraint=models.UniqueConstraint(fields=("theme", "pattern", "is_regex"), name="theme_phrase_unique"),
        ),
        migrations.CreateModel(
            name="ReviewThemeMatch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("spans", models.JSONField(default=list)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="theme_matches",
                        to="reviews.productreview",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="matches", to="reviews.reviewtheme"
                    ),
                ),
            ],
            options={"ordering": ["review", "theme"], "verbose_name_plural": "review theme matches"},
        ),
        migrations.AddConstraint(
            model_name="reviewthemematch",
            constraint=models.UniqueConstraint(fields=("review", "theme"), name="theme_match_unique"),
        ),
        migrations.AddIndex(
            model_name="reviewthemematch",
            index=models.Index(fields=["theme", "review"], name="theme_match_theme_review"),
        ),
        migrations.RunPython(seed_themes, migrations.RunPython.noop),
    ]
