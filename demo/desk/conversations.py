"""The demo desk's conversations: one ticket per buyer story, in every SLA state.

``hours_ago`` counts back from the seed's ``now``; ``sla_due_at`` is never written here.
"""

from dataclasses import dataclass

from tickets.models import Message, Ticket

IN = Message.Direction.INBOUND
OUT = Message.Direction.OUTBOUND
NOTE = Message.Direction.NOTE


@dataclass(frozen=True)
class StoryMessage:
    direction: str
    hours_ago: float
    body: str
    automated: bool = False


@dataclass(frozen=True)
class StoryTicket:
    key: str
    account: str
    subject: str
    kind: str
    status: str
    buyer: str
    order: str | None
    assignee: str | None
    messages: tuple[StoryMessage, ...]
    priority: int = Ticket.Priority.NORMAL
    no_response_needed: bool = False


# sla_due_at is never written here: the seed derives it from the oldest unanswered
# buyer message through tickets.sla, so "hours_ago" decides the SLA state:
# received 4 h ago = fresh (due in 20 h), 21.5 h ago = at risk, 26 h ago = breached.
# The same rules stamp the response facts the account-health figures read: every
# answered buyer message was answered within 24 h but one (the heater warranty), the
# cracked reservoir and the split board are not answered, the open clocks are pending.
TICKETS = (
    StoryTicket(
        "pump",
        "brewline",
        "Pump won't prime – machine only hums",
        Ticket.Kind.SETUP,
        Ticket.Status.NEW,
        buyer="priya",
        order="pump",
        assignee="agent",
        priority=Ticket.Priority.HIGH,
        messages=(
            StoryMessage(
                OUT,
                50,
                "Hi Priya, your Brewline Pro espresso machine has been delivered. The quick-start guide "
                "is here: https://support.brewline.example.com/guides/pro-espresso-quick-start.pdf – "
                "before the first shot, fill the reservoir and run the priming cycle.",
                automated=True,
            ),
            StoryMessage(
                IN,
                21.5,
                "Hi, I set the machine up yesterday but the pump won't prime. It hums loudly for a few "
                "seconds and no water comes out of the group head or the steam wand. The reservoir is "
                "full and clicked in. I followed the quick-start guide twice. What am I doing wrong?",
            ),
        ),
    ),
    StoryTicket(
        "reservoir",
        "brewline",
        "Water reservoir arrived cracked",
        Ticket.Kind.REPLACEMENT_PART,
        Ticket.Status.OPEN,
        buyer="tom",
        order="reservoir",
        assignee="agent",
        priority=Ticket.Priority.URGENT,
        messages=(
            StoryMessage(
                IN,
                26,
                "The water reservoir of my new espresso machine has a crack along the bottom seam and "
                "leaks all over the counter as soon as I fill it. The outer box looked fine. Can you "
                "send me a replacement reservoir?",
            ),
            StoryMessage(
                IN,
                5,
                "A day and no answer. I have left feedback and opened an A-to-z claim. I just want a "
                "reservoir that holds water.",
            ),
            StoryMessage(
                NOTE,
                1,
                "Buyer left 2-star feedback and filed an A-to-z claim (materially different) – this "
                "order alone puts Brewline's FBM ODR at 0.8%. Ship replacement reservoir B0RESERVR5 "
                "today with tracking, reply to the buyer, then represent the claim before the deadline. "
                "Do not ask the buyer to change the feedback.",
            ),
        ),
    ),
    StoryTicket(
        "grinder_presale",
        "brewline",
        "Pre-sale question: burr grinder for light-roast espresso",
        Ticket.Kind.INQUIRY,
        Ticket.Status.NEW,
        buyer="liam",
        order=None,
        assignee=None,
        messages=(
            StoryMessage(
                IN,
                4,
                "Before I buy: does the Brewline burr grinder go fine enough for espresso with light "
                "roasts? And does it fit a 58 mm dosing cup?",
            ),
        ),
    ),
    StoryTicket(
        "descaler_late",
        "brewline",
        "Descaling kit tracking not updating",
        Ticket.Kind.WHERE_IS_MY_PACKAGE,
        Ticket.Status.NEW,
        buyer="sofia",
        order="descaler_late",
        assignee="agent",
        messages=(StoryMessage(IN, 6, "My tracking number has not updated for two days. Is my descaling kit lost?"),),
    ),
    StoryTicket(
        "oat_milk",
        "brewline",
        "Milk frother won't foam oat milk",
        Ticket.Kind.SETUP,
        Ticket.Status.OPEN,
        buyer="lena",
        order="oat_milk",
        assignee="agent",
        messages=(
            StoryMessage(
                IN, 30, "The frother works with dairy milk but oat milk only gets warm, no foam at all. Is it broken?"
            ),
            StoryMessage(
                OUT,
                21,
                "Hi Lena, thanks for writing. Your frother is fine: most oat milks only foam when they "
                "are a barista blend, and they foam best straight from the fridge with the spring whisk. "
                "The troubleshooting page has a short video: "
                "https://support.brewline.example.com/support/milk-frother/troubleshooting",
            ),
        ),
    ),
    StoryTicket(
        "warranty",
        "brewline",
        "Espresso machine stopped heating after two months",
        Ticket.Kind.WARRANTY,
        Ticket.Status.PENDING,
        buyer="marcus",
        order="warranty",
        assignee="agent",
        messages=(
            StoryMessage(
                IN,
                74,
                "My espresso machine stopped heating last week, a little over two months after I bought "
                "it. The lights come on but the water stays cold.",
            ),
            # Answered 30 h after the buyer wrote: the desk's one late response.
            StoryMessage(
                OUT,
                44,
                "I'm sorry, Marcus. The machine has a two-year warranty. To arrange a replacement, could "
                "you send the serial number from the sticker under the drip tray and a short video of the "
                "machine after you switch it on?",
            ),
        ),
    ),
    StoryTicket(
        "hard_water",
        "brewline",
        "How often to descale with hard water?",
        Ticket.Kind.INQUIRY,
        Ticket.Status.PENDING,
        buyer="ivy",
        order="hard_water",
        assignee="agent",
        messages=(
            StoryMessage(IN, 40, "Which descaling solution should I use, and how often? Our water is very hard."),
            StoryMessage(
                OUT,
                36,
                "With hard water, descale every four to six weeks. The kit fits both the Pro and the "
                "Compact, but the dose differs: which model do you have? The model number is on the "
                "sticker under the drip tray.",
            ),
        ),
    ),
    StoryTicket(
        "grinder_return",
        "brewline",
        "Return the grinder – too loud for our flat",
        Ticket.Kind.RETURN,
        Ticket.Status.SOLVED,
        buyer="aisha",
        order="grinder_return",
        assignee="agent",
        messages=(
            StoryMessage(IN, 600, "The grinder is much louder than I expected for a flat. Can I return it?"),
            StoryMessage(
                OUT,
                590,
                "Of course, Aisha. The return is authorised: the prepaid label is in Your Orders under "
                "Return or replace items, and the refund goes out as soon as the carrier scans the parcel.",
            ),
            StoryMessage(OUT, 447, "The grinder is back with us and your refund has been issued today."),
        ),
    ),
    StoryTicket(
        "burr_cleaning",
        "brewline",
        "How do I clean the burrs?",
        Ticket.Kind.SETUP,
        Ticket.Status.SOLVED,
        buyer="ben",
        order="burr_cleaning",
        assignee="agent",
        messages=(
            StoryMessage(IN, 360, "The grind has become uneven. How do I clean the burrs?"),
            StoryMessage(
                OUT,
                357,
                "Unplug the grinder, empty the hopper and turn the upper burr anticlockwise to lift it "
                "out; brush both burrs and run a dose of grinder-cleaning tablets. Step by step: "
                "https://support.brewline.example.com/support/burr-grinder/troubleshooting",
            ),
        ),
    ),
    StoryTicket(
        "crema_thanks",
        "brewline",
        "Thank you – great crema",
        Ticket.Kind.INQUIRY,
        # Left for the agent to mark "no response needed" (Amazon's button for thank-yous).
        Ticket.Status.NEW,
        buyer="greg",
        order="crema_thanks",
        assignee="agent",
        messages=(
            StoryMessage(IN, 10, "Just wanted to say thanks – the crema on this machine is amazing. No need to reply!"),
        ),
    ),
    StoryTicket(
        "old_chargeback",
        "brewline",
        "Chargeback: merchandise not received",
        Ticket.Kind.CHARGEBACK,
        Ticket.Status.OPEN,
        buyer="chris",
        order="old_chargeback",
        assignee="agent",
        priority=Ticket.Priority.HIGH,
        messages=(
            StoryMessage(
                NOTE,
                40,
                "Card issuer chargeback (service: merchandise not received) on an order from 68 days ago. "
                "Tracking shows delivery to the front porch. Represent in Performance > Chargeback "
                "Claims with the carrier's proof of delivery within seven days of Amazon's email.",
            ),
        ),
    ),
    StoryTicket(
        "frother_outreach",
        "brewline",
        "Reply to Contact Customer: frother stopped spinning",
        Ticket.Kind.REVIEW_OUTREACH,
        Ticket.Status.SOLVED,
        buyer="mia",
        order="frother_review",
        assignee="agent",
        messages=(
            StoryMessage(IN, 564, "Thanks for reaching out. The frother stopped spinning after about a week."),
            StoryMessage(
                OUT,
                552,
                "I'm sorry to hear that, Mia. We are sending you a replacement frother at no cost; it "
                "ships today and the tracking will show in your order. There is no need to return the old one.",
            ),
            StoryMessage(OUT, 480, "Your replacement frother has been delivered. If anything is off, reply here."),
        ),
    ),
    # Nordic Home Goods, worked by agent2 (who cannot see Brewline).
    StoryTicket(
        "throw_late",
        "nordic",
        "Wool throw late – needed for a birthday",
        Ticket.Kind.WHERE_IS_MY_PACKAGE,
        Ticket.Status.NEW,
        buyer="emma",
        order="throw_late",
        assignee="agent2",
        priority=Ticket.Priority.HIGH,
        messages=(
            StoryMessage(
                IN,
                20.5,
                "The wool throw was supposed to arrive yesterday and tracking still says in transit. "
                "It is a birthday present for Saturday – will it make it?",
            ),
        ),
    ),
    StoryTicket(
        "board_split",
        "nordic",
        "Cutting board split after the first wash",
        Ticket.Kind.RETURN,
        Ticket.Status.OPEN,
        buyer="noah",
        order="board_split",
        assignee="agent2",
        priority=Ticket.Priority.HIGH,
        messages=(
            StoryMessage(
                IN,
                29,
                "The birch board split along the grain after the first wash – by hand, not in the "
                "dishwasher. I would like a replacement or a refund.",
            ),
        ),
    ),
    StoryTicket(
        "jars_presale",
        "nordic",
        "Are the jar lids dishwasher safe?",
        Ticket.Kind.INQUIRY,
        Ticket.Status.NEW,
        buyer="olivia",
        order=None,
        assignee=None,
        messages=(StoryMessage(IN, 2, "Are the oak lids of the storage jars dishwasher safe, or only the glass?"),),
    ),
    StoryTicket(
        "lamp_bulb",
        "nordic",
        "Which bulb for the oak table lamp?",
        Ticket.Kind.INQUIRY,
        Ticket.Status.PENDING,
        buyer="lucas",
        order="lamp_bulb",
        assignee="agent2",
        messages=(
            StoryMessage(IN, 60, "Which bulb does the oak table lamp take? The box doesn't say, and the shade leans."),
            StoryMessage(
                OUT,
                55,
                "It takes an E26 bulb up to 60 W or any LED equivalent. If the shade leans, the harp may "
                "have bent in transit: could you send a photo? We will ship a new harp straight away.",
            ),
        ),
    ),
    StoryTicket(
        "runner_question",
        "nordic",
        "Is the linen runner pre-washed?",
        Ticket.Kind.INQUIRY,
        Ticket.Status.SOLVED,
        buyer="ella",
        order="runner_question",
        assignee="agent2",
        messages=(
            StoryMessage(IN, 336, "Is the linen runner pre-washed, or will it shrink?"),
            StoryMessage(OUT, 330, "It is stone-washed, so it won't shrink: machine wash cold and line dry."),
        ),
    ),
    StoryTicket(
        "jars_thanks",
        "nordic",
        "Jars arrived – thanks!",
        Ticket.Kind.INQUIRY,
        Ticket.Status.SOLVED,
        buyer="axel",
        order="jars_thanks",
        assignee="agent2",
        no_response_needed=True,
        messages=(StoryMessage(IN, 168, "Got the jars, all six intact. Thanks for the quick shipping!"),),
    ),
)
