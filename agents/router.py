"""Semantic router: picks sql / docs / industry / smalltalk (or clarify) for a message from labelled example utterances.

How it decides (chosen by cross-validation on the example bank, see `python -m bench.bench_routing --compare`):

1. Features: the message's MiniLM embedding (tools.embeddings) concatenated with a TF-IDF vector of its word
   unigrams and bigrams (vocabulary from the bank). The embedding carries topic and paraphrase; the lexical part
   carries the cues MiniLM blurs, such as "our"/"we" versus "typical"/"industry".
2. A softmax (multinomial logistic regression) head trained on the bank when the router is built (numpy, <1 s,
   deterministic). Its probabilities are the route scores.
3. `clarify` when the message is empty; or far from every bank example (max cosine below `min_similarity`);
   or mostly made of words neither the embedding model's vocabulary nor the bank knows (keyboard mash) while
   not close to any example; or the top probability is below `min_score`; or the top two are within
   `min_margin`. `RouteDecision.reason` says which.
4. Before those: a message made only of greeting, thanks, farewell and how-are-you words (`COURTESY`, in English and
   the languages of the tenants' customers: "hola, ¿qué tal?", "moi", "guten Tag, wie geht's", "olá, tudo bem",
   "merci", "dziękuję"; and whole phrases of more languages, `COURTESY_PHRASES`: "szia, hogy vagy?", "bok, kako si?",
   "apa kabar?", a how-are-you asked with its question mark) is small talk, confidently: the embedding model reads
   English only and would call these unknown words. (agents/doc_routing.py keeps such a message small talk whatever
   the documents match.) A greeting before a question ("sasa! which days are you in town?", "goedemorgen, do you fit
   contact lenses") is taken off before the question is scored (`without_greeting`): the greeting does not make it
   small talk.
   A short message written wholly in a script other than Latin ("안녕하세요!", "שלום", "สวัสดีครับ") is small talk
   by its shape (`unread_script`: Unicode letter categories, no Latin letter, a few words), and such a head segment
   before an English question is taken off like a listed greeting.

`method="knn"` (mean cosine of the k nearest examples per route) and `method="embedding"` (softmax head on the
embedding only) are kept for comparison in the benchmark.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from agents.routes import CLARIFY, ROUTABLE
from tools.embeddings import embed, model_name

ROUTES: tuple[str, ...] = ROUTABLE  # the router's classes, in the order of its score vectors (agents/routes)
ALL_DECISIONS: frozenset[str] = frozenset((*ROUTES, CLARIFY))
METHODS: tuple[str, ...] = ("hybrid", "embedding", "knn")

DEFAULT_BANK = Path(__file__).resolve().parent / "routes" / "examples.json"

# Chosen on the example bank (10-fold cross-validation), never on tests/data/routing_set.jsonl.
DEFAULT_METHOD = "hybrid"
DEFAULT_MIN_SIMILARITY = 0.20  # below: nothing in the bank is about this message (under the CV minimum, ~0.23)
DEFAULT_MIN_SCORE = 0.40  # hybrid/embedding: top probability; knn: top mean cosine
DEFAULT_MIN_MARGIN = 0.05  # hybrid/embedding: probability gap top-1 - top-2; knn: cosine gap
MIN_KNOWN_WORDS = 0.5  # fraction of known words below which a message counts as unrecognised ...
UNKNOWN_WORDS_MAX_SIMILARITY = 0.5  # ... unless it is at least this close to some example ("hiya", "haha")
LEXICAL_WEIGHT = 1.0
L2_C = 10.0  # inverse L2 strength, as in scikit-learn's LogisticRegression(C=...)
TRAIN_STEPS = 300
KNN_K = 5
KNN_MIN_SCORE = 0.35
KNN_MIN_MARGIN = 0.015

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# greeting, thanks, farewell and how-are-you words, with the fillers they come with ("guten Tag, wie geht's",
# "muchas gracias a todos", "hei kaikki"); a message made only of these is small talk in any of these languages
COURTESY_WORDS = frozenset("""
hi hello hey hiya heya yo howdy greetings morning afternoon evening night good day thanks thank thx ty cheers bye
goodbye cya see later all everyone team there you u how are r is it going doing hope well fine ok okay very much so
a lot and to too again nice have
hola buenos buenas buen dia días dias tardes noches qué que tal cómo como estás estas está esta están gracias muchas
mil adiós adios hasta luego pronto mañana chao chau saludos todos amigo amigos igualmente vale bien muy
moi moikka hei heippa terve tervehdys huomenta päivää iltaa hyvää huomista kiitos kiitoksia paljon mitä kuuluu
näkemiin nähdään kaikki moro
hallo guten gute tag morgen abend nacht wie gehts geht's geht es dir ihnen euch danke dankeschön schön vielen dank
tschüss tschüs servus moin grüß gruß grüezi gott zusammen alle auf wiedersehen bis bald später liebe grüße
olá ola oi bom boa tardes noite tudo bem obrigado obrigada muito tchau até logo vai você voce pessoal
bonjour bonsoir salut merci beaucoup ça ca va comment allez vous au revoir bonne journée soirée tout le monde
ciao buongiorno buonasera grazie mille come stai sta arrivederci
hej hejsan tjena god dag morgon kväll tack så mycket hallå hur mår du hadet farvel takk tusen ha det bra
hoi goedemorgen goedemiddag goedenavond dank je wel bedankt doei tot ziens
dzień dobry cześć dziękuję dzięki witam do widzenia jak się masz siema
ahoj dobrý den děkuji díky
merhaba selam teşekkürler sağol
namaste shukriya dhanyavaad
konnichiwa arigato arigatou ohayo sayonara こんにちは おはよう ありがとう さようなら
nihao 你好 谢谢 再见 привет здравствуйте спасибо пока
howzit sawubona molo dumela goeie môre more middag dankie baie totsiens ngiyabonga enkosi jambo habari asante
salaam salam alaikum marhaba shukran sabah el kheir namaskar vanakkam kia ora gday g'day
fijne fijn nog avond weekend dagje groetjes doeg hallo hoe gaat het met jou u alles goed
sana kwaheri yako mambo poa sasa karibu nzuri salama shikamoo vipi hujambo sijambo
buona buon serata giornata notte bella tutti salve feliz fin semana bon bonne bientôt demain à et en een
""".split())
# at least one of these, so that "you" or "how are" alone is not a greeting
COURTESY_HEADS = frozenset("""
hi hello hey hiya heya yo howdy greetings morning afternoon evening night thanks thank thx ty cheers bye goodbye cya
hola buenos buenas buen gracias adiós adios chao chau saludos tal moi moikka hei heippa terve tervehdys huomenta
päivää iltaa kiitos kiitoksia kuuluu näkemiin nähdään moro hallo guten tag morgen abend gehts geht's danke
dankeschön tschüss tschüs servus moin grüß gruß grüezi wiedersehen olá ola oi bom boa obrigado obrigada tchau tudo
bonjour bonsoir salut merci revoir ciao buongiorno buonasera grazie arrivederci hej hejsan tjena tack hallå hadet
farvel takk hoi goedemorgen goedemiddag goedenavond bedankt doei dag dzień dobry cześć dziękuję dzięki witam siema
ahoj děkuji díky merhaba selam teşekkürler sağol namaste shukriya dhanyavaad konnichiwa arigato arigatou ohayo
sayonara こんにちは おはよう ありがとう さようなら nihao 你好 谢谢 再见 привет здравствуйте спасибо пока
howzit sawubona molo dumela goeie dankie totsiens ngiyabonga enkosi jambo habari asante salaam salam marhaba
shukran namaskar vanakkam kia gday g'day salve kwaheri groetjes doeg mambo hujambo shikamoo buona buon bonne bon
bientôt fijne
""".split())
COURTESY_MAX_WORDS = 8
_COURTESY_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Greetings, how-are-you's, thanks and farewells of more languages, as whole phrases ("hogy vagy", "kako si", "ce mai
# faci", "apa kabar", "hvordan har du det"), one phrase per "|", in the Latin spelling their speakers type (also without
# diacritics). Matched as whole word sequences (`courtesy_phrases`): a phrase's words count as courtesy words and the
# phrase as a greeting proper (a how-are-you is one), but a word of a phrase alone does not ("van" of "hogy van", "si"
# of "kako si", "ce" of "ce faci" are words of other questions), so a short question in such a language ("szia,
# mennyibe kerül?", "bok, koliko košta?") stays a question.
COURTESY_PHRASES: frozenset[tuple[str, ...]] = frozenset(tuple(p.split()) for p in """
szia | sziasztok | szervusz | szervusztok | helló | hello | jó napot | jo napot | jó napot kívánok | jó reggelt |
jó estét | hogy vagy | hogy vagytok | hogy van | hogy vannak | hogy s mint | mi újság | mi ujsag | mizu | köszönöm |
köszönöm szépen | koszonom | köszi | koszi | köszönjük | viszlát | viszlat | viszontlátásra |
bună | buna | bună ziua | buna ziua | bună dimineața | buna dimineata | bună seara | buna seara | ce faci |
ce mai faci | ce faceți | ce faceti | mulțumesc | multumesc | mersi | la revedere |
bok | zdravo | dobar dan | dobro jutro | dobra večer | dobro veče | kako si | kako ste | kako je | šta ima | sta ima |
što ima | hvala | hvala lijepa | hvala vam | doviđenja | dovidjenja | vidimo se | živjo | zivjo | dober dan | živijo |
nasvidenje | hvala lepa |
ahoj | čau | cau | dobrý den | dobry den | dobrý deň | jak se máš | jak se mas | jak se máte | jak se mate |
jak se vede | jak se daří | ako sa máš | ako sa mas | ako sa máte | ako sa mate | ako sa darí | děkuji | dekuji |
díky | diky | ďakujem | dakujem | vďaka | vdaka | na shledanou | dovidenia |
cześć | czesc | dzień dobry | dzien dobry | jak się masz | jak sie masz | jak się macie | co słychać | co slychac |
jak leci | dziękuję | dziekuje | dzięki | dzieki | do widzenia |
tere | tervist | tere päevast | kuidas läheb | kuidas sul läheb | kuidas käsi käib | aitäh | aitah | tänan |
head aega | nägemist |
sveiki | labdien | labrīt | kā iet | ka iet | kā jums iet | kā tev iet | paldies | uz redzēšanos |
labas | laba diena | labas rytas | kaip sekasi | kaip tau sekasi | kaip jums sekasi | kaip laikaisi | ačiū | aciu |
viso gero |
halló | hæ | góðan dag | góðan daginn | góða kvöldið | gott kvöld | hvað segirðu | hvað segir þú |
hvernig hefur þú það | hvernig hefurðu það | hvernig gengur | takk | takk fyrir | takk kærlega | bless | bless bless |
sæl | sæll | sæl og blessuð |
hej | hei | hejsan | god morgen | goddag | god dag | god aften | hvordan har du det | hvordan går det |
hvordan står det til | hvordan har dere det | hvordan har i det | tusind tak | mange tak | tusen takk | ha det |
ha det bra | vi ses | hur är läget | läget | hur går det | hur mår ni | tack så mycket | hej då | hej hej |
miten menee | mitä sulle kuuluu | kiitos paljon | hei hei | moikka moikka |
hoe is het | hoe gaat het | alles goed | alles gut | wie geht's | wie geht es | wie gehts |
qué tal | que tal | cómo estás | como estas | cómo está | como esta | cómo están | como estan | cómo te va |
como te va | cómo le va | qué onda | que onda | qué pasa | que pasa | todo bien | qué hubo | quiubo | buen día |
buenas | tudo bem | tudo bom | como vai | como vão | como estás | beleza |
come stai | come sta | come va | tutto bene | tutto a posto |
ça va | ca va | comment ça va | comment ca va | comment allez vous | comment vas tu | ça roule |
bon dia | bona tarda | bona nit | com estàs | com estas | com està | com va | gràcies | gracies | adéu | adeu |
kaixo | egun on | arratsalde on | zer moduz | zer moduz zaude | eskerrik asko | agur |
dia dhuit | dia duit | conas atá tú | conas ata tu | go raibh maith agat | slán | slan |
halò | madainn mhath | feasgar math | ciamar a tha thu | ciamar a tha sibh | tapadh leat | tapadh leibh |
mar sin leat | shwmae | shw mae | bore da | prynhawn da | sut wyt ti | sut dach chi | sut mae | diolch |
diolch yn fawr | hwyl |
merhaba | nasılsın | nasilsin | nasılsınız | nasilsiniz | naber | ne haber | iyi günler | iyi gunler | günaydın |
gunaydin | iyi akşamlar | iyi aksamlar | teşekkür ederim | tesekkur ederim | teşekkürler | tesekkurler | sağ ol |
sag ol | görüşürüz | gorusuruz | hoşça kal | hosca kal |
halo | hai | selamat pagi | selamat siang | selamat sore | selamat petang | selamat malam | selamat datang |
apa kabar | apa khabar | kabar baik | terima kasih | terima kasih banyak | makasih | sampai jumpa | jumpa lagi |
kumusta | kamusta | kumusta ka | kamusta ka | kumusta po | kamusta po | kumusta po kayo | kamusta po kayo |
kumusta kayo | kamusta kayo | magandang umaga | magandang hapon | magandang gabi | magandang araw | salamat |
maraming salamat | salamat po | paalam | ingat |
xin chào | xin chao | chào | chào bạn | chao ban | chào shop | bạn khỏe không | ban khoe khong | khỏe không |
khoe khong | cảm ơn | cam on | cám ơn | cảm ơn nhiều | tạm biệt | tam biet |
yassou | yasou | yia sou | geia sou | geia sas | yia sas | kalimera | kalimera sas | kalispera | kalispera sas |
ti kaneis | ti kanis | ti kanete | pos eisai | efcharisto | efharisto | efcharisto poli | efharisto poli | adio |
antio |
namaste | namaskar | namaskaram | kaise ho | kaise hain | aap kaise hain | kya haal hai | kya hal hai | kaisa hai |
shukriya | dhanyavaad | dhanyavad | dhanyawad | alvida | phir milenge |
ahlan | ahlan wa sahlan | marhaba | salam | salaam | assalamu alaikum | as salamu alaykum | salam alaikum |
kayf halak | kaifa haluk | kaif halak | keef halak | ezayak | ezayek | izzayak | shukran | shukran jazeelan |
shokran | ma'a salama | maa salama | ma salama | sabah el kheir | sabah al khair | masaa el kheir | masa al khair |
habari | habari gani | habari yako | habari za asubuhi | mambo | jambo | asante | asante sana | kwaheri |
sawubona | unjani | ngiyabonga | molo | enkosi | dumela |
sannu | yaya kake | ina kwana | na gode | bawo ni | e kaaro | e ku aaro | e ku ise | ndewo | kedu | daalụ | daalu |
hallo | goeie môre | goeie more | hoe gaan dit | dankie | baie dankie | totsiens |
sawasdee | sawatdee | sawasdee krub | sawasdee ka | sawasdee kha | sawatdee khrap | sawatdee ka | sabai dee mai |
sabai di mai | khob khun | khop khun | khob khun krub | khob khun ka | khop khun khrap | khop khun ka |
konnichiwa | ohayo | ohayou | ohayo gozaimasu | genki desu ka | ogenki desu ka | arigato | arigatou |
arigatou gozaimasu | domo arigato | sayonara | annyeong | annyeonghaseyo | annyeong haseyo | gamsahamnida |
kamsahamnida | ni hao | nihao | ni hao ma | xie xie | xiexie | zaijian | zai jian | neih hou | nei hou | lei hou |
m goi | m goi saai |
kia ora | tēnā koe | tena koe | kei te pēhea koe | kei te pehea koe | aloha | mahalo |
ayubowan | kohomada | kohomada oyata | istuti | bohoma istuti | vanakkam | eppadi irukeenga | eppadi irukkinga |
nandri | chetori | khubi | mamnoon | merci | khodahafez | khoda hafez |
shalom | ma nishma | ma shlomcha | ma shlomech | toda raba | lehitraot |
privet | zdravstvuyte | kak dela | spasibo | poka | do svidaniya | pryvit | yak spravy | dyakuyu |
përshëndetje | pershendetje | tungjatjeta | si je | si jeni | faleminderit | mirupafshim | bongu | kif inti | grazzi |
""".split("|") if p.strip())


_PHRASE_MAX = max(len(p) for p in COURTESY_PHRASES)


def courtesy_phrases(words: list[str]) -> frozenset[int]:
    """The positions of the words (lower-cased tokens) that make up a whole phrase of `COURTESY_PHRASES`, the longest
    phrase first at each position ("szia, hogy vagy" -> all three; "szia, mennyibe kerül" -> only "szia")."""
    covered: set[int] = set()
    i = 0
    while i < len(words):
        for n in range(min(_PHRASE_MAX, len(words) - i), 0, -1):
            if tuple(words[i:i + n]) in COURTESY_PHRASES:
                covered.update(range(i, i + n))
                i += n
                break
        else:
            i += 1
    return frozenset(covered)


def is_courtesy(text: str) -> bool:
    """Whether the message is only greeting / thanks / farewell / how-are-you words (`COURTESY_WORDS`, at most
    `COURTESY_MAX_WORDS`, one of them a greeting or thanks word proper) in one of the languages listed: small talk.
    A greeting's filler words the list lacks ("fijne dag nog", "habari yako") may stand beside it: at most one word in
    three (one in a short message), none of them an English word ("danke für die Brille" and "hola, do you sell kids
    frames" stay questions). A greeting, how-are-you, thanks or farewell phrase of more languages (`COURTESY_PHRASES`,
    matched whole: "szia, hogy vagy?", "bok, kako si?", "apa kabar?") counts as such words, a question mark and all;
    a word of such a phrase alone does not ("szia, mennyibe kerül?" stays a question). A greeting in a language the
    lists lack is read by its shape (`_foreign_greeting`), and
    so is a short message written wholly in a script other than Latin (`unread_script`: "안녕하세요!", "שלום",
    "สวัสดีครับ")."""
    if unread_script(text):
        return True
    words = _COURTESY_TOKEN.findall(text.lower())
    if not words or len(words) > max(COURTESY_MAX_WORDS, FOREIGN_MAX_WORDS) or re.search(r"\d", text):
        return False
    if not any(w in COURTESY_HEADS for w in words):
        # a greeting, how-are-you, thanks or farewell phrase of another language heads it ("szia, hogy vagy?"; two
        # words at least: one word alone may be a name), or the message is read by its shape
        phrased = courtesy_phrases(words)
        return (bool(phrased) and len(words) >= 2 and _only_courtesy(text, words, phrased)) or _foreign_greeting(
            text, words)
    return _only_courtesy(text, words, courtesy_phrases(words))


def _only_courtesy(text: str, words: list[str], phrased: frozenset[int]) -> bool:
    """Whether the words, one of them a greeting proper, are courtesy words (`COURTESY_WORDS`, or a word of a whole
    phrase of `COURTESY_PHRASES` at the positions `phrased`), but for one word in three at most (one in a short
    message) that is no English word. Not even one such word when a phrase the word list lacks is asked with a
    question mark: "hogy van a garancia?" asks how the guarantee is, "hogy van?" how one is."""
    if len(words) > COURTESY_MAX_WORDS:
        return False
    others = [w for i, w in enumerate(words) if w not in COURTESY_WORDS and i not in phrased]
    if not others:
        return True
    asked_phrase = "?" in text and any(words[i] not in COURTESY_WORDS for i in phrased)
    if asked_phrase or len(others) > max(1, len(words) // 3):
        return False
    from tools.english import english_words

    english = english_words()
    return bool(english) and all(w not in english for w in others)


def _foreign_greeting(text: str, words: list[str]) -> bool:
    """A greeting in a language the courtesy list lacks ("iyi günler!", "magandang umaga po!", "maraming salamat,
    ingat kayo", "terima kasih banyak, sampai jumpa lagi ya!"): two to `FOREIGN_MAX_WORDS` words, none of them an
    English word in everyday use (`_common_english`: a rare string of the English model's vocabulary, "iyi",
    "salamat", is no English word) but one in three at most among three or more (a short foreign word that English
    also spells; a word said to the shop, "salamat po sa shop ninyo!"), no question mark, and the
    exclamation mark or comma a greeting is written with, short words and no capitalised name after the first
    word. A question in another language ends with "?" or holds an English word; one word alone may be a name
    ("Bornova"), so it is never taken for a greeting."""
    if not 2 <= len(words) <= FOREIGN_MAX_WORDS or "?" in text or not re.search(r"[!,]", text) or any(
            len(w) > 10 for w in words):
        return False
    if any(w[:1].isupper() for w in _COURTESY_TOKEN.findall(text)[1:]):
        return False  # a name inside ("Öffnungszeiten Bornova!", "Cebu, salamat"): it asks about something
    english = _common_english()
    known = [w for w in words if w in english or w in _COURTESY_FILLERS]
    # a short word of the other language that English also spells, or a word said to the shop ("salamat po sa shop
    # ninyo!"), may stand among three or more words: at most one word in three
    return bool(english) and len(known) <= (len(words) // 3 if len(words) >= 3 else 0)


# A greeting in a Latin-script language the courtesy list lacks: at most this many words
FOREIGN_MAX_WORDS = 10
# A short message written wholly in a script other than Latin: at most this many words and letters
UNREAD_MAX_WORDS = 3
UNREAD_MAX_LETTERS = 24


def _latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def unread_script(text: str) -> bool:
    """Whether a message is short and written wholly in a script other than Latin ("안녕하세요!", "Привет!",
    "こんにちは", "שלום", "สวัสดีครับ", "감사합니다, 수고하세요!"), read by its shape in any script: it holds letters
    (Unicode categories L and M), none of them Latin, no digit, at most `UNREAD_MAX_WORDS` words and
    `UNREAD_MAX_LETTERS` letters. The assistant's models read English (every question of the trade, even one naming
    a place in its own script, "is the 홍대 branch open", holds Latin words); such a message is a greeting or a
    pleasantry in the customer's language, and the small-talk answer, which says in English what the assistant can
    answer, is the honest reply to it either way. No list of greetings: the script and the length are the shape."""
    letters = [c for c in text if unicodedata.category(c)[0] in "LM"]
    if not letters or len(letters) > UNREAD_MAX_LETTERS or len(text.split()) > UNREAD_MAX_WORDS:
        return False
    if any(unicodedata.category(c) == "Nd" for c in text):
        return False
    return not any(_latin(c) for c in letters)


_common_english_words: frozenset[str] | None = None


def _common_english() -> frozenset[str]:
    """English words in everyday use, for reading a greeting by its shape: a word of the spaCy English model's
    vocabulary (`tools.english.english_words`, which also holds rare strings and loan words: "iyi", "salamat",
    "shalom", "aloha") that the embedding model's WordPiece vocabulary (the frequent words of English text) or the
    router's example bank also holds. A courtesy word of another language that happens to be a rare string of the
    English model is not an English word here; every word a question of the trade uses is (the bank holds the trade's
    words, WordPiece the language's common ones). Empty when the English model is not installed."""
    global _common_english_words
    if _common_english_words is None:
        from tools.english import english_words

        english = english_words()
        bank = {w for texts in load_examples(DEFAULT_BANK).values() for t in texts for w in _WORD.findall(t.lower())}
        _common_english_words = frozenset(w for w in english if w in bank or w in _tokenizer_words()
                                          or (w.endswith("s") and (w[:-1] in bank or w[:-1] in _tokenizer_words())))
    return _common_english_words


# the English fillers of the courtesy list ("ok, ...", "so, ...", "and, ..."): a head segment made only of these is no
# greeting, so it is left on the question
_COURTESY_FILLERS = frozenset("you u how are r is it going doing hope well fine ok okay very much so a lot and to too "
                              "again nice have all there everyone team".split())
# a head segment ended by punctuation or a spaced dash: "sasa! ...", "goedemorgen, ...", "hi there - ..."
_HEAD = re.compile(r"^\s*([^,!.;:?\u2013\u2014\u3001\u3002\uff01\uff0c]{1,60}?)\s*"
                   r"(?:[,!.;:\u2013\u2014\u3001\u3002\uff01\uff0c]+|\s-+\s)\s*(?=\S)")  # (also CJK 、。！，)


def without_greeting(text: str) -> str:
    """The message with a greeting prefix in any language the courtesy list knows taken off ("sasa! which days are you
    in town?" -> "which days are you in town?", "goedemorgen, do you fit contact lenses"): a head segment, ended by
    punctuation or a dash, of at most five words, all of them courtesy words and not all English fillers ("ok, ..."),
    or a short one wholly in a script other than Latin (`unread_script`: "안녕하세요! how many ..."), before more
    text. The rest is what the message asks; a message that is only courtesy is returned unchanged
    (`is_courtesy` reads it whole)."""
    rest = text
    for _ in range(2):  # "hi there! good morning, ..."
        m = _HEAD.match(rest)
        if not m:
            break
        head, after = m.group(1), rest[m.end():]
        if unread_script(head) and any(_latin(c) for c in after):
            rest = after  # "안녕하세요! how many ...": a greeting in a script the models do not read, then English
            continue
        words = _COURTESY_TOKEN.findall(head.lower())
        phrased = courtesy_phrases(words)
        if (not words or len(words) > 5 or any(w not in COURTESY_WORDS and i not in phrased
                                               for i, w in enumerate(words))
                or all(w in _COURTESY_FILLERS for w in words)):
            break
        rest = after
    return rest if rest.strip() else text


_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class RouteDecision:
    """The router's answer for one message.

    `route` is sql/docs/industry/smalltalk, or `clarify` when the router is not confident. `score` is the top
    route's score (a probability for the default method), `scores` every route's, `margin` the gap between the
    top two. `best` and `runner_up` name those two even when the route is `clarify` (to phrase the clarifying
    question); `similarity` is the cosine to the nearest bank example; `reason` says why a decision is
    `clarify` (empty, low_similarity, unknown_words, low_score, small_margin), empty otherwise.
    """

    route: str
    score: float
    scores: dict[str, float]
    margin: float
    best: str
    runner_up: str
    similarity: float
    reason: str = ""
    latency_ms: float = field(default=0.0, compare=False)

    @property
    def confident(self) -> bool:
        return self.route != CLARIFY


def load_examples(path: Path | str = DEFAULT_BANK) -> dict[str, list[str]]:
    """Read the example bank file: {route: [utterance, ...]} for every route in ROUTES."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    routes = data.get("routes", data)
    unknown = set(routes) - set(ROUTES)
    if unknown:
        raise ValueError(f"{path}: unknown routes {sorted(unknown)}; expected {list(ROUTES)}")
    out: dict[str, list[str]] = {}
    for route in ROUTES:
        entry = routes.get(route)
        examples = entry.get("examples", []) if isinstance(entry, dict) else (entry or [])
        cleaned = [str(e).strip() for e in examples if str(e).strip()]
        if not cleaned:
            raise ValueError(f"{path}: route {route!r} has no examples")
        out[route] = cleaned
    return out


def _grams(text: str) -> list[str]:
    words = _TOKEN.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


class Lexical:
    """TF-IDF over word unigrams + bigrams (sublinear tf, smoothed idf, L2-normalized rows)."""

    def __init__(self, texts: list[str]) -> None:
        df = Counter(g for t in texts for g in set(_grams(t)))
        terms = sorted(df)
        self.vocab = {g: i for i, g in enumerate(terms)}
        n = len(texts)
        self.idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in terms], dtype=np.float32)

    def transform(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.vocab)), dtype=np.float32)
        for row, text in enumerate(texts):
            for gram, count in Counter(_grams(text)).items():
                col = self.vocab.get(gram)
                if col is not None:
                    out[row, col] = (1.0 + math.log(count)) * self.idf[col]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


class SoftmaxHead:
    """Multinomial logistic regression with L2, trained full-batch with Adam from zeros (deterministic)."""

    def __init__(self, x: np.ndarray, y: np.ndarray, n_classes: int, c: float = L2_C, steps: int = TRAIN_STEPS) -> None:
        n, d = x.shape
        targets = np.eye(n_classes, dtype=np.float32)[y]
        lam = 1.0 / (c * n)
        params = [np.zeros((d, n_classes), dtype=np.float32), np.zeros(n_classes, dtype=np.float32)]
        first = [np.zeros_like(p) for p in params]
        second = [np.zeros_like(p) for p in params]
        lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
        for step in range(1, steps + 1):
            w, b = params
            grad_logits = (self._softmax(x @ w + b) - targets) / n
            grads = [x.T @ grad_logits + lam * w, grad_logits.sum(axis=0)]
            for p, g, m, v in zip(params, grads, first, second, strict=True):
                m *= b1
                m += (1 - b1) * g
                v *= b2
                v += (1 - b2) * g * g
                p -= lr * (m / (1 - b1**step)) / (np.sqrt(v / (1 - b2**step)) + eps)
        self.w, self.b = params

    @staticmethod
    def _softmax(z: np.ndarray) -> np.ndarray:
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def proba(self, x: np.ndarray) -> np.ndarray:
        return self._softmax(x @ self.w + self.b)


@dataclass(frozen=True)
class ExampleBank:
    """Labelled example utterances and their embeddings (rows L2-normalized)."""

    texts: tuple[str, ...]
    labels: np.ndarray  # index into ROUTES, shape (n,)
    matrix: np.ndarray  # float32, shape (n, EMBEDDING_DIM)
    model: str

    def subset(self, idx: np.ndarray) -> ExampleBank:
        return ExampleBank(tuple(self.texts[i] for i in idx), self.labels[idx], self.matrix[idx], self.model)


def build_bank(examples: dict[str, list[str]]) -> ExampleBank:
    """Embed every example once."""
    texts = [t for route in ROUTES for t in examples[route]]
    labels = [i for i, route in enumerate(ROUTES) for _ in examples[route]]
    return ExampleBank(tuple(texts), np.asarray(labels, dtype=np.int64), embed(texts), model_name())


_bank_cache: dict[Path, ExampleBank] = {}
_bank_lock = threading.Lock()


def cached_bank(path: Path | str = DEFAULT_BANK) -> ExampleBank:
    """The embedded bank for a file, computed once per process."""
    key = Path(path).resolve()
    with _bank_lock:
        bank = _bank_cache.get(key)
        if bank is None:
            bank = _bank_cache[key] = build_bank(load_examples(key))
    return bank


def knn_scores(sims: np.ndarray, labels: np.ndarray, k: int = KNN_K) -> np.ndarray:
    """Per-route mean of the top-k similarities: sims (m, n) -> (m, len(ROUTES))."""
    out = np.empty((sims.shape[0], len(ROUTES)), dtype=np.float32)
    for idx in range(len(ROUTES)):
        cols = sims[:, labels == idx]
        kk = min(k, cols.shape[1])
        out[:, idx] = np.partition(cols, cols.shape[1] - kk, axis=1)[:, cols.shape[1] - kk :].mean(axis=1)
    return out


class Router:
    """Routes a message to a tool by its similarity to labelled examples; below the thresholds: `clarify`."""

    def __init__(
        self,
        bank_path: Path | str = DEFAULT_BANK,
        *,
        method: str = DEFAULT_METHOD,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
        min_score: float | None = None,
        min_margin: float | None = None,
        bank: ExampleBank | None = None,
    ) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown routing method {method!r}; expected one of {METHODS}")
        self.bank = bank if bank is not None else cached_bank(bank_path)
        self.method = method
        self.min_similarity = min_similarity
        knn = method == "knn"
        self.min_score = min_score if min_score is not None else (KNN_MIN_SCORE if knn else DEFAULT_MIN_SCORE)
        self.min_margin = min_margin if min_margin is not None else (KNN_MIN_MARGIN if knn else DEFAULT_MIN_MARGIN)
        self._known: frozenset[str] = _tokenizer_words() | {
            w for t in self.bank.texts for w in _WORD.findall(t.lower())
        }
        self._lexical: Lexical | None = None
        self._head: SoftmaxHead | None = None
        if method != "knn":
            if method == "hybrid":
                self._lexical = Lexical(list(self.bank.texts))
            features = self._features(list(self.bank.texts), self.bank.matrix)
            self._head = SoftmaxHead(features, self.bank.labels, len(ROUTES))

    def _features(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        if self._lexical is None:
            return vectors
        return np.hstack([vectors, LEXICAL_WEIGHT * self._lexical.transform(texts)])

    def score_many(self, texts: list[str], vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(route scores (m, len(ROUTES)), nearest-example cosine (m,)) for texts; vectors may be precomputed."""
        if vectors is None:
            vectors = embed([t if t.strip() else " " for t in texts])
        sims = vectors @ self.bank.matrix.T
        nearest = sims.max(axis=1)
        if self._head is None:
            return knn_scores(sims, self.bank.labels), nearest
        return self._head.proba(self._features(texts, vectors)), nearest

    def known_fraction(self, text: str) -> float:
        """Share of the message's words that the embedding vocabulary or the bank knows (0.0 when no words)."""
        words = _WORD.findall(text.lower())
        if not words:
            return 0.0
        known = sum(1 for w in words if w in self._known or (w.endswith("s") and w[:-1] in self._known))
        return known / len(words)

    def route(self, text: str) -> RouteDecision:
        """Route one message."""
        return self.route_many([text])[0]

    async def aroute(self, text: str) -> RouteDecision:
        """Route one message in a worker thread (model inference must not block the event loop)."""
        return await asyncio.to_thread(self.route, text)

    def route_many(self, texts: list[str]) -> list[RouteDecision]:
        """Route several messages with one embedding call."""
        if not texts:
            return []
        start = time.perf_counter()
        cleaned = [t.strip() for t in texts]
        # a greeting before a question ("goedemorgen, do you fit contact lenses") is not what the message asks: the
        # question alone is scored (a message that is only courtesy is read whole by `is_courtesy` in `_decide`)
        asked = [without_greeting(t) for t in cleaned]
        scores, nearest = self.score_many(asked)
        elapsed_ms = (time.perf_counter() - start) * 1000.0 / len(texts)
        return [
            self._decide(text, row, float(sim), elapsed_ms, asked=question)
            for text, question, row, sim in zip(cleaned, asked, scores, nearest, strict=True)
        ]

    def _decide(self, text: str, row: np.ndarray, similarity: float, latency_ms: float,
                asked: str | None = None) -> RouteDecision:
        """The decision for one message from its route scores; `asked` is the message without a greeting prefix
        (`without_greeting`, what was scored), `text` the whole message (read for courtesy)."""
        order = np.argsort(-row, kind="stable")
        best, second = int(order[0]), int(order[1])
        top = float(row[best])
        margin = top - float(row[second])
        if not text:
            reason = "empty"
        elif is_courtesy(text):
            return RouteDecision(route="smalltalk", score=1.0, scores={r: float(r == "smalltalk") for r in ROUTES},
                                 margin=1.0, best="smalltalk", runner_up=ROUTES[second if best == ROUTES.index(
                                     "smalltalk") else best], similarity=round(similarity, 4),
                                 latency_ms=latency_ms)
        elif similarity < self.min_similarity:
            reason = "low_similarity"
        elif similarity < UNKNOWN_WORDS_MAX_SIMILARITY and self.known_fraction(asked or text) < MIN_KNOWN_WORDS:
            reason = "unknown_words"
        elif top < self.min_score:
            reason = "low_score"
        elif margin < self.min_margin:
            reason = "small_margin"
        else:
            reason = ""
        return RouteDecision(
            route=CLARIFY if reason else ROUTES[best],
            score=round(top, 4),
            scores={r: round(float(s), 4) for r, s in zip(ROUTES, row, strict=True)},
            margin=round(margin, 4),
            best=ROUTES[best],
            runner_up=ROUTES[second],
            similarity=round(similarity, 4),
            reason=reason,
            latency_ms=latency_ms,
        )


_tokenizer_vocab: frozenset[str] | None = None


def _tokenizer_words() -> frozenset[str]:
    """Whole words (not ##pieces) in the embedding model's WordPiece vocabulary."""
    global _tokenizer_vocab
    if _tokenizer_vocab is None:
        from tools.embeddings import get_model

        vocab = get_model().tokenizer.get_vocab()
        _tokenizer_vocab = frozenset(w for w in vocab if w.isalpha())
    return _tokenizer_vocab


_default_router: Router | None = None
_router_lock = threading.Lock()


def get_router() -> Router:
    """The process-wide router over the shipped example bank (built once, thread-safe)."""
    global _default_router
    if _default_router is None:
        with _router_lock:
            if _default_router is None:
                _default_router = Router()
    return _default_router


__all__ = [
    "ALL_DECISIONS",
    "CLARIFY",
    "DEFAULT_BANK",
    "METHODS",
    "ExampleBank",
    "ROUTES",
    "RouteDecision",
    "Router",
    "build_bank",
    "cached_bank",
    "get_router",
    "is_courtesy",
    "unread_script",
    "without_greeting",
    "load_examples",
]
