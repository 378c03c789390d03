#!/usr/bin/env python3
"""Generates crates/classify/eval/pairs.jsonl: labelled version pairs for the
change-intelligence benchmark.

Real article bodies (testdata/extraction-benchmark, MIT; optionally the WCXB
development articles, CC-BY-4.0) are trimmed to 8-25 paragraphs and edited the
way newsrooms edit (the NewsEdits 2.0 intentions: event update, quote
added/updated/removed, background added, correction, style-guide, tonal, plus
headline, byline, attribution, name, move, deletion, lede, rewrite and live
pages). Every edit knows its true labels; see README.md for the conventions and
the significance rubric.

Deterministic: the same inputs and --seed give the same file, byte for byte.
Standard library only.

    python3 crates/classify/eval/generate.py [--wcxb DIR] [--seed N] [--count N]
"""

import argparse
import collections
import glob
import gzip
import html
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
BENCH = os.path.join(REPO, "testdata", "extraction-benchmark")
DEFAULT_WCXB = "/work/shared/data/wcxb-dev-articles"

LABELS = [
    "headline", "byline", "lede", "number", "quote", "attribution", "name",
    "correction", "addition", "deletion", "move", "style", "rewrite", "live",
    "stealth",
]

# --------------------------------------------------------------------------
# Text helpers


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def key(s):
    """What survives a style-only edit: letters and digits, lower-cased."""
    s = s.lower()
    for a, b in STYLE_VARIANTS:
        s = s.replace(a.lower(), b.lower())
    return re.sub(r"[\W_]+", "", s)


QUOTE_RE = re.compile(r'“([^”“]{2,}?)”|"([^"]{2,}?)"|„([^“”„]{2,}?)[“”]|«\s*([^»]{2,}?)\s*»')


def quote_matches(p):
    """(start, end, inner) of each quotation; an opening mark left unclosed
    (a quote running on into the next paragraph) quotes to the end."""
    out = []
    for m in QUOTE_RE.finditer(p):
        inner = next(g for g in m.groups() if g is not None)
        out.append((m.start(), m.end(), inner))
    rest = p
    for a, b, _ in out:
        rest = rest[:a] + " " * (b - a) + rest[b:]
    m = re.search(r'["“„«]', rest)
    if m:
        out.append((m.start(), len(p), p[m.end():]))
    return out


def quote_spans(p):
    return [(a, b) for a, b, _ in quote_matches(p)]


def quotes_of(p):
    """The quotations of a paragraph, style set aside: one-word scare quotes
    do not count."""
    return [key(inner) for _, _, inner in quote_matches(p) if len(inner.split()) >= 2]


def has_quote(p):
    return bool(quotes_of(p))


def quote_multiset(doc_paras):
    c = collections.Counter()
    for p in doc_paras:
        c.update(quotes_of(p))
    return c


def outside_quotes(p, start, end):
    return all(end <= a or start >= b for a, b in quote_spans(p))


SENT_RE = re.compile(r"(?<=[.!?][”\"’)])\s+(?=[A-Z“\"])|(?<=[.!?])\s+(?=[A-Z“\"])")


def sentences(p):
    return [s for s in SENT_RE.split(p) if s.strip()]


def cap_first(s):
    return s[:1].upper() + s[1:]


def word_count(s):
    return len(s.split())


# --------------------------------------------------------------------------
# Vocabularies for the edits

FIRST_NAMES = set("""
James John Robert Michael William David Richard Joseph Thomas Charles Christopher
Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian
George Edward Ronald Timothy Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan
Stephen Larry Justin Scott Brandon Benjamin Samuel Frank Gregory Raymond Alexander
Patrick Jack Dennis Jerry Tyler Aaron Jose Adam Henry Nathan Douglas Zachary Peter
Kyle Walter Ethan Jeremy Harold Keith Christian Roger Noah Gerald Carl Terry Sean
Austin Arthur Lawrence Jesse Dylan Bryan Joe Jordan Billy Bruce Albert Willie Gabriel
Logan Alan Juan Wayne Roy Ralph Randy Eugene Vincent Russell Elijah Louis Bobby
Philip Johnny Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah
Karen Nancy Lisa Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy
Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy
Shirley Angela Helen Anna Brenda Pamela Nicole Emma Samantha Katherine Christine
Debra Rachel Catherine Carolyn Janet Ruth Maria Heather Diane Virginia Julie Joyce
Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith Megan Cheryl Andrea Hannah
Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean Alice Madison
Doris Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia
Marie Diana Brittany Natalie Isabella Charlotte Rose Alexis Kayla Elon Tim Bill Mike
Kevin Bernie Nancy Joe Hillary Boris Angela Emmanuel Justin Vladimir Xi Narendra
Kamala Mitch Chuck Kim Tom Ben Sam Dan Chris Nick Matt Alex Jeff Greg Max Leo
""".split())

NEW_PEOPLE = [
    "Daniel Okafor", "Maria Lindqvist", "Thomas Brenner", "Priya Raman",
    "Carlos Mendez", "Helen Whitaker", "Samuel Adeyemi", "Laura Castellano",
    "Jonathan Reyes", "Anna Kowalski", "Michael Dunleavy", "Sofia Marchetti",
    "Robert Haines", "Grace Nakamura", "Peter Albright", "Claire Dubois",
]

PLACES = [
    ["Alabama", "Arizona", "California", "Colorado", "Florida", "Georgia", "Illinois",
     "Indiana", "Iowa", "Kansas", "Kentucky", "Michigan", "Minnesota", "Missouri",
     "Nevada", "Ohio", "Oregon", "Texas", "Utah", "Virginia", "Washington",
     "Wisconsin", "Tennessee", "Pennsylvania", "Louisiana", "Oklahoma"],
    ["China", "Japan", "India", "Germany", "France", "Spain", "Italy", "Russia",
     "Brazil", "Mexico", "Canada", "Australia", "Nigeria", "Kenya", "Egypt", "Israel",
     "Iran", "Turkey", "Poland", "Sweden", "Norway", "Ukraine", "Pakistan", "Argentina"],
    ["London", "Paris", "Berlin", "Tokyo", "Beijing", "Chicago", "Boston", "Seattle",
     "Denver", "Atlanta", "Houston", "Dallas", "Miami", "Detroit", "Toronto", "Sydney",
     "Moscow", "Madrid", "Rome", "Dublin", "Phoenix", "Portland", "Austin", "Lagos"],
    ["Google", "Microsoft", "Apple", "Amazon", "Facebook", "Netflix", "Samsung",
     "Disney", "Sony", "Intel", "Uber", "Tesla", "Twitter", "Nissan", "Toyota"],
]

PLACE_SWAPS = PLACES

NOT_SUBJECTS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "He", "She", "They", "It", "This",
    "That", "The", "But", "And", "Also", "Then", "Later", "Previously", "Earlier", "We", "I",
}

ANON_SOURCES = [
    "a spokesperson", "a person familiar with the matter", "a senior official",
    "a person with knowledge of the matter", "a spokesman", "a source",
    "an official", "a spokeswoman",
]

TONAL = [
    ("slammed", "criticised"), ("lied", "misspoke"), ("blasted", "criticized"),
    ("admitted", "said"), ("claimed", "said"), ("refused", "declined"),
    ("riot", "protest"), ("rioters", "protesters"), ("massive", "large"),
    ("huge", "large"), ("furious", "upset"), ("shocking", "surprising"),
    ("disastrous", "poor"), ("devastating", "serious"), ("chaos", "disruption"),
    ("slashed", "cut"), ("soared", "rose"), ("plunged", "fell"), ("skyrocketed", "rose"),
    ("stunning", "notable"), ("brutal", "harsh"), ("insisted", "said"),
    ("terrible", "bad"), ("awful", "poor"), ("horrible", "bad"), ("amazing", "good"),
    ("incredible", "remarkable"), ("crazy", "unusual"), ("desperate", "eager"),
    ("fierce", "strong"), ("dramatic", "significant"), ("dramatically", "significantly"),
    ("extremely", "very"), ("controversial", "disputed"), ("radical", "sweeping"),
    ("attacked", "criticized"), ("warned", "said"), ("boasted", "said"),
    ("worst", "weakest"), ("destroyed", "damaged"), ("killer", "deadly"),
]

