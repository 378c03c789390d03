#!/usr/bin/env python3
"""Writes crates/classify/eval/handwritten.jsonl: hand-written pairs, each a
realistic and deliberately tricky newsroom edit with the labels a careful
annotator gives it (see README.md for the conventions).

The base articles below were written for this set (they are not copied from
anywhere); each case names the edit made to one of them. Standard library only.

    python3 crates/classify/eval/handwritten.py
"""

import copy
import json
import os

from generate import key, quote_multiset

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = [
    "headline", "byline", "lede", "number", "quote", "attribution", "name",
    "correction", "addition", "deletion", "move", "style", "rewrite", "live",
    "stealth",
]

FLOOD = {
    "lang": "en",
    "title": "Floods force thousands from their homes in northern Italy",
    "byline": "By Marco Rossi",
    "paragraphs": [
        "More than 3,000 people were evacuated from towns along the Po river on Monday after two days of torrential rain caused it to burst its banks, regional officials said.",
        "Twelve people have been treated in hospital for minor injuries, and two people are missing near the town of Boretto, according to the civil protection agency.",
        "\"We have never seen the water rise this quickly,\" said Giuseppe Sala, the mayor of Boretto. \"Whole streets were under a metre of water within an hour.\"",
        "The regional government of Emilia-Romagna declared a state of emergency on Monday afternoon and asked Rome for €20 million in immediate aid.",
        "Forecasters expect a further 80 millimetres of rain by Wednesday; officials warned that levees downstream could fail.",
        "Farmers in the area said the floods had destroyed much of this year's maize harvest. The regional farmers' union put the losses at 4.5 per cent of the province's output.",
        "The opposition slammed the government for cutting flood-defence spending by a third since 2019.",
        "Residents were told to stay away from the river banks and to follow instructions from emergency services.",
    ],
}

JOBS = {
    "lang": "en",
    "title": "Acme Corp to cut 1,200 jobs as sales slump",
    "byline": "Jane Porter",
    "paragraphs": [
        "Acme Corp said on Tuesday it would cut 1,200 jobs, about 8% of its workforce, after a third consecutive quarter of falling sales.",
        "The company reported revenue of $3.2 billion for the three months to September, down from $3.6 billion a year earlier.",
        "\"These are difficult decisions, but they are the right ones for the long-term health of the business,\" chief executive Laura Chen said in a statement.",
        "Most of the cuts will fall on the company's plants in Ohio and Indiana, a person familiar with the plans said.",
        "Union leaders said they had not been consulted. \"We learned about this from the press,\" said Tom Walsh, a regional organiser.",
        "Shares in Acme fell 6 per cent in early trading in New York.",
        "Analysts at Morgan Stanley said the cuts would save the company about $150 million a year.",
        "Acme employs about 15,000 people worldwide.",
    ],
}

COUNCIL = {
    "lang": "en",
    "title": "City council approves new tram line after heated debate",
    "byline": "By DAVID OSEI",
    "paragraphs": [
        "The city council voted 31 to 24 on Thursday night to approve a 12-kilometre tram line linking the airport with the city centre.",
        "The project, expected to cost about £640 million, has divided residents for almost a decade.",
        "Supporters say the line will take thousands of cars off the road. \"This is the most important transport decision this city has made in a generation,\" said councillor Helen Whitaker.",
        "Opponents argued that the money would be better spent on buses. Councillor Peter Albright called the plan \"a vanity project\" and said he would ask for a judicial review.",
        "Construction is due to start next spring and the first trams could run in 2029, officials said.",
        "A public consultation last year drew more than 11,000 responses.",
    ],
}

GERMAN = {
    "lang": "de",
    "title": "Hochwasser in Bayern: Hunderte Menschen in Sicherheit gebracht",
    "byline": "Von Katrin Vogel",
    "paragraphs": [
        "Nach tagelangem Starkregen sind in Niederbayern am Sonntag rund 600 Menschen aus ihren Häusern in Sicherheit gebracht worden, teilte das Landratsamt Passau mit.",
        "In der Stadt Passau stieg die Donau bis zum Nachmittag auf einen Pegel von 8,90 Metern. Die Altstadt ist teilweise überflutet.",
        "„Wir rechnen damit, dass der Höchststand erst in der Nacht erreicht wird“, sagte ein Sprecher der Feuerwehr.",
        "Der Deutsche Wetterdienst warnte vor weiteren Niederschlägen von bis zu 60 Litern pro Quadratmeter bis Dienstag.",
        "Ministerpräsident Markus Söder kündigte an, am Montag in das Hochwassergebiet zu reisen.",
        "Die Bahn stellte den Verkehr zwischen Passau und Plattling vorübergehend ein.",
    ],
}

