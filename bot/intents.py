"""What a message is before it is a search: thanks, a call for help, a greeting, or a question about the
agreement itself (its period, its parties, its purpose, its two parts).

Each is recognised by its words as term keys (so inflections and text typed without æøå count) and only
when nothing else is left in the message: "hvem er partene?" asks who the parties are, "hva skal partene
gjøre med sykkelveiene?" is a question for the search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from bot.search.analysis import fold, term_key, tokenize
from bot.search.compounds import wordfreq_zipf


def _keys(words: str) -> frozenset[str]:
    """The term keys of the words in a space-separated list."""
    return frozenset(term_key(token.surface) for token in tokenize(words))


_TOPIC_WORDS: dict[str, str] = {}  # a word about the agreement itself, without æøå → its key (for typos)
TYPO_MIN_LENGTH = 6  # a shorter word one letter off is another word
REAL_WORD_ZIPF = 3.0  # as common as this in general Norwegian, a word is meant as typed


def _topic_keys(words: str) -> frozenset[str]:
    """`_keys`, remembering the words, so one typed a letter off counts as well ("partenne", "perioen")."""
    for token in tokenize(words):
        _TOPIC_WORDS[fold(token.surface.lower())] = term_key(token.surface)
    return _keys(words)


def _topic_key(word: str) -> str:
    """The word's key, or the key of the topic word it misspells (one letter off, and no common word)."""
    key = term_key(word)
    folded = fold(word.lower())
    if len(folded) < TYPO_MIN_LENGTH or folded in _TOPIC_WORDS or key in TOPIC_KEYS:
        return key
    if wordfreq_zipf()(word.lower()) >= REAL_WORD_ZIPF:
        return key
    found = extractOne(folded, _TOPIC_WORDS.keys(), scorer=OSA.distance, score_cutoff=1)
    return _TOPIC_WORDS[found[0]] if found else key


def _key_list(text: str) -> list[str]:
    return [term_key(token.surface) for token in tokenize(text)]


# -- thanks, help, greetings -----------------------------------------------------------------------------
THANKS = _keys("takk takker takka tack thanks thank thx tusentakk")
THANKS_FILLER = _keys(
    "tusen mange hjertelig skal du ha for hjelpen hjelp svaret svar det så mye bra flott supert fint kjempe "
    "kjempebra perfekt nydelig ok okei greit ja hei igjen dere deg you very much much alle tids"
)
HELP = _keys("hjelp hjelpe hjelpa help kommandoer kommando meny menyen bruksanvisning")
HELP_FILLER = _keys(
    "hei hallo kan du meg jeg eg deg trenger treng trengs litt med noe noko vær være så snill please takk "
    "hvordan korleis åssen bruke bruker bruka virker verker fungerer funkar hva kva gjøre gjere spørre spørje "
    "om kan jeg eg er finnes fins de dei som the bot boten"
)
HELP_PHRASES = (("hva", "kan", "du"), ("kva", "kan", "du"), ("hvordan", "bruk"), ("korleis", "bruk"))
GREETING_WORDS = "hei hallo heisann hoi halla heia morn morna hi hello hey yo"
GREETINGS = _keys(GREETING_WORDS + " god morgen dag kveld")  # a greeting anywhere in a message without a subject


# -- small talk: what a person says to the bot that is not a question -----------------------------------------
class SmallTalk(Enum):
    WRONG_ANSWER = "wrong_answer"
    WHO_ARE_YOU = "who_are_you"
    GOODBYE = "goodbye"
    GREETING = "greeting"
    THANKS = "thanks"


@dataclass(frozen=True)
class _Talk:
    kind: SmallTalk
    phrases: tuple[tuple[str, ...], ...]  # the message holds one of them (term keys, in a row)
    words: frozenset[str]  # every word of the message is one of these (the phrases' words and the filler)