QUOTE_SUBS = {
    "good": "great", "great": "good", "important": "critical", "big": "major",
    "think": "believe", "believe": "think", "very": "really", "really": "very",
    "want": "hope", "people": "folks", "always": "often", "never": "rarely",
    "happy": "pleased", "proud": "honored", "difficult": "hard", "hard": "tough",
    "problem": "issue", "issue": "problem", "help": "support", "start": "begin",
    "best": "finest", "things": "matters", "excited": "thrilled", "know": "understand",
    "world": "country", "everyone": "everybody", "new": "fresh", "love": "like",
    "like": "love", "better": "stronger", "lot": "great deal", "work": "job",
    "team": "group", "time": "moment", "every": "each", "sure": "certain",
    "wanted": "hoped", "believed": "thought", "thought": "believed", "felt": "sensed",
    "amazing": "wonderful", "incredible": "remarkable", "many": "plenty of",
    "fun": "exciting", "strong": "solid", "bad": "poor", "game": "match",
}

STYLE_VARIANTS = [
    ("per cent", "percent"), ("e-mail", "email"), ("realise", "realize"),
    ("organisation", "organization"), ("colour", "color"), ("centre", "center"),
    ("favourite", "favorite"), ("behaviour", "behavior"), ("defence", "defense"),
    ("labour", "labor"), ("analyse", "analyze"), ("travelled", "traveled"),
    ("cancelled", "canceled"), ("theatre", "theater"), ("website", "web site"),
    ("healthcare", "health care"), ("online", "on-line"), ("Mr.", "Mr"),
    ("Mrs.", "Mrs"), ("Dr.", "Dr"), ("U.S.", "US"), ("U.K.", "UK"), ("okay", "OK"),
]

WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "twenty": 20,
    "a hundred": 100, "thirty": 30, "fifty": 50,
}
NUMBER_WORDS = {v: k for k, v in WORD_NUMBERS.items() if not k.startswith("a ")}

DAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
}

REPORTERS = [
    "Jane Porter", "Michael Chen", "Aisha Bello", "Tom Hargreaves", "Lucía Romero",
    "Katrin Vogel", "David Osei", "Emily Novak", "Rahul Mehta", "Sarah Lindgren",
]

# Correction / update notes. {old} and {new} are filled in when the note
# names what was fixed.
NOTES = {
    "en": {
        "number": ["Correction: An earlier version of this article misstated a figure. It is {new}, not {old}.",
                   "Correction: A previous version of this story gave an incorrect figure ({old}). The correct figure is {new}."],
        "name": ["Correction: An earlier version of this article misidentified {old}. It should have said {new}.",
                 "Correction: This article has been corrected to refer to {new}, not {old}."],
        "quote": ["Correction: An earlier version of this article misquoted a remark. The quotation has been corrected.",
                  "Correction: A quote in this story was transcribed incorrectly in an earlier version."],
        "attribution": ["Clarification: An earlier version of this article did not make clear the source of a statement.",
                        "Clarification: This article has been updated to clarify who made a statement."],
        "deletion": ["Editor's note: A paragraph has been removed from this article because it could not be verified.",
                     "Correction: An earlier version of this article included a passage that has since been removed."],
        "update": ["This article has been updated to include additional information.",
                   "Update: This story has been updated with new details.",
                   "This story was updated to include comment from officials.",
                   "Editor's note: This article has been updated since it was first published."],
        "headline": ["Correction: An earlier version of this article's headline was inaccurate and has been changed."],
        "generic": ["Correction: An earlier version of this article contained an error, which has been corrected.",
                    "Clarification: This article has been updated to clarify a detail."],
    },
    "de": {
        "number": ["Korrektur: In einer früheren Version dieses Artikels hieß es, die Zahl sei {old}. Richtig ist {new}.",
                   "Korrektur: In einer früheren Version dieses Artikels stand fälschlicherweise {old} statt {new}."],
        "name": ["Korrektur: In einer früheren Version dieses Artikels hieß es fälschlicherweise {old} statt {new}."],
        "quote": ["Korrektur: In einer früheren Version dieses Artikels wurde ein Zitat falsch wiedergegeben."],
        "attribution": ["Korrektur: In einer früheren Version dieses Artikels war eine Aussage falsch zugeordnet."],
        "deletion": ["Anmerkung der Redaktion: Ein Absatz wurde aus diesem Artikel entfernt."],
        "update": ["Dieser Artikel wurde aktualisiert.", "Aktualisierung: Dieser Artikel wurde um weitere Informationen ergänzt."],
        "headline": ["Korrektur: In einer früheren Version dieses Artikels war die Überschrift fehlerhaft."],
        "generic": ["Korrektur: In einer früheren Version dieses Artikels hieß es fälschlicherweise etwas anderes."],
    },
    "fr": {
        "number": ["Rectificatif : Une version précédente de cet article indiquait {old} au lieu de {new}.",
                   "Correction : Une version précédente de cet article comportait un chiffre erroné ({old}). Le bon chiffre est {new}."],
        "name": ["Rectificatif : Une version précédente de cet article indiquait {old} au lieu de {new}."],
        "quote": ["Rectificatif : Une version précédente de cet article citait de manière inexacte une déclaration."],
        "attribution": ["Précision : Une version précédente de cet article attribuait une déclaration à la mauvaise personne."],
        "deletion": ["Note de la rédaction : Un paragraphe a été retiré de cet article."],
        "update": ["Mise à jour : Cet article a été mis à jour avec de nouvelles informations.",
                   "Cet article a été actualisé."],
        "headline": ["Rectificatif : Le titre d'une version précédente de cet article était inexact."],
        "generic": ["Rectificatif : Une version précédente de cet article contenait une erreur."],
    },
    "es": {
        "number": ["Fe de errores: Una versión anterior de este artículo decía {old}, en lugar de {new}.",
                   "Corrección: Una versión anterior de este artículo indicaba una cifra errónea ({old}). La cifra correcta es {new}."],
        "name": ["Fe de errores: Una versión anterior de este artículo decía {old}, en lugar de {new}."],
        "quote": ["Fe de errores: Una versión anterior de este artículo citaba de forma incorrecta una declaración."],
        "attribution": ["Aclaración: Una versión anterior de este artículo atribuía una declaración a otra persona."],
        "deletion": ["Nota del editor: Se ha eliminado un párrafo de este artículo."],
        "update": ["Actualización: Este artículo ha sido actualizado con nueva información.",
                   "Este artículo fue actualizado."],
        "headline": ["Fe de errores: El titular de una versión anterior de este artículo era incorrecto."],
        "generic": ["Fe de errores: Una versión anterior de este artículo contenía un error."],
    },
}

UPDATE_SENTENCES = [
    "Officials said late {day} that the investigation was continuing.",
    "The company did not immediately respond to a request for comment on {day}.",
    "By {day} evening, no further details had been released.",
    "A hearing in the case is scheduled for next {day}.",
    "Authorities have not said when more information will be made public.",
]


# --------------------------------------------------------------------------
# Held-out vocabularies (--holdout): other loaded words, house-style variants,
# names, sources, note phrasings and headline edits, for a set that checks
# the classifier has not learnt the lists above.