FRENCH = {
    "lang": "fr",
    "title": "Grève à la SNCF : le trafic fortement perturbé mardi",
    "byline": "Claire Dubois",
    "paragraphs": [
        "Le trafic ferroviaire sera fortement perturbé mardi en raison d'une grève nationale à l'appel de plusieurs syndicats, a annoncé la SNCF lundi soir.",
        "Seul un TGV sur trois circulera sur l'axe Paris-Lyon, et deux TER sur cinq en moyenne dans les régions.",
        "« Nous demandons une revalorisation immédiate des salaires de 6 % », a déclaré Laurent Brun, secrétaire général de la CGT-Cheminots.",
        "La direction de la SNCF estime pour sa part avoir déjà fait des propositions « sérieuses et chiffrées ».",
        "Le ministre des Transports a appelé les deux parties à reprendre les négociations dès mercredi.",
        "Les voyageurs sont invités à reporter leurs déplacements ou à consulter l'application SNCF Connect.",
    ],
}

SPANISH = {
    "lang": "es",
    "title": "Un incendio forestal obliga a desalojar a 2.000 personas en Valencia",
    "byline": "Lucía Romero",
    "paragraphs": [
        "Un incendio forestal declarado el sábado en la sierra de Espadán ha obligado a desalojar a unas 2.000 personas de cuatro municipios, según informó la Generalitat.",
        "Las llamas han calcinado ya más de 1.500 hectáreas, y los bomberos trabajan con la ayuda de ocho medios aéreos.",
        "«El viento está complicando mucho las tareas de extinción», explicó el jefe de bomberos, Javier Molina.",
        "La Agencia Estatal de Meteorología prevé que las rachas de viento alcancen los 70 kilómetros por hora el domingo.",
        "Los vecinos desalojados han sido alojados en un polideportivo de Segorbe.",
        "La Guardia Civil investiga las causas del fuego.",
    ],
}

COURT = {
    "lang": "en",
    "title": "Former mayor found guilty of fraud over housing contracts",
    "byline": "By Rahul Mehta, Court Correspondent",
    "paragraphs": [
        "A former mayor of Riverton was found guilty on Friday of awarding $4.7 million in housing contracts to companies owned by his relatives, a jury at Hamilton County Court decided after a three-week trial.",
        "Gordon Pike, 61, who led the city from 2014 to 2022, was convicted on seven of the nine counts against him. He was acquitted of two counts of money laundering.",
        "\"The jury has seen through a decade of lies,\" prosecutor Denise Alvarado told reporters outside the courthouse.",
        "Pike's lawyer, Martin Greer, said his client would appeal. \"We respect the jury, but we believe the judge made serious errors,\" he said.",
        "Sentencing is set for Jan. 14. Each count carries a maximum penalty of 10 years in prison.",
        "The case began in 2021 when a city auditor noticed that three contractors shared an address with the mayor's brother-in-law.",
        "Pike resigned shortly after he was charged, and the city council appointed his deputy, Ruth Okonjo, as interim mayor.",
        "Riverton, a city of about 85,000 people, has since tightened its notoriously lax rules on public procurement.",
    ],
}

LIVE = {
    "lang": "en",
    "title": "Election night live: results as they come in",
    "byline": "Politics desk",
    "paragraphs": [
        "22:40 — Turnout in the capital is estimated at 61%, up four points on the last election, the electoral commission says.",
        "22:15 — Polls have closed. The first results are expected shortly after midnight.",
        "21:50 — Queues are still forming outside some polling stations in the north of the city.",
        "21:20 — The prime minister cast her vote this morning and said she was \"quietly confident\".",
        "20:45 — Welcome to our live coverage of election night.",
    ],
}


