"""Word lists and named constants for speaker attribution, all in one place.

Everything here is general English / news-writing vocabulary; nothing is taken
from a particular article.
"""
from __future__ import annotations

# Lemmas of verbs that report speech or writing ("cue verbs").
SPEECH_VERBS = frozenset(
    """
    say tell add write ask note report announce argue claim warn deny insist
    acknowledge accuse urge admit explain declare tweet state suggest boast
    comment reply respond confirm predict recall repeat reiterate stress emphasize
    emphasise contend assert maintain allege complain concede counter remark
    observe testify vow promise pledge threaten caution recommend quip joke shout
    yell scream whisper blog post text email mention disclose reveal proclaim
    affirm retort lament demand dispute wonder continue brag concur advise inform
    assure muse sigh snap exclaim interject object protest beg grumble mutter
    murmur chant cry laugh posit guess forecast conclude read
    """.split()
)

# Cue verbs that only report speech when they introduce content ("declared that
# ...", not "declared independence"); they need a clause or a quote.
WEAK_SPEECH_VERBS = frozenset(
    """
    continue cry laugh declare respond post comment pledge maintain add recommend
    forecast assure counter advise threaten conclude read
    """.split()
)

# Dependency labels of a verb's clausal complement (the reported content).
CONTENT_DEPS = frozenset({"ccomp", "parataxis"})

# "according to X"
ACCORDING = "according"

# Quotation marks. Curly quotes tell opening from closing; straight ones toggle.
OPEN_QUOTES = frozenset({"“", "„", "«", "‘"})
CLOSE_QUOTES = frozenset({"”", "»", "’"})
STRAIGHT_QUOTES = frozenset({'"'})
# A sentence counts as quoted when at least this share of its letters are in quotes.
MIN_QUOTED_SHARE = 0.5

# Titles and honorifics that precede a name and belong in Speaker.role.
TITLE_WORDS = frozenset(
    """
    president vice prime minister secretary sen. senator rep. representative
    gov. governor lt. lieutenant mayor judge justice chief general gen. col.
    colonel maj. major capt. captain adm. admiral sgt. sergeant mr. mrs. ms. miss
    dr. prof. professor rev. reverend father sister brother pope king queen
    prince princess sheikh chancellor speaker leader chairman chairwoman chair
    ceo director spokesman spokeswoman spokesperson ambassador commissioner
    attorney foreign deputy assistant acting former candidate nominee
    congressman congresswoman councilman councilwoman host anchor author
    sir lady lord dame coach officer agent detective inspector
    superintendent professor economist analyst founder co-founder
    """.split()
)

# Personal pronouns that can stand for a speaker, by the kind of thing they refer to.
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "me", "you"})
GROUP_PRONOUNS = frozenset({"they", "them", "we", "us"})
THING_PRONOUNS = frozenset({"it"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that"})
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | RELATIVE_PRONOUNS

# Place names that usually stand for a government when they "say" something.
GOVERNMENT_METONYMS = frozenset(
    """
    washington moscow kremlin beijing london paris berlin tokyo tehran teheran
    baku yerevan ankara kyiv kiev jerusalem damascus riyadh cairo brussels
    pyongyang seoul delhi islamabad kabul baghdad tbilisi minsk warsaw rome
    madrid ottawa canberra caracas havana pretoria abuja nairobi doha
    whitehall westminster pentagon
    """.split()
) | frozenset({"white house", "downing street", "new delhi", "the white house"})

# Common nouns whose noun phrase is a government ("the government said").
GOVERNMENT_NOUNS = frozenset(
    """
    government administration cabinet kremlin pentagon parliament
    congress senate state department presidency regime authorities
    """.split()
)

# Common nouns whose noun phrase is an organisation ("the agency said").
ORGANIZATION_NOUNS = frozenset(
    """
    agency committee commission campaign company firm group party council
    ministry
    office department bureau board police army military court union
    organization organisation association institute foundation network
    newspaper paper magazine outlet channel station bank fund team coalition
    movement center centre service corporation university school hospital
    poll survey study report statement website site
    """.split()
)

# Common nouns for people ("the spokeswoman said").
PERSON_NOUNS = frozenset(
    """
    spokesman spokeswoman spokesperson official officials aide aides adviser
    advisor advisers advisors source sources doctor lawyer attorney witness
    resident residents expert experts analyst analysts economist man woman
    people voter voters supporter supporters critic critics candidate leader
    leaders minister president senator governor mayor father mother son
    daughter husband wife friend friends colleague colleagues member members
    director chairman executive officer officers activist activists head
    chief boss worker workers staffer staffers lawmaker lawmakers legislator
    legislators observer observers diplomat diplomats
    """.split()
)

# spaCy entity labels.
PERSON_LABELS = frozenset({"PERSON"})
ORGANIZATION_LABELS = frozenset({"ORG", "NORP"})
GOVERNMENT_LABELS = frozenset({"GPE"})

# How far back (in sentences) a pronoun may look for the person it stands for.
PRONOUN_WINDOW = 6
# How far back (in paragraphs) an unattributed quote may borrow the last speaker.
QUOTE_CARRY_PARAGRAPHS = 0

# Nouns for the medium of a statement: "In a statement, the ministry condemned ...".
MEDIUM_NOUNS = frozenset(
    """
    statement interview tweet tweets post letter speech release op-ed oped
    editorial memo email e-mail message video broadcast briefing remarks
    testimony column blog essay article
    """.split()
)

# Media that speak for their issuer even without reported content ("In a statement,
# the ministry condemned the attack"); the other media need a clause or a quote.
STATEMENT_NOUNS = frozenset("statement release".split())

# A sentence with its own cue reports direct speech when it quotes at least this
# many words in one go (shorter quotes are scare quotes inside reported speech).
DIRECT_QUOTE_WORDS = 4

# Verbs of stance that news attribution treats like speech in a relative clause
# ("the NRA, which has endorsed Trump, said ...": the clause is not part of the source).
STANCE_VERBS = frozenset("endorse support back oppose criticize criticise".split())

# Words that may open a source noun phrase but are not part of it ("even Mr. Slinker").
FOCUS_WORDS = frozenset("just only even also both all".split())

# Words of a heading before a colon, never a speaker ("Editor's Note:", "The Latest:").
HEADING_WORDS = frozenset(
    """
    note update updated correction clarification question answer latest breaking
    watch look plus revealed spoiler exclusive video photos transcript
    """.split()
)

# A dateline ("NEW YORK (AP) —") is at most this many tokens long, ending in a dash.
DATELINE_MAX_TOKENS = 8
DASHES = frozenset({"—", "–", "--", "-"})

# A cue inside a subordinate clause ("While Comey said ...") counts as this much
# deeper than its place in the parse, so that the main clause's cue wins.
SUBORDINATE_DEPTH = 3
SUBORDINATORS = frozenset("while when whereas although though because if after before since unless once".split())

# Tokens before a verb of saying that announce an inverted speaker ("..., said Smith").
INVERSION_MARKS = frozenset({",", "”", '"', "''", "’", "'"})

# How far back from a source word to look for the "(" of "(D-Conn.)".
PARENTHESIS_MAX_TOKENS = 6