def _talk(kind: SmallTalk, phrases: str, filler: str | frozenset[str]) -> _Talk:
    """`phrases` separated by "|"; `filler` the words the message may hold besides them."""
    keyed = tuple(tuple(_key_list(phrase)) for phrase in phrases.split("|"))
    words = frozenset(key for phrase in keyed for key in phrase) | (
        filler if isinstance(filler, frozenset) else _keys(filler)
    )
    return _Talk(kind, keyed, words)


# In this order: the first that fits wins ("takk, men det var feil svar" is about the answer, not thanks).
SMALL_TALK = (
    _talk(
        SmallTalk.WRONG_ANSWER,
        "feil|galt|gale|ikke riktig|ikke rett|bommet|misforstått|ikke det jeg spurte om|ikke svar på",
        "takk tusen men det dette var er ble svar svaret svarene du ga gav fikk jeg eg helt litt dessverre nok nei "
        "hmm ok okei spørsmålet mitt",
    ),
    _talk(
        SmallTalk.WHO_ARE_YOU,
        "hvem er du|kven er du|hva er du|kva er du|hva heter du|kva heiter du|er du en bot|er du ein bot|"
        "er du en robot|er du et menneske|hvem snakker jeg med|hvem er dette|hvem har laget deg|hvem har lagd deg|"
        "hvem lagde deg|kven har laga deg|hvem har programmert deg|hvem står bak deg|hvem eier deg",
        "hei hallo egentlig eigentleg da så og nå",
    ),
    _talk(
        SmallTalk.GOODBYE,
        "ha det|hade|hadet|adjø|farvel|bye|snakkes|god natt|ha en fin dag|ha en god dag",
        "takk tusen og så bra da bare hei for nå no i dag helg godt",
    ),
    _talk(
        SmallTalk.GREETING,
        "|".join([*GREETING_WORDS.split(), "god morgen", "god dag", "god kveld", "god ettermiddag", "takk for sist"]),
        "du dere der alle sammen igjen boten bot og",
    ),
    _talk(SmallTalk.THANKS, "|".join(sorted(THANKS)), THANKS_FILLER),
)


def small_talk(text: str) -> SmallTalk | None:
    """What a message of small talk is ("morn", "ha det", "takk for hjelpen!", "hvem er du?"); None for anything
    with a word besides, which is a question."""
    keys = _key_list(text)
    for talk in SMALL_TALK:
        if keys and all(key in talk.words for key in keys) and any(_in_a_row(keys, p) for p in talk.phrases):
            return talk.kind
    return None


def _in_a_row(keys: list[str], phrase: tuple[str, ...]) -> bool:
    return any(tuple(keys[i : i + len(phrase)]) == phrase for i in range(len(keys) - len(phrase) + 1))


def is_help(text: str) -> bool:
    """A bare "hjelp", "hjelp meg", "kan du hjelpe meg?", "hva kan du?", "hvordan bruker jeg deg?"; never small
    talk ("takk for hjelpen")."""
    keys = _key_list(text)
    if small_talk(text) is not None:
        return False
    if not keys or not all(k in HELP or k in HELP_FILLER for k in keys):
        return False
    if any(k in HELP for k in keys):
        return True
    words = [token.surface for token in tokenize(text)]
    return any(_contains(words, phrase) for phrase in HELP_PHRASES)


def is_greeting(text: str) -> bool:
    return any(key in GREETINGS for key in _key_list(text))


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    """The phrase's words in order, each a prefix of a word ("bruk" in "bruker")."""
    position = 0
    for word in words:
        if position < len(phrase) and word.startswith(phrase[position]):
            position += 1
    return position == len(phrase)


# -- questions about the agreement itself -----------------------------------------------------------------
class Topic(Enum):
    PERIOD = "period"
    PARTIES = "parties"
    SIGNATORIES = "signatories"  # who signed it: persons the agreement's text does not name
    PURPOSE = "purpose"
    PARTS = "parts"
    WHAT = "what"  # "hva er partnerskapsavtalen?", "hva handler avtalen om?"
    AREAS = "areas"  # "hva er innsatsområdene?", "hvor mange tiltak har avtalen?"