def case(cid, base, intention, labels, rank, note, ops, live=False, old_ops=(), both_ops=()):
    """`both_ops` make both versions (e.g. a note already on the page),
    `old_ops` put the error the new version fixes into the old one, `ops`
    make the new version."""
    start = {"title": base["title"], "byline": base["byline"], "paragraphs": list(base["paragraphs"])}
    for op in both_ops:
        apply(start, op)
    old, new = copy.deepcopy(start), copy.deepcopy(start)
    for op in old_ops:
        apply(old, op)
    for op in ops:
        apply(new, op)
    assert old != new, cid
    for l in labels:
        assert l in LABELS, (cid, l)
    # The checks generate.py makes, where they apply.
    assert ("headline" in labels) == (key(old["title"]) != key(new["title"])), cid
    assert ("byline" in labels) == (key(old["byline"]) != key(new["byline"])), cid
    if not live:
        body_old = [p for p in old["paragraphs"] if not is_note(p)]
        body_new = [p for p in new["paragraphs"] if not is_note(p)]
        if labels != ["style"]:  # a typo fixed in the lede changes letters, not the lede
            assert ("lede" in labels) == (key(body_old[0]) != key(body_new[0])), cid
        assert ("quote" in labels) == (quote_multiset(body_old) != quote_multiset(body_new)), cid
    return {
        "id": cid, "intention": intention, "origin": "handwritten", "lang": base["lang"], "live": live,
        "old": old, "new": new, "labels": sorted(labels, key=LABELS.index), "rank": rank, "note": note,
    }


def is_note(p):
    return p.startswith(("Correction", "Clarification", "An earlier version", "This article", "This story",
                         "Update:", "Korrektur", "Dieser Artikel", "Rectificatif", "Mise à jour",
                         "Fe de errores", "Actualización", "UPDATE", "[This", "Editor", "Update,",
                         "A previous version", "Berichtigung", "Erratum", "Corrección"))


def apply(doc, op):
    kind = op[0]
    ps = doc["paragraphs"]
    if kind == "sub":
        _, i, a, b = op
        assert a in ps[i], (a, ps[i])
        ps[i] = ps[i].replace(a, b, 1)
    elif kind == "title":
        _, a, b = op
        assert a in doc["title"], a
        doc["title"] = doc["title"].replace(a, b, 1)
    elif kind == "set_title":
        doc["title"] = op[1]
    elif kind == "byline":
        doc["byline"] = op[1]
    elif kind == "insert":
        ps.insert(op[1], op[2])
    elif kind == "append":
        ps.append(op[1])
    elif kind == "delete":
        del ps[op[1]]
    elif kind == "move":
        p = ps.pop(op[1])
        ps.insert(op[2], p)
    elif kind == "set":
        ps[op[1]] = op[2]
    elif kind == "merge":
        i = op[1]
        ps[i:i + 2] = [ps[i] + " " + ps[i + 1]]
    elif kind == "split":
        _, i, at = op
        a, b = ps[i].split(at, 1)
        ps[i:i + 1] = [a + at.rstrip(), b.lstrip()]
    elif kind == "replace_all":
        doc["paragraphs"] = list(op[1])
    else:
        raise ValueError(kind)