HOLDOUT = {
    "TONAL": [
        ("stormed out", "left"), ("ranted", "spoke"), ("mocked", "questioned"), ("savaged", "criticised"),
        ("bizarre", "unusual"), ("outrageous", "controversial"), ("catastrophic", "serious"),
        ("fiasco", "setback"), ("scandal", "controversy"), ("tirade", "remarks"), ("meltdown", "decline"),
        ("blunder", "error"), ("lashed out", "responded"), ("crushed", "defeated"), ("spectacular", "notable"),
        ("explosive", "significant"), ("alarming", "notable"), ("staggering", "large"), ("insane", "unusual"),
        ("ridiculous", "unusual"), ("ruthless", "aggressive"), ("vowed", "said"), ("conceded", "said"),
        ("confessed", "said"), ("exploded", "grew"), ("tumbled", "fell"), ("surged", "rose"),
        ("wonderful", "good"), ("fantastic", "good"), ("perfect", "suitable"), ("powerful", "strong"),
        ("critical", "important"), ("enormous", "large"), ("terrific", "good"), ("severe", "serious"),
    ],
    "QUOTE_SUBS": {
        "really": "truly", "just": "simply", "great": "wonderful", "good": "fine", "think": "feel",
        "believe": "feel", "important": "vital", "always": "constantly", "big": "large", "huge": "enormous",
        "happy": "glad", "excited": "eager", "problem": "challenge", "help": "assist", "know": "realise",
        "see": "notice", "way": "approach", "very": "extremely", "things": "aspects", "best": "top",
        "love": "adore", "hard": "demanding", "easy": "simple", "team": "squad", "right": "correct",
        "first": "initial", "start": "launch", "people": "individuals", "world": "planet", "going": "about",
    },
    "STYLE_VARIANTS": [
        ("judgement", "judgment"), ("programme", "program"), ("catalogue", "catalog"), ("grey", "gray"),
        ("honour", "honor"), ("neighbour", "neighbor"), ("licence", "license"), ("jewellery", "jewelry"),
        ("acknowledgement", "acknowledgment"), ("fulfil", "fulfill"), ("ageing", "aging"),
        ("focussed", "focused"), ("modelling", "modeling"), ("co-operate", "cooperate"),
        ("co-ordinate", "coordinate"), ("Ms.", "Ms"), ("St.", "St"), ("a.m.", "am"), ("p.m.", "pm"),
        ("percent", "%"), ("OK", "okay"), ("internet", "Internet"), ("web site", "website"),
        ("e-commerce", "ecommerce"), ("startup", "start-up"), ("per cent", "%"),
    ],
    "NEW_PEOPLE": [
        "Miriam Schultz", "Olu Adeyinka", "Hiroshi Tanaka", "Beatriz Costa", "Fergus Doyle",
        "Ingrid Halvorsen", "Tomasz Wojcik", "Amara Nwosu", "Luca Bianchi", "Chloe Martin",
        "Ravi Kumar", "Eleanor Vance", "Diego Alvarez", "Hana Novak", "Kwame Mensah", "Sinead Walsh",
    ],
    "PLACE_SWAPS": [
        ["Maine", "Vermont", "Montana", "Idaho", "Nebraska", "Delaware", "Arkansas", "Alaska", "Hawaii", "Wyoming"],
        ["Chile", "Peru", "Vietnam", "Thailand", "Ghana", "Ethiopia", "Morocco", "Greece", "Portugal", "Finland"],
        ["Lisbon", "Vienna", "Prague", "Oslo", "Helsinki", "Nairobi", "Seoul", "Manila", "Lima", "Montreal"],
        ["Oracle", "IBM", "Adobe", "Spotify", "Airbnb", "Lyft", "Nike", "Pfizer", "Boeing", "Siemens"],
    ],
    "ANON_SOURCES": [
        "an aide", "a government official who asked not to be named", "a company representative",
        "an insider", "a senior executive", "a diplomat", "a person briefed on the matter",
    ],
    "REPORTERS": ["Nora Kelly", "Yusuf Demir", "Paula Jansen", "Owen Price", "Mei Lin", "Sven Larsen"],
    "HEAD_SUFFIXES": [", sources say", " — report", " amid backlash", ", study finds", ", officials confirm"],
    "HEAD_SUBS": [("after", "following"), ("After", "Following"), ("says", "claims"), ("Says", "Claims"),
                  ("could", "might"), ("Could", "Might"), ("best", "top"), ("Best", "Top"),
                  ("how", "why"), ("How", "Why")],
    "UPDATE_SENTENCES": [
        "A spokesperson said late {day} that more details would follow.",
        "Further information was expected on {day}, according to the organisers.",
        "The statement was issued on {day} afternoon.",
        "No date has been set for the next meeting, which had been expected on {day}.",
    ],
    "NOTES": {
        "en": {
            "number": ["We have corrected a figure in this article: it is {new}, not {old}.",
                       "A previous version of this article gave {old}; the correct figure is {new}."],
            "name": ["A previous version of this article wrongly named {old}. It is {new}."],
            "quote": ["A quotation in an earlier version of this story has been amended."],
            "attribution": ["An earlier version of this story attributed a statement to the wrong source."],
            "deletion": ["A passage has been removed from this article since it was first published."],
            "update": ["Updated with further details.", "This story has been updated throughout.",
                       "Updated to add reaction."],
            "headline": ["The headline of this article has been amended."],
            "generic": ["This article was amended to correct an error."],
        },
        "de": {
            "number": ["Hinweis der Redaktion: In einer früheren Version stand {old}. Richtig ist {new}."],
            "name": ["Transparenzhinweis: In einer früheren Version hieß es {old} statt {new}."],
            "quote": ["Korrigiert: Ein Zitat wurde in einer früheren Version falsch wiedergegeben."],
            "attribution": ["Hinweis der Redaktion: Eine Aussage war in einer früheren Version falsch zugeordnet."],
            "deletion": ["Transparenzhinweis: Ein Absatz wurde nachträglich entfernt."],
            "update": ["Aktualisiert: Der Text wurde um neue Informationen ergänzt.", "Der Text wurde aktualisiert."],
            "headline": ["Korrigiert: Die Überschrift wurde geändert."],
            "generic": ["Korrigiert: In einer früheren Version war ein Fehler enthalten."],
        },
        "fr": {
            "number": ["Erratum : nous indiquions {old} dans une précédente version ; il s'agit de {new}."],
            "name": ["Correctif : une précédente version de cet article mentionnait {old} au lieu de {new}."],
            "quote": ["Correctif : une citation a été corrigée dans cet article."],
            "attribution": ["Précision : une déclaration était attribuée par erreur à une autre personne."],
            "deletion": ["Note de la rédaction : un passage a été supprimé de cet article."],
            "update": ["Article mis à jour avec de nouveaux éléments.", "Actualisation : nouvelles informations ajoutées."],
            "headline": ["Correctif : le titre de cet article a été modifié."],
            "generic": ["Erratum : une erreur a été corrigée dans cet article."],
        },
        "es": {
            "number": ["Corrección: en una versión anterior se indicaba {old}; la cifra correcta es {new}."],
            "name": ["Rectificación: una versión anterior de esta noticia mencionaba a {old} en lugar de {new}."],
            "quote": ["Corrección: se ha corregido una cita en este artículo."],
            "attribution": ["Rectificación: una declaración se atribuía por error a otra persona."],
            "deletion": ["Nota: se ha retirado un párrafo de esta noticia."],
            "update": ["Noticia actualizada con nueva información.", "Nota: este texto fue actualizado."],
            "headline": ["Corrección: se ha modificado el titular de esta noticia."],
            "generic": ["Corrección: se ha corregido un error en este artículo."],
        },
    },
}


def use_holdout():
    g = globals()
    for name, value in HOLDOUT.items():
        g[name] = value


# --------------------------------------------------------------------------
# Articles


def detect_lang(text):
    c = collections.Counter(re.findall(r"\w+", text.lower()))
    score = {
        "en": c["the"] + c["and"] + c["of"] + c["to"],
        "de": c["der"] + c["die"] + c["und"] + c["das"],
        "fr": c["le"] + c["les"] + c["et"] + c["des"],
        "es": c["el"] + c["los"] + c["las"] + c["que"],
    }
    best = max(score, key=score.get)
    return best if score[best] >= 20 else None


def clean_title(t):
    t = norm(html.unescape(t))
    for sep in [" | ", " - ", " – ", " — "]:
        if sep in t:
            head, _, tail = t.rpartition(sep)
            if len(tail) < 40 and len(head) > 15:
                t = head
    return t.strip()


def body_paragraphs(text):
    out = []
    for line in text.split("\n"):
        line = norm(line)
        if word_count(line) >= 6 and not line.lower().startswith(("advertisement", "read more", "related:")):
            out.append(line)
    return out


def load_benchmark():
    gt = json.load(open(os.path.join(BENCH, "ground-truth.json"), encoding="utf-8"))
    arts = []
    for aid in sorted(gt):
        body = gt[aid]["articleBody"]
        lang = detect_lang(body)
        paras = body_paragraphs(body)
        if lang is None or len(paras) < 8:
            continue
        title, byline = "", ""
        path = os.path.join(BENCH, "html", aid + ".html.gz")
        if os.path.exists(path):
            page = gzip.open(path).read().decode("utf-8", "replace")
            m = re.search(r'<meta[^>]+property=["\']og:title["\'][^>]*content="([^"]+)"', page, re.I) or \
                re.search(r"<title[^>]*>(.*?)</title>", page, re.S | re.I)
            if m:
                title = clean_title(m.group(1))
            m = re.search(r'<meta[^>]+name=["\']author["\'][^>]*content=["\']([^"\']+)', page, re.I)
            if m and len(m.group(1)) < 60 and "http" not in m.group(1):
                byline = norm(html.unescape(m.group(1)))
        if word_count(title) < 3:
            continue
        arts.append({"origin": "benchmark:" + aid, "lang": lang, "title": title,
                     "byline": byline, "paras": paras})
    return arts