# Words that name the agreement (or the partnership) in a question about it.
AGREEMENT = _topic_keys(
    "avtale avtalen avtala avtaler partnerskapsavtale partnerskapsavtalen partnerskapsavtala partnerskap "
    "partnerskapet samarbeidsavtale samarbeidsavtalen denne vår dykkar dokka dokker gjeldende gjeldande "
    "egentlig eigentleg nå no nye ny spesielle spesiell samarbeidsavtala"
)
WHO = _topic_keys("hvem kven kem kæm hvilke hvilken hvilket kva")
WHO_PERSON = _topic_keys("hvem kven kem kæm")  # who, not which ("hvilke kommuner …?" asks for a list)
PARTY = _topic_keys(
    "part parter partene partane partner partnere partnerne partnarane aktører avtaleparter motpart motparten "
    "motparter motpartane"
)
# What the parties are called in a question that asks who they are ("kommunenes samarbeidsorgan og fylket").
PARTY_NAMES = _topic_keys(
    "kommune kommunene kommunenes kommunane fylke fylket fylkeskommune fylkeskommunen regionråd regionrådet "
    "samarbeidsorgan samarbeidsorganet iør viken mellom regionsamarbeidet kommunesamarbeidet region regionen indre "
    "østfold"
)
COLLABORATES = _topic_keys("samarbeider samarbeidar samarbeida samarbeidet samarbeide")  # "hvem samarbeider vi med?"
ROLE = _topic_keys("rolle rollen rolla roller rollene ansvar ansvaret oppgave oppgaven oppgåve oppgåva")
SIGNED = _topic_keys("inngått inngikk skrevet skreiv laget lagde står bak")
# Who signed it asks for persons, whom the text does not name ("hvem signerte avtalen for fylket?").
SIGNED_BY = _topic_keys("signert signerte signere signerer underskrevet underskreiv underskrev under underskrift")
PERIOD = _topic_keys(
    "periode perioden varer vare varighet lenge gyldig gyldighet gyldigheit utløper utløp slutter sluttdato "
    "startdato starter begynner begynte fornyes fornyet fornying revideres revidert rullering"
)
# Words that ask about the period only beside a word of time: "når gjelder avtalen?" (not "hva gjelder …?").
PERIOD_WITH_TIME = _topic_keys("gjelder gjeld gjelde inngått inngikk slutt start går ut")
TIME = _topic_keys("når naar nar tid år årstall til fra frå fram frem lang")
PURPOSE = _topic_keys(
    "formål formålet føremål føremålet hensikt hensikten hensikta mål målet målsetting målsettingen hvorfor "
    "kvifor poeng poenget meningen meininga vitsen visjon visjonen oppnå oppnås ønsker ønskjer ambisjon ambisjonen"
)
# Of the purpose words, those that ask for the ambition ("Ambisjon for avtalen") before the stated purpose.
AMBITION = _topic_keys("ambisjon ambisjonen ambisjonane visjon visjonen oppnå oppnås målsetting målsettingen")
PARTS = _topic_keys(
    "generell generelle spesiell spesielle allmenn allmenne deler delene del delen består inneholder to sammenheng "
    "sammenhengen forhold forholdet leses sees"
)
# What the parties agreed ("hva har kommunene og fylket avtalt?"): a question about the agreement itself.
AGREED = _topic_keys("avtalt avtalte enige einige")
WHAT = _topic_keys(
    "hva kva handler handlar om innhold innholdet inneholder inneheld fortell forklar sier seier dekker dekkjer "
    "omfatter omfattar"
)
AREAS = _topic_keys(
    "innsatsområde innsatsområder innsatsområdene innsatsområda innsatsområdane område områder områdene områda "
    "tiltak tiltakene tiltaka satsingsområder satsingsområdene satsingsområda temaer temaene tema hovedområde "
    "hovedområder hovedområdene hovudområde hovudområda fokusområde fokusområder fokusområdene hovedtema "
    "hovedtemaer hovedtemaene hovudtema hovudtemaa hovedpunkter hovedpunktene hovudpunkta hovedsaker hovedsakene"
)
COUNT = _topic_keys("mange antall tal talet oversikt liste tre fire fem")  # "hvilke tre hovedområder …?"
TOPIC_KEYS = frozenset(_TOPIC_WORDS.values())