CASES = [
    # --- style: things that look like changes but are not substantive
    case("h01", FLOOD, "style_guide", ["style"], 1, "quote punctuation only: straight quotes made curly, comma stays inside",
         [("set", 2, "“We have never seen the water rise this quickly,” said Giuseppe Sala, the mayor of Boretto. “Whole streets were under a metre of water within an hour.”")]),
    case("h02", FLOOD, "style_guide", ["style"], 1, "name misspelling corrected (Giusepe → Giuseppe): style, not a name swap",
         [], old_ops=[("sub", 2, "Giuseppe", "Giusepe")]),
    case("h03", FLOOD, "style_guide", ["style"], 1, "sentence split in two at a semicolon (punctuation and capitalisation only)",
         [("sub", 4, "Wednesday; officials warned", "Wednesday. Officials warned")]),
    case("h04", JOBS, "style_guide", ["style"], 1, "two sentences merged with a semicolon",
         [("sub", 4, "consulted. \"We learned", "consulted; \"we learned")]),
    case("h05", COUNCIL, "style_guide", ["style"], 1, "byline re-cased from capitals",
         [("byline", "By David Osei")]),
    case("h06", JOBS, "style_guide", ["style"], 1, "house style: per cent → percent, 8% unchanged",
         [("sub", 5, "6 per cent", "6 percent")]),
    case("h07", FLOOD, "style_guide", ["style"], 1, "headline re-cased to title case",
         [("set_title", "Floods Force Thousands From Their Homes in Northern Italy")]),
    case("h08", COUNCIL, "style_guide", ["style"], 1, "two paragraphs merged into one (paragraphing only)",
         [("merge", 4)]),
    case("h09", JOBS, "style_guide", ["style"], 1, "paragraph split in two (paragraphing only)",
         [("split", 4, "consulted.")]),
    case("h10", FRENCH, "style_guide", ["style"], 1, "French typography: non-breaking-style spaces in guillemets and before the percent sign normalised",
         [("sub", 2, "« Nous demandons une revalorisation immédiate des salaires de 6 % »", "«Nous demandons une revalorisation immédiate des salaires de 6%»")]),
    case("h11", GERMAN, "style_guide", ["style"], 1, "German spelling: typo fixed (Sicherheitt → Sicherheit) and a missing comma added",
         [], old_ops=[("sub", 0, "in Sicherheit gebracht worden, teilte", "in Sicherheitt gebracht worden teilte")]),
    case("h12", COUNCIL, "style_guide", ["style"], 1, "comma added after an adverbial in the lede: style only, no lede label",
         [("sub", 0, "voted 31 to 24 on Thursday night", "voted 31 to 24 on Thursday night,")]),

    case("h12b", FLOOD, "style_guide", ["style"], 1, "number style only: two → 2 (same figure, house style)",
         [("sub", 1, "and two people are missing", "and 2 people are missing")]),
    case("h12c", FLOOD, "style_guide", ["style"], 1, "amount style only: €20 million → €20m",
         [("sub", 3, "€20 million", "€20m")]),
    case("h12d", COUNCIL, "style_guide", ["style"], 1, "quotation marks made curly and an apostrophe typeset",
         [("sub", 2, "\"This is the most important transport decision this city has made in a generation,\"",
           "“This is the most important transport decision this city has made in a generation,”")]),

    # --- numbers
    case("h13", FLOOD, "event_update", ["number", "stealth"], 3, "count in words: twelve → 14",
         [("sub", 1, "Twelve people have", "Fourteen people have")]),
    case("h14", FLOOD, "event_update", ["lede", "number", "stealth"], 4, "evacuation figure in the lede: 3,000 → 5,000",
         [("sub", 0, "More than 3,000 people", "More than 5,000 people")]),
    case("h15", JOBS, "event_update", ["number", "stealth"], 3, "$3.2 billion → $3.4 billion",
         [("sub", 1, "$3.2 billion", "$3.4 billion")]),
    case("h16", FLOOD, "event_update", ["number", "stealth"], 3, "date: Wednesday → Thursday",
         [("sub", 4, "by Wednesday", "by Thursday")]),
    case("h17", JOBS, "event_update", ["headline", "lede", "number", "stealth"], 4, "figure in the headline and the lede: 1,200 → 1,500",
         [("title", "1,200", "1,500"), ("sub", 0, "1,200 jobs", "1,500 jobs")]),
    case("h18", FLOOD, "event_update", ["number", "stealth"], 3, "count: two → a dozen (a number in words)",
         [("sub", 1, "two people are missing", "a dozen people are missing")]),
    case("h19", FLOOD, "event_update", ["number", "stealth"], 3, "percentage with a decimal: 4.5 → 4.8",
         [("sub", 5, "4.5 per cent", "4.8 per cent")]),

    # --- quotes
    case("h20", JOBS, "quote_updated", ["quote", "stealth"], 3, "words inside a quote altered",
         [("sub", 2, "These are difficult decisions", "These are painful decisions")]),
    case("h21", COUNCIL, "quote_updated", ["quote", "stealth"], 3, "quote trimmed: words cut from inside the quotation marks",
         [("sub", 2, "the most important transport decision this city has made in a generation", "the most important decision this city has made")]),
    case("h22", SPANISH, "quote_updated", ["quote", "stealth"], 3, "Spanish quote in «…» altered",
         [("sub", 2, "está complicando mucho", "está dificultando")]),
    case("h23", FLOOD, "quote_added", ["addition", "quote", "stealth"], 3, "new paragraph with a quote from a resident",
         [("insert", 3, "\"We lost everything on the ground floor,\" said Anna Ferri, who runs a bakery near the river.")]),
    case("h24", JOBS, "quote_removed", ["deletion", "quote", "stealth"], 4, "paragraph with the union quote cut",
         [("delete", 4)]),

    # --- attribution and names
    case("h25", FLOOD, "attribution", ["lede", "attribution", "stealth"], 3, "officials said → according to a spokesman for the regional government",
         [("sub", 0, "banks, regional officials said.", "banks, according to a spokesman for the regional government.")]),
    case("h26", JOBS, "attribution", ["attribution", "stealth"], 3, "anonymous source named",
         [("sub", 3, "a person familiar with the plans said", "the company's head of operations, Mark Ellis, said")]),
    case("h27", COUNCIL, "attribution", ["attribution", "stealth"], 3, "named source made anonymous",
         [("sub", 3, "Councillor Peter Albright called", "One councillor called")]),
    case("h28", FLOOD, "name_swap", ["name", "stealth"], 3, "wrong town: Boretto → Gualtieri (place swapped)",
         [("sub", 1, "near the town of Boretto", "near the town of Gualtieri")]),
    case("h29", JOBS, "name_swap", ["name", "stealth"], 3, "place swapped: New York → London (not a source)",
         [("sub", 5, "in New York", "in London")]),
    case("h29b", JOBS, "attribution+name_swap", ["attribution", "name", "stealth"], 3,
         "the bank credited with an estimate swapped: who is credited changed, and an organisation was swapped",
         [("sub", 6, "Analysts at Morgan Stanley said", "Analysts at Goldman Sachs said")]),
    case("h30", GERMAN, "name_swap", ["name", "stealth"], 3, "German: person swapped (Markus Söder → Hubert Aiwanger)",
         [("sub", 4, "Ministerpräsident Markus Söder", "Wirtschaftsminister Hubert Aiwanger")]),
    case("h30b", FLOOD, "name_swap", ["name", "stealth"], 3, "region swapped: Emilia-Romagna → Lombardy",
         [("sub", 3, "Emilia-Romagna", "Lombardy")]),

    # --- corrections and update notes (four languages)
    case("h31", FLOOD, "correction", ["number", "correction"], 4, "figure fixed with an English correction note appended",
         [("sub", 3, "€20 million", "€200 million"),
          ("append", "Correction: An earlier version of this article misstated the amount of aid requested. It is €200 million, not €20 million.")]),
    case("h32", JOBS, "update_note", ["addition", "correction"], 3, "\"This article has been updated\" note with a new paragraph",
         [("insert", 7, "The company said it would offer affected workers six months' pay."),
          ("append", "This article has been updated to include details of severance pay.")]),
    case("h33", COUNCIL, "correction", ["correction"], 3, "only an editor's note added at the top",
         [("insert", 0, "An earlier version of this article gave the wrong date for the council vote. It took place on Thursday.")]),
    case("h34", GERMAN, "correction", ["lede", "number", "correction"], 4, "German: Korrektur note and the figure in the lede fixed",
         [("sub", 0, "rund 600 Menschen", "rund 900 Menschen"),
          ("append", "Korrektur: In einer früheren Version dieses Artikels hieß es, rund 600 Menschen seien in Sicherheit gebracht worden. Richtig ist: rund 900.")]),
    case("h35", FRENCH, "correction", ["number", "correction"], 4, "French: Rectificatif and a number in words fixed (un sur trois → un sur deux)",
         [("sub", 1, "Seul un TGV sur trois", "Seul un TGV sur deux"),
          ("append", "Rectificatif : Une version précédente de cet article indiquait qu'un TGV sur trois circulerait sur l'axe Paris-Lyon. Il s'agit d'un sur deux.")]),
    case("h36", SPANISH, "correction", ["number", "correction"], 4, "Spanish: Fe de errores and the area fixed",
         [("sub", 1, "más de 1.500 hectáreas", "más de 1.050 hectáreas"),
          ("append", "Fe de errores: Una versión anterior de este artículo decía que habían ardido 1.500 hectáreas, en lugar de 1.050.")]),
    case("h37", FLOOD, "update_note", ["correction"], 3, "an existing update note changed (new time)",
         [("sub", 8, "Monday at 14:00", "Monday at 18:30")],
         both_ops=[("append", "This article was updated on Monday at 14:00.")]),
    case("h38", JOBS, "event_update", ["number"], 3, "a figure changed under an existing update note: not stealth",
         [("sub", 7, "about 15,000 people", "about 14,500 people")],
         both_ops=[("append", "Update: This story has been updated with comment from union leaders.")]),
    case("h39", COUNCIL, "correction", ["attribution", "correction"], 4, "Clarification prepended, attribution fixed",
         [("sub", 4, "officials said", "a spokesman for the transport authority said"),
          ("insert", 0, "Clarification: An earlier version of this article did not make clear who gave the timetable for construction.")]),
    case("h40", SPANISH, "update_note", ["addition", "correction"], 3, "Spanish update note with a new paragraph",
         [("insert", 5, "Dos bomberos han resultado heridos leves durante la noche."),
          ("append", "Actualización: Este artículo ha sido actualizado con nueva información sobre los heridos.")]),
    case("h41", FRENCH, "update_note", ["addition", "correction"], 3, "French update note (Mise à jour) with a new paragraph",
         [("insert", 5, "La CFDT a annoncé qu'elle ne se joindrait pas au mouvement."),
          ("append", "Mise à jour : cet article a été mis à jour avec la position de la CFDT.")]),
    case("h42", GERMAN, "update_note", ["addition", "correction"], 3, "German update note with a new paragraph",
         [("insert", 4, "Am Abend wurde zudem ein Krisenstab im Landratsamt eingerichtet."),
          ("append", "Dieser Artikel wurde am Sonntagabend aktualisiert.")]),

    # --- headline, byline, lede
    case("h43", COUNCIL, "headline_rewrite", ["headline", "stealth"], 4, "headline rewritten",
         [("set_title", "Airport tram line wins narrow council vote despite fierce opposition")]),
    case("h44", JOBS, "headline_tweak", ["headline", "stealth"], 3, "small headline tweak: as sales slump → amid falling sales",
         [("title", "as sales slump", "amid falling sales")]),
    case("h45", FLOOD, "byline", ["byline", "stealth"], 2, "second author added",
         [("byline", "By Marco Rossi and Sofia Marchetti")]),
    case("h46", JOBS, "byline", ["byline", "stealth"], 2, "byline replaced by a wire credit",
         [("byline", "Reuters")]),
    case("h47", FLOOD, "lede_rewritten", ["lede", "addition", "stealth"], 4, "new first sentence at the top of the lede",
         [("sub", 0, "More than 3,000 people", "Rescue teams worked through the night in northern Italy. More than 3,000 people")]),

    # --- structure
    case("h48", FLOOD, "paragraph_moved", ["move", "stealth"], 2, "two paragraphs swapped",
         [("move", 5, 6)]),
    case("h49", JOBS, "paragraph_moved", ["move", "stealth"], 2, "paragraph moved up four places",
         [("move", 6, 2)]),
    case("h50", COUNCIL, "paragraph_deleted", ["deletion", "stealth"], 3, "short paragraph without a quote cut",
         [("delete", 5)]),
    case("h51", FLOOD, "paragraph_moved+style_guide", ["move", "style", "stealth"], 2, "paragraph moved and a typo fixed elsewhere",
         [("move", 7, 4)], old_ops=[("sub", 6, "flood-defence", "flood-defnece")]),
    case("h52", FLOOD, "tonal", ["stealth"], 2, "tone softened: slammed → criticised",
         [("sub", 6, "slammed", "criticised")]),
    case("h53", GERMAN, "paragraph_deleted", ["deletion", "stealth"], 3, "German: paragraph cut",
         [("delete", 5)]),

    # --- live pages and rewrites
    # --- a second batch, with words and phrasings generate.py does not use
    case("h60", COURT, "event_update", ["lede", "number", "stealth"], 4, "day of the verdict in the lede: Friday → Thursday",
         [("sub", 0, "on Friday", "on Thursday")]),
    case("h61", COURT, "event_update", ["number", "stealth"], 3, "count in words: seven of the nine → six of the nine",
         [("sub", 1, "seven of the nine", "six of the nine")]),
    case("h62", COURT, "quote_updated", ["quote", "stealth"], 3, "verb inside the prosecutor's quote changed",
         [("sub", 2, "has seen through", "has looked past")]),
    case("h63", COURT, "tonal", ["stealth"], 2, "loaded adverb and adjective removed: notoriously lax rules → rules",
         [("sub", 7, "its notoriously lax rules", "its rules")]),
    case("h64", COURT, "attribution", ["attribution", "stealth"], 3, "named prosecutor made anonymous",
         [("sub", 2, "prosecutor Denise Alvarado told", "a prosecutor told")]),
    case("h65", COURT, "attribution", ["attribution", "stealth"], 3, "claim credited to the defendant instead of his lawyer",
         [("sub", 3, "Pike's lawyer, Martin Greer, said his client would appeal.", "Pike said he would appeal.")]),
    case("h66", COURT, "name_swap", ["name", "stealth"], 3, "the interim mayor's surname replaced (a different person)",
         [("sub", 6, "Ruth Okonjo", "Ruth Adebayo")]),
    case("h67", COURT, "style_guide", ["style"], 1, "a misspelt surname corrected (Okonja → Okonjo): style",
         [], old_ops=[("sub", 6, "Ruth Okonjo", "Ruth Okonja")]),
    case("h68", COURT, "correction", ["number", "correction"], 4, "date fixed with an \"A previous version\" note",
         [("sub", 4, "Jan. 14", "Jan. 21"),
          ("append", "A previous version of this article gave the wrong date for sentencing. It is Jan. 21.")]),
    case("h69", COURT, "update_note", ["addition", "correction"], 3, "\"Editor's Note\" update with a new paragraph",
         [("insert", 4, "Judge Alan Whitfield allowed Pike to remain free on bail until sentencing."),
          ("append", "Editor's Note: This story has been updated with the judge's decision on bail.")]),
    case("h70", GERMAN, "correction", ["number", "correction"], 4, "German: \"Berichtigung\" note and the water level fixed",
         [("sub", 1, "8,90 Metern", "9,80 Metern"),
          ("append", "Berichtigung: In einer früheren Fassung dieses Artikels wurde der Pegelstand mit 8,90 Metern angegeben. Richtig sind 9,80 Meter.")]),
    case("h71", FRENCH, "correction", ["number", "correction"], 4, "French: \"Erratum\" note and a number in words fixed",
         [("sub", 1, "deux TER sur cinq", "trois TER sur cinq"),
          ("append", "Erratum : dans une version précédente de cet article, nous indiquions que deux TER sur cinq circuleraient.")]),
    case("h72", SPANISH, "correction", ["name", "correction"], 4, "Spanish: \"Corrección\" note and the town fixed",
         [("sub", 4, "de Segorbe", "de Jérica"),
          ("append", "Corrección: En una versión anterior de este artículo se indicaba que los vecinos habían sido alojados en Segorbe.")]),
    case("h73", COURT, "event_update", ["number", "stealth"], 3, "a date moved: Jan. 14 → Feb. 2",
         [("sub", 4, "Jan. 14", "Feb. 2")]),
    case("h74", COURT, "event_update", ["number", "stealth"], 3, "digits transposed: 85,000 → 58,000",
         [("sub", 7, "85,000", "58,000")]),
    case("h75", COURT, "paragraph_deleted", ["deletion", "stealth"], 4, "two background paragraphs cut",
         [("delete", 5), ("delete", 5)]),
    case("h76", COURT, "paragraph_moved", ["move", "stealth"], 2, "a block of two paragraphs moved up three places",
         [("move", 5, 2), ("move", 6, 3)]),
    case("h77", COURT, "style_guide", ["style"], 1, "date style only: Jan. 14 → January 14",
         [("sub", 4, "Jan. 14", "January 14")]),
    case("h78", COURT, "style_guide", ["style"], 1, "number style only: 10 years → ten years",
         [("sub", 4, "10 years", "ten years")]),
    case("h79", COURT, "headline_tweak", ["headline", "stealth"], 3, "headline verb: found guilty of → convicted of",
         [("title", "found guilty of", "convicted of")]),
    case("h80", COURT, "byline", ["byline", "stealth"], 2, "second reporter added, title dropped",
         [("byline", "By Rahul Mehta and Emily Novak")]),
    case("h81", COURT, "style_guide", ["style"], 1, "byline job title lower-cased",
         [("byline", "By Rahul Mehta, court correspondent")]),
    case("h82", COURT, "lede_rewritten", ["lede", "stealth"], 4, "lede reworded, every fact kept",
         [("set", 0, "A former mayor of Riverton was convicted on Friday of steering $4.7 million in housing contracts to companies owned by his relatives, a jury at Hamilton County Court decided after a three-week trial.")]),
    case("h83", COURT, "paragraph_moved", ["lede", "move", "stealth"], 4, "second paragraph moved to the top (the lede changes)",
         [("move", 1, 0)]),
    case("h84", COURT, "quote_added", ["addition", "quote", "stealth"], 3, "a quoted sentence added to an existing paragraph",
         [("sub", 6, "as interim mayor.", "as interim mayor. \"It has been a difficult time for the city,\" Okonjo said on Friday.")]),
    case("h85", COURT, "paragraph_deleted", ["deletion", "stealth"], 3, "one sentence cut from a paragraph",
         [("sub", 4, " Each count carries a maximum penalty of 10 years in prison.", "")]),
    case("h86", COURT, "style_guide", ["style"], 1, "apostrophes typeset (Pike's → Pike’s)",
         [("sub", 3, "Pike's lawyer", "Pike’s lawyer"), ("sub", 5, "mayor's brother-in-law", "mayor’s brother-in-law")]),
    case("h87", LIVE, "live_update+style_guide", ["style", "live"], 2, "a new post, and a typo fixed in an older one",
         [("insert", 0, "23:10 — Counting is under way in all districts.")],
         live=True, old_ops=[("sub", 2, "polling stations", "poling stations")]),

    # --- notes as newsrooms really write them
    case("h88", JOBS, "update_note", ["addition", "correction"], 3, "timestamped \"UPDATE (3:45 p.m. ET):\" prepended with a new paragraph",
         [("insert", 6, "Acme's shares recovered some of their losses later in the session."),
          ("insert", 0, "UPDATE (3:45 p.m. ET): Adds share price recovery in paragraph 7.")]),
    case("h89", COURT, "update_note", ["addition", "correction"], 3, "bracketed \"[This story has been updated.]\" note",
         [("insert", 7, "Alvarado said her office would seek a prison sentence."),
          ("append", "[This story has been updated.]")]),
    case("h90", COURT, "correction", ["number", "correction"], 4, "dated NYT-style \"Correction: Nov. 20, 2019\" note",
         [("sub", 1, "Gordon Pike, 61,", "Gordon Pike, 63,"),
          ("append", "Correction: Nov. 20, 2019 An earlier version of this article misstated Gordon Pike's age. He is 63, not 61.")]),
    case("h91", FLOOD, "correction", ["name", "correction"], 4, "\"Editor’s note\" with a curly apostrophe, place fixed",
         [("sub", 1, "near the town of Boretto", "near the town of Brescello"),
          ("append", "Editor’s note: This article has been amended to correct the name of the town where two people are missing.")]),
    case("h92", GERMAN, "update_note", ["addition", "correction"], 3, "German: \"Update, 18.30 Uhr:\" note and a new paragraph",
         [("insert", 5, "Am Abend erreichte die Donau in Passau einen Pegel von 9,20 Metern."),
          ("insert", 0, "Update, 18.30 Uhr: Der Artikel wurde um den aktuellen Pegelstand ergänzt.")]),
    case("h93", COURT, "correction", ["correction"], 3, "a correction note alone, about an earlier fix",
         [("append", "Clarification: This article has been updated to make clear that Pike was acquitted of two counts.")]),

    case("h54", LIVE, "live_update", ["live"], 2, "two new posts at the top of a live page",
         [("insert", 0, "23:05 — The first exit poll puts the governing party on 34%."),
          ("insert", 0, "23:20 — The opposition leader has arrived at her party's headquarters.")], live=True),
    case("h55", LIVE, "live_update", ["live"], 2, "one new post",
         [("insert", 0, "22:55 — Counting has begun in the first three districts.")], live=True),
    case("h56", JOBS, "rewrite", ["headline", "lede", "quote", "addition", "deletion", "rewrite", "stealth"], 5, "story rewritten after the results call",
         [("set_title", "Acme shares slide after chief executive defends job cuts"),
          ("replace_all", [
              "Shares in Acme Corp fell sharply on Wednesday after chief executive Laura Chen told investors the company would not rule out further job cuts next year.",
              "On a call with analysts, Chen said the company had \"no choice\" but to reduce costs as demand for its products weakened in Europe and Asia.",
              "The company said on Tuesday it would cut 1,200 jobs.",
              "Several large investors have called for a review of the company's strategy, according to people familiar with the matter.",
              "The shares closed down 11% at their lowest level since 2016.",
              "A shareholder meeting is scheduled for March.",
              "Acme employs about 15,000 people worldwide.",
          ])]),
]


def main():
    out = os.path.join(HERE, "handwritten.jsonl")
    ids = set()
    with open(out, "w", encoding="utf-8") as f:
        for c in CASES:
            assert c["id"] not in ids, c["id"]
            ids.add(c["id"])
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{len(CASES)} pairs → {out}")


if __name__ == "__main__":
    main()