def load_wcxb(root, limit):
    arts = []
    for path in sorted(glob.glob(os.path.join(root, "ground-truth", "*.json"))):
        j = json.load(open(path, encoding="utf-8"))
        g = j.get("ground_truth") or {}
        body = g.get("main_content") or ""
        lang = detect_lang(body)
        paras = body_paragraphs(body)
        title = norm(g.get("title") or "")
        # News-like bodies: prose paragraphs, few list items.
        if lang is None or len(paras) < 10 or word_count(title) < 3:
            continue
        if sum(1 for p in paras if p.endswith((".", "”", "\"", "?", "!"))) < 0.8 * len(paras):
            continue
        author = g.get("author") or ""
        if isinstance(author, list):
            author = ", ".join(author)
        author = norm(str(author))
        if len(author) > 60:
            author = ""
        arts.append({"origin": "wcxb:" + str(j.get("file_id") or os.path.basename(path)[:-5]),
                     "lang": lang, "title": title, "byline": author, "paras": paras})
    return arts[:limit]


# --------------------------------------------------------------------------
# The pair under construction


class Skip(Exception):
    """The edit does not apply to this article."""


class Pair:
    def __init__(self, rng, art):
        self.rng = rng
        self.art = art
        self.lang = art["lang"]
        n = min(len(art["paras"]), rng.randint(8, 25))
        paras = art["paras"][:n]
        self.rest = list(art["paras"][n:])
        self.old = {"title": art["title"], "byline": art["byline"],
                    "paras": [{"id": i, "text": t, "kind": "body"} for i, t in enumerate(paras)]}
        self.new = None
        self.labels = set()
        self.substantive = False
        self.weights = []  # (weight, substantive)
        self.notes = []
        self.intentions = []
        self.touched = set()
        self.live = False
        self.note_lang = None

    def start(self):
        self.new = {"title": self.old["title"], "byline": self.old["byline"],
                    "paras": [dict(p) for p in self.old["paras"]]}

    # helpers
    def body(self, doc):
        return [p for p in doc["paras"] if p["kind"] == "body"]

    def first_body_id(self, doc):
        b = self.body(doc)
        return b[0]["id"] if b else None

    def candidates(self, allow_lede=True):
        out = []
        first = self.first_body_id(self.new)
        for i, p in enumerate(self.new["paras"]):
            if p["kind"] != "body" or p["id"] in self.touched:
                continue
            if not allow_lede and p["id"] == first:
                continue
            out.append((i, p))
        return out

    def fresh_id(self):
        ids = [p["id"] for p in self.old["paras"]] + [p["id"] for p in self.new["paras"]]
        return max(ids) + 1

    def record(self, intention, labels, weight, substantive, note):
        self.intentions.append(intention)
        self.labels |= set(labels)
        self.weights.append((weight, substantive))
        self.substantive |= substantive
        self.notes.append(note)

    def is_lede(self, pid):
        return pid == self.first_body_id(self.old)

    def take_rest(self, pred):
        for i, p in enumerate(self.rest):
            if pred(p):
                return self.rest.pop(i)
        raise Skip()

    def insert_position(self):
        body_idx = [i for i, p in enumerate(self.new["paras"]) if p["kind"] == "body"]
        if len(body_idx) < 2:
            raise Skip()
        # after the lede, before any trailing note
        return self.rng.choice(body_idx[1:] + [body_idx[-1] + 1])

    def rank(self):
        ws = [w for w, _ in self.weights]
        big = sum(1 for w, s in self.weights if s and w >= 3)
        r = max(ws) + (1 if big >= 2 else 0)
        return max(1, min(5, r))


# --------------------------------------------------------------------------
# Edits. Each edits pair.new (or, for style fixes, the old text), records the
# labels it gives, and raises Skip when the article offers no place for it.

NUM_RE = re.compile(
    r"(?<![\w.,/:$€£-])([$€£])?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?(?:%|percent|per cent|million|billion))?(?![\w/:%-]|[.,]\d)")