def asks_ambition(text: str) -> bool:
    """Whether a question about the purpose names the ambition ("hva er ambisjonen med avtalen?")."""
    return bool(set(_key_list(text)) & AMBITION)


def agreement_topic(text: str, content_words: Iterable[str]) -> Topic | None:
    """The topic of a question about the agreement itself, or None when the question has any other subject.

    `content_words` are the question's words the search would look for (filler dropped); every one must
    belong to the topic or name the agreement, so a question with a subject of its own goes to the search.
    """
    keys = {_topic_key(token.surface) for token in tokenize(text)}
    rest = {_topic_key(word) for word in content_words} - AGREEMENT
    names_agreement = bool(keys & AGREEMENT)
    if keys & PARTY and rest <= PARTY | WHO | PARTY_NAMES and (keys & WHO or keys & _keys("avtaleparter")):
        return Topic.PARTIES
    if keys & WHO and names_agreement and keys & _keys("mellom") and rest <= PARTY_NAMES | WHO:
        return Topic.PARTIES  # "hvem er avtalen mellom?"
    if keys & WHO and keys & SIGNED_BY and names_agreement and rest <= SIGNED_BY | SIGNED | WHO | PARTY_NAMES:
        return Topic.SIGNATORIES
    if keys & WHO and keys & SIGNED and names_agreement and rest <= SIGNED | WHO | PARTY_NAMES:
        return Topic.PARTIES  # "hvem har inngått avtalen, er det fylket og kommunene?"
    if keys & WHO and keys & COLLABORATES and keys & _keys("med") and rest <= COLLABORATES | WHO | PARTY_NAMES:
        return Topic.PARTIES  # "hvem samarbeider vi med her egentlig?"
    if keys & WHO_PERSON and keys & _keys("med") and names_agreement and rest <= PARTY_NAMES | WHO:
        return Topic.PARTIES  # "hvem er med i avtalen?"
    if keys & WHO_PERSON and names_agreement and rest and rest <= PARTY_NAMES:
        return Topic.PARTIES  # "hvem er samarbeidsorganet for kommunene i denne avtalen?"
    if keys & ROLE and names_agreement and rest & (PARTY | PARTY_NAMES) and rest <= ROLE | PARTY | PARTY_NAMES | WHO:
        return Topic.PARTIES  # "hva er fylkets rolle i avtalen?"
    asks_period = keys & PERIOD or (keys & PERIOD_WITH_TIME and keys & TIME)
    if asks_period and rest <= PERIOD | PERIOD_WITH_TIME | TIME and (names_agreement or keys & PERIOD):
        return Topic.PERIOD
    partnership = keys & _keys("samarbeidet")  # beside a word of purpose: "hva vil vi oppnå med samarbeidet?"
    if (
        keys & PURPOSE
        and rest <= PURPOSE | partnership
        and (names_agreement or partnership or keys & _keys("formål føremål hensikt"))
    ):
        return Topic.PURPOSE
    if keys & _keys("generell spesiell allmenn") and rest <= PARTS:
        return Topic.PARTS
    if names_agreement and not rest - WHAT and (keys & WHAT or keys <= AGREEMENT):
        return Topic.WHAT
    if (
        keys & AREAS
        and rest <= AREAS | COUNT | WHO | WHAT | COLLABORATES | PARTY_NAMES
        and (keys & (WHO | WHAT | COUNT) or names_agreement)
    ):
        return Topic.AREAS  # "hvilke hovedområder samarbeider vi med fylket om?"
    if keys & AGREED and rest - AGREED and rest - AGREED <= PARTY_NAMES and keys & (WHO | WHAT):
        return Topic.WHAT  # "hva har samarbeidsorganet for kommunene og fylket avtalt?"
    return None