def changed_number(s, rng):
    if "," in s:
        v = int(s.replace(",", ""))
        d = rng.choice([-1, 1]) * rng.randint(1, max(1, v // 12))
        return f"{max(1, v + d):,}"
    if "." in s:
        whole, frac = s.split(".")
        last = int(frac[-1])
        nl = (last + rng.randint(1, 8)) % 10
        return whole + "." + frac[:-1] + str(nl)
    v = int(s)
    if 1900 <= v <= 2035:
        return str(v + rng.choice([-1, 1]))
    if v <= 3:
        return str(v + rng.randint(1, 3))
    d = rng.choice([-1, 1]) * rng.randint(1, max(1, v // 8))
    nv = v + d
    if nv <= 0 or nv == v:
        nv = v + 1
    # keep the digit count realistic: 243 -> 234 style transpositions too
    if v >= 100 and rng.random() < 0.3:
        t = s[:-2] + s[-1] + s[-2]
        if t != s and t[0] != "0":
            return t
    return str(nv)


def number_sites(p, lang):
    sites = []
    for m in NUM_RE.finditer(p):
        if m.start() == 0 and p[m.end():m.end() + 1] in (".", ")"):
            continue  # list numbering
        if outside_quotes(p, m.start(), m.end()):
            sites.append(("digits", m.start(2), m.end(2), m.group(2)))
    for w, v in WORD_NUMBERS.items():
        for m in re.finditer(r"\b" + re.escape(w) + r"\b", p):
            if outside_quotes(p, m.start(), m.end()):
                sites.append(("word", m.start(), m.end(), m.group(0)))
    for day in DAYS.get(lang, []):
        for m in re.finditer(r"\b" + day + r"\b", p):
            if outside_quotes(p, m.start(), m.end()):
                sites.append(("day", m.start(), m.end(), day))
    return sites


def edit_number(pair, allow_lede=True):
    rng = pair.rng
    cands = [(i, p, s) for i, p in pair.candidates(allow_lede) for s in number_sites(p["text"], pair.lang)]
    if not cands:
        raise Skip()
    i, p, (kind, a, b, old) = rng.choice(cands)
    if kind == "digits":
        new = changed_number(old, rng)
    elif kind == "word":
        v = WORD_NUMBERS[old.lower()]
        nv = v + rng.choice([1, 2, 3]) if v < 20 else v + 10
        new = str(nv) if rng.random() < 0.5 or nv not in NUMBER_WORDS else NUMBER_WORDS[nv]
        if old[0].isupper() and new.isalpha():
            new = cap_first(new)
        if old[0].isupper() and not new.isalpha():
            raise Skip()  # a sentence does not start with digits
    else:
        days = DAYS[pair.lang]
        new = days[(days.index(old) + rng.choice([1, -1])) % 7]
    if new == old:
        raise Skip()
    p["text"] = p["text"][:a] + new + p["text"][b:]
    pair.touched.add(p["id"])
    labels = ["number"] + (["lede"] if pair.is_lede(p["id"]) else [])
    pair.record("event_update", labels, 4 if "lede" in labels else 3, True, f"figure {old} → {new} in paragraph {i + 1}")
    return {"kind": "number", "old": old, "new": new}


def edit_quote_update(pair):
    rng = pair.rng
    cands = []
    for i, p in pair.candidates():
        for m in QUOTE_RE.finditer(p["text"]):
            gi = next(k for k, g in enumerate(m.groups()) if g is not None) + 1
            inner = m.group(gi)
            if word_count(inner) < 4:
                continue
            for w in re.finditer(r"\b[a-z]+\b", inner):
                if w.group(0) in QUOTE_SUBS:
                    cands.append((i, p, m.start(gi) + w.start(), m.start(gi) + w.end(), w.group(0)))
    if not cands:
        raise Skip()
    i, p, a, b, w = rng.choice(cands)
    new = QUOTE_SUBS[w]
    p["text"] = p["text"][:a] + new + p["text"][b:]
    pair.touched.add(p["id"])
    labels = ["quote"] + (["lede"] if pair.is_lede(p["id"]) else [])
    pair.record("quote_updated", labels, 3, True, f"quoted word '{w}' → '{new}' in paragraph {i + 1}")
    return {"kind": "quote", "old": w, "new": new}


def insert_para(pair, text):
    pos = pair.insert_position()
    pid = pair.fresh_id()
    pair.new["paras"].insert(pos, {"id": pid, "text": text, "kind": "body"})
    pair.touched.add(pid)
    return pos


def edit_quote_add(pair):
    text = pair.take_rest(lambda t: has_quote(t) and word_count(t) <= 80)
    pos = insert_para(pair, text)
    pair.record("quote_added", ["addition", "quote"], 3, True, f"paragraph with a quote added at {pos + 1}")
    return {"kind": "update"}


def edit_background(pair):
    text = pair.take_rest(lambda t: not has_quote(t) and not re.search(r"\d", t) and word_count(t) <= 80)
    pos = insert_para(pair, text)
    pair.record("background_added", ["addition"], 2, True, f"background paragraph added at {pos + 1}")
    return {"kind": "update"}


def edit_update_para(pair):
    rng = pair.rng
    if pair.lang == "en" and rng.random() < 0.35:
        text = rng.choice(UPDATE_SENTENCES).format(day=rng.choice(DAYS["en"]))
    else:
        text = pair.take_rest(lambda t: not has_quote(t) and re.search(r"\d", t) and word_count(t) <= 80)
    pos = insert_para(pair, text)
    pair.record("event_update", ["addition"], 3, True, f"update paragraph added at {pos + 1}")
    return {"kind": "update"}


def remove_para(pair, pred, intention):
    cands = [(i, p) for i, p in pair.candidates(allow_lede=False) if pred(p["text"])]
    if not cands:
        raise Skip()
    i, p = pair.rng.choice(cands)
    del pair.new["paras"][i]
    q = has_quote(p["text"])
    labels = ["deletion"] + (["quote"] if q else [])
    w = 4 if q or word_count(p["text"]) >= 30 else 3
    pair.record(intention, labels, w, True, f"paragraph {i + 1} ({word_count(p['text'])} words{', with a quote' if q else ''}) cut")
    return {"kind": "deletion"}


def edit_quote_remove(pair):
    return remove_para(pair, has_quote, "quote_removed")


def edit_delete(pair):
    return remove_para(pair, lambda t: not has_quote(t), "paragraph_deleted")


def edit_move(pair):
    rng = pair.rng
    body = [i for i, p in enumerate(pair.new["paras"]) if p["kind"] == "body"]
    if len(body) < 5:
        raise Skip()
    inner = body[1:]
    if rng.random() < 0.4:
        k = rng.randrange(len(inner) - 1)
        a, b = inner[k], inner[k + 1]
        ps = pair.new["paras"]
        if key(ps[a]["text"]) == key(ps[b]["text"]):
            raise Skip()
        ps[a], ps[b] = ps[b], ps[a]
        note = f"paragraphs {a + 1} and {b + 1} swapped"
    else:
        src = rng.choice(inner)
        dests = [d for d in inner if abs(d - src) >= 2]
        if not dests:
            raise Skip()
        dst = rng.choice(dests)
        ps = pair.new["paras"]
        p = ps.pop(src)
        ps.insert(dst, p)
        note = f"paragraph {src + 1} moved to {dst + 1}"
    pair.record("paragraph_moved", ["move"], 2, True, note)
    return {"kind": "move"}


ATTR_RE = re.compile(
    r"\b(?:(?P<pro>[Hh]e|[Ss]he|[Tt]hey)|(?P<grp>(?:[Tt]he )?(?:officials|police|authorities|investigators|analysts|experts|prosecutors|the company|the agency))|(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}))(?P<verb> (?:said|says|told))\b")
ACC_RE = re.compile(r"\baccording to (?P<src>[A-Za-z][A-Za-z. ]{2,40}?)(?=[,.;])")


def edit_attribution(pair):
    rng = pair.rng
    cands = []
    for i, p in pair.candidates():
        t = p["text"]
        for m in ATTR_RE.finditer(t):
            if not outside_quotes(t, m.start(), m.end()):
                continue
            if m.group("name"):
                first = m.group("name").split()[0]
                before = t[:m.start()].rstrip()
                if first in NOT_SUBJECTS or (before and before[-1] not in '.!?,"”'):
                    continue
                if re.search(r"(\b[A-Z]\.)+$|\b(Mr|Mrs|Ms|Dr|St)\.$", before):
                    continue  # "U.S. President X said"
            cands.append((i, p, m.start(), m.end("verb") - len(m.group("verb")), m.group(0)[: m.end("verb") - m.start() - len(m.group("verb"))]))
        for m in ACC_RE.finditer(t):
            if outside_quotes(t, m.start(), m.end()):
                cands.append((i, p, m.start("src"), m.end("src"), m.group("src")))
    if not cands:
        raise Skip()
    i, p, a, b, old = rng.choice(cands)
    t = p["text"]
    bare = old.lower().removeprefix("the ")
    if bare in ("officials", "police", "authorities", "investigators", "prosecutors", "company", "agency"):
        new = rng.choice(["a spokeswoman", "Police Chief " + rng.choice(NEW_PEOPLE), "a senior official"]) if rng.random() < 0.5 else rng.choice(NEW_PEOPLE)
    else:
        new = rng.choice([s for s in ANON_SOURCES if s != old.lower()])
    before = t[:a].rstrip()
    if old.split()[0].lower() in ("he", "she", "they", "the", "officials", "police", "authorities",
                                  "investigators", "analysts", "experts", "prosecutors"):
        start = old[0].isupper()
    else:
        start = before == "" or before[-1] in ".!?"
    if start:
        new = cap_first(new)
    p["text"] = t[:a] + new + t[b:]
    pair.touched.add(p["id"])
    labels = ["attribution"] + (["lede"] if pair.is_lede(p["id"]) else [])
    pair.record("attribution", labels, 3, True, f"source '{old}' → '{new}' in paragraph {i + 1}")
    return {"kind": "attribution", "old": old, "new": new}


def edit_name(pair):
    rng = pair.rng
    cands = []
    whole = " ".join(q["text"] for q in pair.new["paras"]) + " " + pair.new["title"]
    for i, p in pair.candidates():
        t = p["text"]
        for m in re.finditer(r"\b([A-Z][a-z]+) ([A-Z][a-z]{2,})\b(?![\w-])", t):
            if m.group(1) in FIRST_NAMES and m.group(2) not in FIRST_NAMES and outside_quotes(t, m.start(), m.end()):
                after = t[m.end():m.end() + 8]
                before = t[max(0, m.start() - 14):m.start()]
                if re.match(r"[ ,]+(said|says|told|explains|added|wrote)", after) or "’s" in after[:2] or "'s" in after[:2]:
                    continue  # the name is a source: that would be attribution too
                if re.search(r"(according to|said|says|told|by)[ ,]*([A-Z][a-z]+ )?$|[—–-] *$", before):
                    continue  # a source, or a quote's credit ("… — Andrew Chen")
                if len(re.findall(r"\b" + m.group(2) + r"\b", whole)) != 1:
                    continue  # the person is mentioned again: a swap would change them all
                cands.append((i, p, m.start(), m.end(), m.group(0), "person"))
        for group in PLACES:
            for place in group:
                found = list(re.finditer(r"\b" + place + r"\b", t))
                if len(found) != 1:
                    continue
                for m in found:
                    before = t[max(0, m.start() - 20):m.start()]
                    prev = re.search(r"([A-Z][\w.]*) $", before)
                    if (prev and prev.group(1) not in ("In", "The", "At", "From", "For", "On", "To", "And", "But", "By"))\
                            or re.match(r" [A-Z]", t[m.end():m.end() + 2]):
                        continue  # part of a longer name: "Kansas City Star", "New Mexico"
                    if outside_quotes(t, m.start(), m.end()) and not re.match(r"[ ,'’]+(s |said|says|told)", t[m.end():m.end() + 8]) \
                            and not re.search(r"(according to|at|from) (the )?$", before):
                        cands.append((i, p, m.start(), m.end(), place, PLACES.index(group)))
    if not cands:
        raise Skip()
    i, p, a, b, old, kind = rng.choice(cands)
    if kind == "person":
        new = rng.choice([n for n in NEW_PEOPLE if n != old])
    else:
        new = rng.choice([x for x in PLACE_SWAPS[kind] if x != old and x not in p["text"]])
    p["text"] = p["text"][:a] + new + p["text"][b:]
    pair.touched.add(p["id"])
    labels = ["name"] + (["lede"] if pair.is_lede(p["id"]) else [])
    pair.record("name_swap", labels, 4 if "lede" in labels else 3, True, f"'{old}' → '{new}' in paragraph {i + 1}")
    return {"kind": "name", "old": old, "new": new}


def edit_tonal(pair):
    rng = pair.rng
    cands = []
    for i, p in pair.candidates():
        t = p["text"]
        for a, b in TONAL:
            for m in re.finditer(r"\b" + a + r"\b", t, re.I):
                if outside_quotes(t, m.start(), m.end()):
                    cands.append((i, p, m.start(), m.end(), m.group(0), b))
    if not cands:
        raise Skip()
    i, p, a, b, old, new = rng.choice(cands)
    if old[0].isupper():
        new = cap_first(new)
    t = p["text"]
    # keep the article right: "an amazing game" -> "a good game"
    art = re.search(r"\b([Aa]n?) $", t[:a])
    if art:
        want = "an" if new[0].lower() in "aeiou" else "a"
        if art.group(1).lower() != want:
            want = cap_first(want) if art.group(1)[0].isupper() else want
            t = t[:art.start(1)] + want + t[art.end(1):]
            shift = len(want) - len(art.group(1))
            a, b = a + shift, b + shift
    p["text"] = t[:a] + new + t[b:]
    pair.touched.add(p["id"])
    labels = ["lede"] if pair.is_lede(p["id"]) else []
    pair.record("tonal", labels, 2, True, f"tone: '{old}' → '{new}' in paragraph {i + 1}")
    return {"kind": "tonal"}


def style_variants(t):
    out = []
    for a, b in STYLE_VARIANTS:
        for x, y in ((a, b), (b, a)):
            for m in re.finditer(r"(?<!\w)" + re.escape(x) + r"(?!\w)", t):
                out.append((m.start(), m.end(), y))
    return out


def edit_style(pair, where=None):
    """A style-guide fix in one paragraph (the old version gets the error
    where the fix is a typo or a missing space)."""
    rng = pair.rng
    kinds = ["typo", "case", "variant", "curly", "comma", "space", "dash"]
    rng.shuffle(kinds)
    first = pair.first_body_id(pair.new)
    for kind in kinds:
        cands = pair.candidates()
        rng.shuffle(cands)
        for i, p in cands:
            old_p = next(q for q in pair.old["paras"] if q["id"] == p["id"])
            t = p["text"]
            if old_p["text"] != t:
                continue
            res = None
            if kind == "typo" and p["id"] != first:
                ws = [m for m in re.finditer(r"\b[a-z]{6,}\b", t) if outside_quotes(t, m.start(), m.end())]
                if ws:
                    m = rng.choice(ws)
                    w = m.group(0)
                    j = rng.randrange(1, len(w) - 2)
                    typo = w[:j] + w[j + 1] + w[j] + w[j + 2:] if rng.random() < 0.6 else w[:j] + w[j + 1:]
                    if typo != w:
                        old_p["text"] = t[:m.start()] + typo + t[m.end():]
                        res = f"typo '{typo}' fixed"
            elif kind == "case":
                ws = [m for m in re.finditer(r"(?<=[a-z,] )([a-z]{5,})\b", t)]
                if ws:
                    m = rng.choice(ws)
                    # the old version had the stray capital; the edit fixes it
                    old_p["text"] = t[:m.start()] + cap_first(m.group(1)) + t[m.end():]
                    res = f"stray capital fixed ('{cap_first(m.group(1))}' → '{m.group(1)}')"
            elif kind == "variant":
                vs = style_variants(t)
                if vs:
                    a, b, y = rng.choice(vs)
                    res = f"'{t[a:b]}' → '{y}'"
                    p["text"] = t[:a] + y + t[b:]
            elif kind == "curly":
                if '"' in t and t.count('"') % 2 == 0:
                    out, open_ = [], True
                    for ch in t:
                        if ch == '"':
                            out.append("“" if open_ else "”")
                            open_ = not open_
                        else:
                            out.append(ch)
                    p["text"] = "".join(out).replace("'", "’")
                    res = "straight quotes made curly"
                elif "“" in t or "’" in t:
                    p["text"] = t.replace("“", '"').replace("”", '"').replace("’", "'")
                    res = "curly quotes made straight"
            elif kind == "comma":
                m = re.search(r"(\w+), (\w+),? and (\w+)", t)
                if m and outside_quotes(t, m.start(), m.end()):
                    s = m.group(0)
                    ns = s.replace(", and", " and") if ", and" in s else s.replace(" and", ", and", 1)
                    p["text"] = t[:m.start()] + ns + t[m.end():]
                    res = "serial comma " + ("dropped" if ", and" in s else "added")
                elif t.endswith(".") and rng.random() < 0.5:
                    old_p["text"] = t[:-1]
                    res = "missing full stop added"
            elif kind == "space":
                ms = [m for m in re.finditer(r"[a-z]\. (?=[A-Z][a-z])", t)]
                if ms:
                    m = rng.choice(ms)
                    old_p["text"] = t[:m.start() + 2] + t[m.end():]
                    res = "missing space after a full stop added"
            elif kind == "dash":
                if " - " in t:
                    p["text"] = t.replace(" - ", " — ", 1)
                    res = "hyphen made a dash"
                elif "—" in t:
                    p["text"] = t.replace("—", " – ", 1).replace("  ", " ")
                    res = "em dash made a spaced en dash"
            if res and key(old_p["text"]) == key(p["text"]) or (res and kind == "typo"):
                pair.touched.add(p["id"])
                pair.record("style_guide", ["style"], 1, False, f"{res} in paragraph {i + 1}")
                return {"kind": "style"}
            elif res:
                # Not a pure style change after all: undo.
                old_p["text"] = t
                p["text"] = t
    raise Skip()


def edit_byline_style(pair):
    b = pair.old["byline"]
    if not b or b.upper() == b:
        raise Skip()
    pair.old["byline"] = b.upper()
    pair.record("style_guide", ["style"], 1, False, "byline re-cased from capitals")
    return {"kind": "style"}


def edit_headline_style(pair):
    t = pair.new["title"]
    if "'" in t:
        nt = t.replace("'", "’")
    elif "’" in t:
        nt = t.replace("’", "'")
    elif t.endswith("."):
        nt = t[:-1]
    else:
        words = t.split()
        small = {"a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "at", "by", "with"}
        nt = " ".join(w if (k and w.lower() in small) else cap_first(w) for k, w in enumerate(words))
        if nt == t:
            nt = t[:1] + t[1:].lower() if t[1:].lower() != t[1:] else t + "."
    pair.new["title"] = nt
    pair.record("style_guide", ["style"], 1, False, "headline style (case/punctuation)")
    return {"kind": "style"}


HEAD_SUFFIXES = [", report says", ": what to know", ", experts say", ", explained", " — here's why"]

HEAD_SUBS = [("says", "warns"), ("Says", "Warns"), ("will", "could"), ("Will", "Could"),
             ("could", "may"), ("may", "could"), ("new", "latest"), ("New", "Latest"),
             ("after", "amid"), ("amid", "after"), ("big", "major"), ("Big", "Major")]


def edit_headline_tweak(pair):
    rng = pair.rng
    t = pair.new["title"]
    subs = [(a, b) for a, b in HEAD_SUBS if re.search(r"\b" + a + r"\b", t)]
    if subs and rng.random() < 0.6:
        a, b = rng.choice(subs)
        nt = re.sub(r"\b" + a + r"\b", b, t, count=1)
    else:
        nt = t.rstrip(".") + rng.choice(HEAD_SUFFIXES)
    pair.new["title"] = nt
    pair.record("headline_tweak", ["headline"], 3, True, f"headline tweaked: '{t}' → '{nt}'")
    return {"kind": "headline"}


def edit_headline_rewrite(pair):
    lede = pair.body(pair.new)[0]["text"]
    s = sentences(lede)[0]
    subordinate = ("in", "when", "if", "as", "after", "while", "thank", "on", "for", "at", "with", "since", "but", "and", "so", "because", "although")
    parts = [x.strip() for x in re.split(r",(?!\d)|;| — | – |: ", s)]
    # No figures: a headline that gains one is not "a number changed".
    parts = [x for x in parts if word_count(x) >= 5 and x.split()[0].lower().strip("(") not in subordinate
             and not re.search(r"\d", x)]
    if not parts:
        raise Skip()
    words = parts[0].rstrip(".").split()
    words = words[:13]
    while len(words) > 5 and words[-1].lower() in ("the", "a", "an", "to", "of", "in", "on", "for", "and", "or", "how", "with", "that", "is", "are", "your", "you"):
        words.pop()
    nt = " ".join(words)
    if key(nt) == key(pair.new["title"]):
        raise Skip()
    pair.new["title"] = cap_first(nt)
    pair.record("headline_rewrite", ["headline"], 4, True, "headline rewritten from the lede")
    return {"kind": "headline"}


def edit_byline(pair):
    rng = pair.rng
    b = pair.new["byline"]
    r = rng.choice([x for x in REPORTERS if x not in b])
    if not b:
        nb, note = r, "byline added"
    elif rng.random() < 0.5:
        nb, note = b + " and " + r, "second author added to the byline"
    else:
        nb, note = r, "byline replaced"
    pair.new["byline"] = nb
    pair.record("byline", ["byline"], 2, True, note)
    return {"kind": "byline"}


def edit_lede(pair):
    rng = pair.rng
    lede = pair.body(pair.new)[0]
    if lede["id"] in pair.touched:
        raise Skip()
    ss = sentences(lede["text"])
    mode = rng.choice(["prepend", "prepend", "trim", "newpara"])
    if mode == "trim" and len(ss) >= 2:
        cut = ss[-1]
        lede["text"] = " ".join(ss[:-1])
        labels = ["lede", "deletion"] + (["quote"] if has_quote(cut) else [])
        note = "last sentence of the lede cut"
    elif mode == "newpara":
        text = pair.take_rest(lambda t: word_count(t) <= 60 and not has_quote(t))
        i = pair.new["paras"].index(lede)
        pid = pair.fresh_id()
        pair.new["paras"].insert(i, {"id": pid, "text": text, "kind": "body"})
        pair.touched.add(pid)
        labels = ["lede", "addition"]
        note = "new first paragraph"
    else:
        cands = [s for t in pair.rest for s in sentences(t) if 8 <= word_count(s) <= 35 and not has_quote(s) and s.endswith(".")]
        if not cands:
            raise Skip()
        s = rng.choice(cands)
        lede["text"] = s + " " + lede["text"]
        labels = ["lede", "addition"]
        note = "new sentence at the top of the lede"
    pair.touched.add(lede["id"])
    pair.record("lede_rewritten", labels, 4, True, note)
    return {"kind": "lede"}


def add_note(pair, fix, lang=None, where=None):
    rng = pair.rng
    lang = lang or pair.lang
    kind = fix.get("kind") if fix else "update"
    kinds = NOTES[lang]
    k = kind if kind in kinds else ("update" if kind in ("update", "lede", "move", "byline") else "generic")
    tmpl = rng.choice(kinds[k])
    text = tmpl.format(old=fix.get("old", ""), new=fix.get("new", "")) if fix else tmpl
    where = where or ("end" if rng.random() < 0.7 else "start")
    note = {"id": pair.fresh_id(), "text": text, "kind": "note"}
    if where == "end":
        pair.new["paras"].append(note)
    else:
        pair.new["paras"].insert(0, note)
    is_correction = k not in ("update",)
    pair.record("correction" if is_correction else "update_note", ["correction"],
                4 if is_correction else 3, False, f"{lang} note {where}: {text[:60]}")


# --------------------------------------------------------------------------
# Plans: what a pair is made of.

SINGLE = {
    "number": lambda p: edit_number(p),
    "quote_update": edit_quote_update,
    "quote_add": edit_quote_add,
    "quote_remove": edit_quote_remove,
    "background": edit_background,
    "update_para": edit_update_para,
    "delete": edit_delete,
    "move": edit_move,
    "attribution": edit_attribution,
    "name": edit_name,
    "tonal": edit_tonal,
    "style": edit_style,
    "byline_style": edit_byline_style,
    "headline_style": edit_headline_style,
    "headline_tweak": edit_headline_tweak,
    "headline_rewrite": edit_headline_rewrite,
    "byline": edit_byline,
    "lede": edit_lede,
}

SINGLE_WEIGHTS = {
    "number": 6, "quote_update": 5, "quote_add": 4, "quote_remove": 4, "background": 3,
    "update_para": 3, "delete": 3, "move": 8, "attribution": 8, "name": 10, "tonal": 4,
    "style": 7, "byline_style": 2, "headline_style": 2, "headline_tweak": 3,
    "headline_rewrite": 3, "byline": 9, "lede": 3,
}

# Structural edits go last: they change positions.
ORDER = ["headline_tweak", "headline_rewrite", "headline_style", "byline", "byline_style",
         "lede", "number", "quote_update", "attribution", "name", "tonal", "style",
         "quote_add", "background", "update_para", "quote_remove", "delete", "move"]


def plan_combo(pair, names):
    for n in sorted(names, key=ORDER.index):
        SINGLE[n](pair)


def plan_correction(pair):
    rng = pair.rng
    fix_name = rng.choice(["number", "number", "name", "quote_update", "attribution", "delete", "headline_tweak"])
    fix = SINGLE[fix_name](pair)
    if rng.random() < 0.25:
        edit_style(pair)
    lang = pair.lang if pair.lang != "en" else rng.choice(["en"] * 6 + ["fr", "es", "de"])
    add_note(pair, fix, lang)


def plan_update_note(pair):
    rng = pair.rng
    fix = rng.choice([edit_quote_add, edit_update_para, edit_background, edit_lede])(pair)
    lang = pair.lang if pair.lang != "en" else rng.choice(["en"] * 6 + ["fr", "es", "de"])
    add_note(pair, {"kind": "update"}, lang)
    return fix


def plan_note_present(pair):
    """The old version already carries a note; the new one changes something
    else (no new note, but not stealth: the page has a note) or changes the
    note itself."""
    rng = pair.rng
    text = rng.choice(NOTES[pair.lang]["update"])
    note = {"id": 1000, "text": text, "kind": "note"}
    pair.old["paras"].append(note)
    pair.new["paras"].append(dict(note))
    pair.notes.append("an update note was already on the page")
    if rng.random() < 0.5:
        SINGLE[rng.choice(["number", "quote_update", "name", "background", "move"])](pair)
    else:
        edit_update_para(pair)
        n = next(p for p in pair.new["paras"] if p["kind"] == "note")
        n["text"] = rng.choice([t for t in NOTES[pair.lang]["update"] if t != text]) + " " + \
            rng.choice(["It was first published on Monday.", "An earlier update added comment from the police."])
        pair.record("update_note", ["correction"], 3, False, "existing update note changed")


def plan_rewrite(pair):
    rng = pair.rng
    total = len(pair.art["paras"])
    if total < 16:
        raise Skip()
    n = rng.randint(8, min(25, total // 2))
    pair.old["paras"] = [{"id": i, "text": t, "kind": "body"} for i, t in enumerate(pair.art["paras"][:n])]
    pair.rest = list(pair.art["paras"][n:])
    pair.start()
    old_body = pair.body(pair.old)
    keep = sorted(rng.sample(range(1, n), max(1, n // 4)))
    fresh = pair.rest[: n - len(keep)]
    pair.rest = pair.rest[n - len(keep):]
    paras = [{"id": pair.fresh_id() + k, "text": t, "kind": "body"} for k, t in enumerate(fresh)]
    kept = [dict(old_body[k]) for k in keep]
    # Kept paragraphs go in their old order, spread through the new text.
    out, fi = [], 0
    slots = sorted(rng.sample(range(1, n), len(kept)))
    for pos in range(n):
        if kept and slots and pos == slots[0]:
            out.append(kept.pop(0))
            slots.pop(0)
        else:
            out.append(paras[fi])
            fi += 1
    pair.new["paras"] = out
    labels = ["rewrite", "addition", "deletion", "lede"]
    if quote_multiset(p["text"] for p in old_body) != quote_multiset(p["text"] for p in out):
        labels.append("quote")
    pair.record("rewrite", labels, 5, True, f"{n - len(keep)} of {n} paragraphs replaced")
    if rng.random() < 0.6:
        edit_headline_rewrite(pair)


def plan_live(pair):
    rng = pair.rng
    body = pair.body(pair.old)
    if len(body) < 8:
        raise Skip()
    pair.live = True
    m = rng.randint(1, 3)
    h, mi = rng.randint(8, 20), rng.randint(0, 59)

    def stamp(k):
        t = h * 60 + mi - 17 * k
        return f"{t // 60:02d}:{t % 60:02d}"

    posts = [p["text"] for p in body]
    old_posts = [stamp(k + m) + " — " + t for k, t in enumerate(posts[m:])]
    new_posts = [stamp(k) + " — " + t for k, t in enumerate(posts)]
    pair.old["paras"] = [{"id": k, "text": t, "kind": "post"} for k, t in enumerate(old_posts)]
    pair.new["paras"] = [{"id": 100 + k, "text": t, "kind": "post"} for k, t in enumerate(new_posts[:m])] + \
        [dict(p) for p in pair.old["paras"]]
    pair.record("live_update", ["live"], 2 if m == 1 else 3, False, f"{m} new post(s) at the top of a live page")


def build(pair, plan):
    kind, names = plan
    pair.start()
    if kind == "single":
        SINGLE[names[0]](pair)
    elif kind == "combo":
        plan_combo(pair, names)
    elif kind == "correction":
        plan_correction(pair)
    elif kind == "update_note":
        plan_update_note(pair)
    elif kind == "note_present":
        plan_note_present(pair)
    elif kind == "rewrite":
        plan_rewrite(pair)
    elif kind == "live":
        plan_live(pair)


def texts(doc):
    return {"title": doc["title"], "byline": doc["byline"], "paragraphs": [p["text"] for p in doc["paras"]]}


def finish(pair):
    """Final labels, with the checks that keep them honest."""
    old, new = pair.old, pair.new
    labels = set(pair.labels)
    has_note = any(p["kind"] == "note" for p in new["paras"])
    if pair.substantive and not has_note and not pair.live:
        labels.add("stealth")
    # Checks: each label must match what the texts show.
    ot, nt = texts(old), texts(new)
    if ot == nt:
        raise Skip()
    if not pair.live:
        if ("headline" in labels) != (key(old["title"]) != key(new["title"])):
            raise Skip()
        if ("byline" in labels) != (key(old["byline"]) != key(new["byline"])):
            raise Skip()
        qo = quote_multiset(p["text"] for p in old["paras"] if p["kind"] == "body")
        qn = quote_multiset(p["text"] for p in new["paras"] if p["kind"] == "body")
        if ("quote" in labels) != (qo != qn):
            raise Skip()
        ob, nb = pair.body(old), pair.body(new)
        lede_changed = key(ob[0]["text"]) != key(nb[0]["text"])
        if ("lede" in labels) != lede_changed:
            raise Skip()
        if "style" in labels and not pair.substantive:
            # style only: everything must agree once style is set aside
            if [key(x) for x in ot["paragraphs"]] != [key(x) for x in nt["paragraphs"]]:
                raise Skip()
        if "move" not in labels and "rewrite" not in labels:
            # nothing else reorders: surviving paragraph ids keep their order
            common = [p["id"] for p in old["paras"] if p["id"] in {q["id"] for q in new["paras"]}]
            order = [p["id"] for p in new["paras"] if p["id"] in set(common)]
            if common != order:
                raise Skip()
    return sorted(labels, key=LABELS.index)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=20241201)
    ap.add_argument("--count", type=int, default=420)
    ap.add_argument("--min-support", type=int, default=40, help="pairs at least for each target label")
    ap.add_argument("--wcxb", default=DEFAULT_WCXB, help="WCXB dev-articles folder ('' to skip)")
    ap.add_argument("--wcxb-limit", type=int, default=120)
    ap.add_argument("--out", default=os.path.join(HERE, "pairs.jsonl"))
    ap.add_argument("--holdout", action="store_true",
                    help="use the held-out vocabularies (for a check set; not the committed pairs)")
    args = ap.parse_args()
    if args.holdout:
        use_holdout()

    rng = random.Random(args.seed)
    arts = load_benchmark()
    if args.wcxb and os.path.isdir(args.wcxb):
        arts += load_wcxb(args.wcxb, args.wcxb_limit)
    print(f"{len(arts)} articles ({collections.Counter(a['lang'] for a in arts)})", file=sys.stderr)

    singles = list(SINGLE_WEIGHTS)
    sw = [SINGLE_WEIGHTS[s] for s in singles]
    combo_pool = ["number", "quote_update", "quote_add", "quote_remove", "background", "update_para",
                  "delete", "move", "attribution", "name", "tonal", "style", "headline_tweak",
                  "headline_rewrite", "byline", "lede", "byline_style"]

    def choose_plan():
        r = rng.random()
        if r < 0.40:
            return ("single", [rng.choices(singles, sw)[0]])
        if r < 0.70:
            k = 2 if rng.random() < 0.7 else 3
            names = []
            while len(names) < k:
                n = rng.choice(combo_pool)
                if n not in names and not (n.startswith("headline") and any(x.startswith("headline") for x in names)):
                    names.append(n)
            return ("combo", names)
        if r < 0.83:
            return ("correction", [])
        if r < 0.89:
            return ("update_note", [])
        if r < 0.92:
            return ("note_present", [])
        if r < 0.955:
            return ("rewrite", [])
        return ("live", [])

    out = []
    # Each target label gets at least this many pairs: topped up at the end
    # with single edits of that kind.
    minimum = {"headline": ("single", ["headline_tweak"]), "byline": ("single", ["byline"]),
               "number": ("single", ["number"]), "quote": ("single", ["quote_update"]),
               "correction": ("correction", []), "move": ("single", ["move"]),
               "style": ("single", ["style"]), "attribution": ("single", ["attribution"]),
               "name": ("single", ["name"])}
    order = list(range(len(arts)))
    rng.shuffle(order)
    # the non-English bodies get extra turns: they carry the DE/FR/ES notes
    foreign = [i for i, a in enumerate(arts) if a["lang"] != "en"]
    ai = 0
    attempts = 0
    while attempts < args.count * 50:
        support = collections.Counter(l for o in out for l in o["labels"])
        short = [l for l in minimum if support[l] < args.min_support]
        if len(out) >= args.count and not short:
            break
        if len(out) >= args.count:
            plan = minimum[short[0]]
            tries = []
            for _ in range(40):
                tries.append(arts[order[ai % len(order)]])
                ai += 1
        elif foreign and len(out) % 25 == 7:
            plan = ("correction", []) if rng.random() < 0.6 else ("single", [rng.choice(["number", "style", "move", "delete"])])
            tries = [arts[foreign[(len(out) // 25) % len(foreign)]]] * 5
        else:
            plan = choose_plan()
            tries = []
            for _ in range(40):
                tries.append(arts[order[ai % len(order)]])
                ai += 1
        for art in tries:
            attempts += 1
            pair = Pair(random.Random(rng.random()), art)
            try:
                build(pair, plan)
                labels = finish(pair)
                break
            except Skip:
                pair = None
        if pair is None:
            continue
        n = len(out) + 1
        intention = "+".join(dict.fromkeys(pair.intentions))
        out.append({
            "id": f"g{n:03d}",
            "intention": intention,
            "origin": art["origin"],
            "lang": art["lang"],
            "live": pair.live,
            "old": texts(pair.old),
            "new": texts(pair.new),
            "labels": labels,
            "rank": pair.rank(),
            "note": "; ".join(pair.notes),
        })
    with open(args.out, "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    c = collections.Counter(l for o in out for l in o["labels"])
    print(f"{len(out)} pairs → {args.out}", file=sys.stderr)
    print("labels: " + ", ".join(f"{l} {c[l]}" for l in LABELS), file=sys.stderr)
    ci = collections.Counter(i for o in out for i in o["intention"].split("+"))
    print("intentions: " + ", ".join(f"{k} {v}" for k, v in sorted(ci.items())), file=sys.stderr)
    print("ranks: " + str(sorted(collections.Counter(o["rank"] for o in out).items())), file=sys.stderr)


if __name__ == "__main__":
    main()
