"""German: the words of each concept the intent rules read (see ``en`` for the format).

Umlauts and ß are written as a German writes them; the guard folds them the way it folds
the message ("ändern" reads "andern"), so both spellings meet. Compounds are common
("Produktbewertung", "Bewertungsänderung"): a leading "*" matches the stem inside a word.
"""

CONCEPTS: dict[str, str] = {
    "REVIEW": (
        "bewertung*; *bewertung; *bewertungen; rezension*; *rezension; *rezensionen; sterne; stern; "
        "sternebewertung*; feedback*; kundenfeedback; kundenmeinung*; 1 stern; ein stern; einen stern; "
        "2 sterne; zwei sterne; 3 sterne; drei sterne; 4 sterne; vier sterne; 5 sterne; fünf sterne; "
        "review*; produktbewertung*; verkäuferbewertung*; erfahrungsbericht*"
        "; *feedback; sternen"
        "; sternezahl; sternanzahl; anzahl der sterne; sternebewertung; sterne bewertung"
    ),
    "WEAK_OBJ": (
        "kommentar; kommentare; kommentars; beitrag; beitrags; eintrag; text; was sie geschrieben; "
        "ihre worte; ihre äußerung*; ihren beitrag; ihr beitrag"
        "; foto; fotos; bild; video; ein paar worte; ein paar zeilen"
        "; ihren text; deinen text; dein text; deinen kommentar; was du geschrieben"
        "; was du gepostet; was sie gepostet"
        "; netten worte; nette worte; freundlichen worte; lobenden worte; ihre aussagen"
        "; ihre aussage; was sie gesagt"
    ),
    "PLACE": (
        "produktseite; artikelseite; angebotsseite; auf amazon; bei amazon; öffentlich*; listing"
        "; unter dem artikel; unter dem produkt; unter dem angebot; unterm artikel; beim artikel"
        "; verkäuferseite; verkäuferprofil; händlerseite"
    ),
    "WROTE": (
        "sie geschrieben; sie hinterlassen; sie verfasst; sie abgegeben; sie veröffentlicht; sie gepostet"
        "; geschrieben; verfasst; gepostet; veröffentlicht"
        "; du geschrieben; du gepostet; du hinterlassen"
    ),
    "CHANGE": (
        "ändern; änderung; änderungen; ändert; geändert; abändern; abzuändern; umändern; anpassen; "
        "anzupassen; "
        "angepasst; aktualisier*; entfernen; entfernt; entfernung; zu entfernen; löschen; lösch*; gelöscht; "
        "zurückziehen; zurückzuziehen; zurückgezogen; zurücknehmen; zurückzunehmen; zurückgenommen; "
        "überarbeiten; überarbeitung; überarbeitet; korrigieren; korrigiert; revidieren; revidiert; "
        "überdenken; zu überdenken; nochmal überdenken; noch einmal überdenken; bearbeiten; nachbessern; "
        "anheben; erhöhen; hochsetzen; verbessern; neu bewerten; erneut bewerten; aufwerten; "
        "nochmals anschauen; noch einmal ansehen"
        "; passen; ziehen"
        "; passe; ändere; änder*"
        "; noch einmal einen blick; noch mal einen blick; nochmal einen blick; nochmals einen blick"
        "; erneut einen blick; zweiten blick; neuen blick; noch einmal lesen"
        "; noch einmal durchlesen; nochmal durchlesen"
        "; nicht mehr; neuen stand; verschwunden; weg ist; nicht länger"
        "; ihre erfahrung widerspiegel*; ihren erfahrungen entsprechen; ihrer erfahrung entsprechen"
        "; abschwächen; abzuschwächen; abmildern; entschärfen"
        "; auf dem neuesten stand; auf den neuesten stand; ergänzen; zu ergänzen; neu zu fassen; neu fassen"
    ),
    "ACT": (
        "hinterlassen; schreiben; verfassen; abgeben; geben; vergeben; bewerten; posten; teilen; "
        "veröffentlichen; schenken"
        "; dalassen; lassen sie; erzählen; vergeben; bedacht"
    ),
    "VISIBLE": "sehen; sichtbar; online; erscheint; veröffentlicht; freigeschaltet; zu sehen",
    "REQUEST": (
        "bitte; bitten; bitten sie; könnten sie; könnten; würden sie; würden; wären wir; wäre es; dankbar; "
        "freuen uns; würden uns freuen; wir würden uns; es wäre schön; möchten sie; möchten wir sie; "
        "ersuchen; wir hoffen; hoffen; darum bitten; wäre toll; wäre super; "
        "würde uns helfen; würde uns sehr helfen; würde viel bedeuten; sehr verbunden; in erwägung"
        "; freuen wir uns; zögern sie nicht; darf ich sie bitten"
        "; es wäre fair; es wäre nett; wäre nett"
        "; bereit; hätten sie die güte; würde uns freuen"
        "; mögen sie; möchten sie vielleicht"
        "; wären sie so nett; wärst du so nett; so nett; so freundlich; wären sie bereit"
        "; nur fair; wäre fair; fair wenn"
        "; besteht die möglichkeit; gibt es die möglichkeit; wäre es möglich"
    ),
    "BUYER": ("sie; du; ihnen; dich; dein; deine; deinen; deinem; dir"),
    "SELLER": "wir; unser team; ich habe; ich werde",
    "THIRD": "amazon hat; amazon wird; amazon kann",
    "VALUE": (
        "rückerstattung*; erstattung*; erstatten; erstattet; rückzahlung; gutschein*; *gutschein; rabatt*; "
        "preisnachlass; nachlass; kostenlos*; gratis; geschenk*; gutschrift*; geld zurück; geld; "
        "entschädigung*; entschädigen; ersatz*; ersatzgerät; ersatzprodukt; prämie; bonus; belohn*; "
        "teilerstattung; amazon gutschein; zahlung; restbetrag; restzahlung; kulanz*; austauschgerät; "
        "neugerät; verlängerte garantie; garantieverlängerung"
        "; die differenz; den betrag"
        "; euro; eur; franken"
        "; schenken wir; verlängern wir; bevorzugt; vorrangig; priorität"
        "; überweisen; überweisung; überweisen wir"
        "; verlosung; gewinnspiel; verlosen"
    ),
    "COND": (
        "wenn; sobald; nachdem; falls; sofern; vorausgesetzt; erst wenn; erst nachdem; sowie"
        "; unter der bedingung"
        "; sollte; sollten"
        # A reward for whoever does something is one on condition ("Wer … erzählt, bekommt …").
        "; wer; alle die; kunden die"
    ),
    "EXCHANGE": (
        "im gegenzug; als dankeschön; als dank; zum dank; als gegenleistung; dafür; als kleines dankeschön; "
        "zum ausgleich"
        "; im austausch; austausch gegen"
        "; im voraus; vorab als dank; dankeschön im voraus"
        "; nehmen teil; nimmt teil; teilnehmen"
    ),
    "FOR": "für; für jede; für jeden",
    "THANKS": "danke; vielen dank; danken; bedanken; dankeschön; wir haben gesehen; wir haben gelesen",
    "POSITIVE": (
        "positiv*; 5 sterne; fünf sterne; 5-sterne; 4 sterne; vier sterne; gute bewertung; "
        "bessere bewertung; "
        "höhere bewertung; top bewertung; beste bewertung; volle punktzahl; volle sterne; "
        "hervorragende bewertung"
        "; fünf sternen; 5 sternen"
        "; freundliche bewertung; freundlichen bewertung; nette bewertung; nettes feedback"
    ),
    "NEGATIVE": (
        "negativ*; schlechte*; schlechten; 1 stern; ein stern; einen stern; 2 sterne; kritisch*; niedrige*; "
        "unvorteilhaft*"
    ),
    "SATISFIED": (
        "zufrieden; glücklich; begeistert; gefällt; gefallen; freude; positive erfahrung; gute erfahrung"
        "; zufriedene*; zufriedenen"
        "; reibungslos; problemlos; gut gelaufen"
    ),
    "UNSATISFIED": (
        "unzufrieden; nicht zufrieden; enttäuscht; problem*; probleme; schwierigkeiten; beschwerde*; "
        "nicht gefallen; mängel; mangel; etwas nicht stimmt; negative erfahrung"
        "; haken; hakt"
    ),
    "ONLY": "nur; ausschließlich; lediglich",
    "CONTACT": (
        "kontaktier*; kontakt; kontaktaufnahme; melden sie sich; schreiben sie uns; wenden sie sich; "
        "nachricht; benachrichtigen; sagen sie uns; geben sie uns bescheid; bescheid; an uns wenden; "
        "uns schreiben; uns kontaktieren; sich bei uns"
        "; kommen sie zu uns"
        "; geben sie uns die chance; geben sie uns eine chance; gib uns die chance; die gelegenheit"
        "; die chance; eine chance"
    ),
    "BEFORE": "bevor; zuerst; erst; zunächst; anstatt; statt; vorher; vor dem; vor der; vor abgabe",
    "NEGATION": "nicht; keine; kein; keinen; nie; niemals; verzichten; absehen; unterlassen",
    "DISCLAIM": (
        "unabhängig; unabhängig davon; egal ob; ganz gleich; keine bedingung; nicht an; keine verpflichtung; "
        "nicht abhängig; hängt nicht; hat nichts mit; nichts zu tun; in jedem fall; so oder so; "
        "dürfen wir nicht; können wir nicht bitten; bitten wir nicht; ihre entscheidung; "
        "ganz ihnen überlassen; "
        "liegt bei ihnen; ihnen überlassen"
        "; nicht bitten; nicht darum bitten; bitten sie nicht; nicht nötig"
    ),
    "METRICS": (
        "kontozustand; kontostatus; verkäuferkonto; konto; kennzahlen; metriken; verkäuferleistung; ranking; "
        "sichtbarkeit; algorithmus; buy box; kleines unternehmen; kleinunternehmen; familienunternehmen; "
        "unser geschäft; existenz; sperrung; gesperrt; schadet uns; schaden uns; beeinträchtigt; "
        "wirkt sich aus; auswirkungen"
    ),
    "HONEST": "ehrlich*; aufrichtig*; unvoreingenommen",
    "SHARE": (
        "ihre meinung; ihre erfahrung; ihre erfahrungen; ihren eindruck; ihre eindrücke; was sie denken; "
        "andere kunden; anderen kunden; andere käufer; anderen käufern; wie gefällt; wie zufrieden; "
        "wie würden sie; teilen sie"
        "; ihren erfahrungen; ihrer erfahrung; von ihren erfahrungen"
        "; davon hören"
    ),
    "PRONOUN": ("sie; es; diese; diesen; dies; das; ihre; ihren; dieser; dieses; er"),
    "MESSENGER": (
        "whatsapp; telegram; wechat; viber; skype; signal app; discord; snapchat; messenger; "
        "facebook messenger; "
        "direktnachricht; per dm; instagram"
    ),
    "SEARCH": (
        "googeln sie; googlen sie; suchen sie uns; suchen sie nach uns; finden sie uns; bei google; "
        "über google; im internet suchen"
        "; suchmaschine; markennamen; nach unserem namen; nach unserer marke; im internet nach"
        "; googeln; googlen"
    ),
    "WEBSITE": (
        "unsere webseite; unsere website; unserer webseite; unserer website; unsere homepage; "
        "unserer homepage; "
        "unsere internetseite; unserer internetseite; unseren onlineshop; unserem onlineshop; "
        "unser onlineshop; "
        "unseren webshop; unserem webshop; unser webshop; unsere seite; offizielle website; "
        "offiziellen website; "
        "eigenen shop; unseren eigenen; markenwebseite; markenwebsite"
        "; youtube kanal; unser kanal"
        "; unserem shop; unseren shop; unser shop"
    ),
    "OUTSIDE": (
        "außerhalb von amazon; außerhalb amazons; außerhalb amazon; direkt per e mail; direkt per mail; "
        "private e mail; persönliche e mail; private mail; direkt bei uns; an amazon vorbei; "
        "rufen sie uns direkt"
        "; unsere e mail adresse"
        "; schneller als über amazon; schneller als amazon; als über die amazon"
    ),
    "MARKETING": (
        "newsletter; folgen sie uns; abonnieren; gutscheincode; rabattcode; aktionscode; "
        "unsere anderen produkte; "
        "unsere weiteren produkte; weitere produkte; neuheiten; sonderangebot*; "
        "ausverkauf; jetzt kaufen; jetzt bestellen; "
        "unser sortiment; unsere kollektion"
        "; treueprogramm; spar abo; sparabo; kennen sie schon"
        "; antworten sie mit ja; antworten sie einfach mit ja"
    ),
    "ANNOUNCE": (
        "jetzt erhältlich; neu erhältlich; demnächst; bald erhältlich; neues modell; "
        "neue version; "
        "wir stellen auch; wir bieten auch; wir verkaufen auch; unser blog; rezept*; frohe weihnachten; "
        "frohes fest; schöne feiertage; guten rutsch; wussten sie"
        "; sofort erhältlich; unser neuer; unsere neue"
        "; entdecken sie auch; empfehlen wir ihnen auch; ideal dazu; perfekt dazu"
        # Another product offered as news: back in stock, "complete the set".
        "; wieder verfügbar; wieder erhältlich; wieder auf lager; wieder vorrätig"
        "; set vervollständigen; set zu vervollständigen"
        "; wir haben auch; führen wir auch; in unserem shop; in unserem amazon shop; unserem markenshop"
        # Another product of the range, without sale words: just out, coming, the catalogue,
        # "also fits our …", what other customers go for.
        "; gerade erschienen; neu erschienen; neue farbe; bringen wir heraus; bringen bald"
        "; kommt bald heraus; erscheint bald; unser katalog; unseren katalog"
        "; unser ganzes sortiment; unser gesamtes sortiment; unsere ganze produktreihe"
        "; unsere anderen produkte; unsere anderen modelle; passt auch zu unserem"
        "; passt auch auf unser; passt auch an unser; viele kunden greifen"
        "; viele kunden entscheiden sich; greifen viele zu unserem; kombinieren viele"
        "; unsere warteliste"
        # Another product announced for next month.
        "; erscheint nächsten monat; erscheint im nächsten monat; kommt nächsten monat heraus"
    ),
    "NEXT_ORDER": (
        "nächste bestellung; nächsten bestellung; nächsten einkauf; nächster einkauf; "
        "künftige bestellung*; folgebestellung"
    ),
    "REMIND": "vergessen; vergessen sie nicht; denken sie daran; erinnern",
    "ORDER": "ihre bestellung; ihr paket; lieferung; geliefert; sendung; sendungsverfolgung; ihr artikel",
    "AND": ("und; dann; danach; anschließend"),
    "CUSTOMERS": ("kunden; kundinnen; käufer; käuferinnen"),
    "RELATIVE": ("die; welche"),
    "DELIVER": ("schicken; senden; versenden; verschicken; freigeben; auslösen; veranlassen; veranlassen; fortfahren"),
    "WISH": ("wäre; würde; würden; würde viel bedeuten; würde uns helfen; würde sehr helfen; zählt viel"),
    "NEW_RANGE": ("unsere neue; unser neues; unseren neuen; unser neuer; neue kollektion; bald erhältlich"),
    "PROMO": (
        "rabatt*; prozent; günstiger; treueprogramm; spar abo; sparabo; stammkunden; reduziert"
        "; sonderpreis; im angebot"
        "; sparen sie; sparen; ersparnis"
    ),
    "PHONE": (
        "unsere hotline; hotline nummer; hotline; unsere telefonnummer; rufen sie uns; rufen sie einfach; telefonisch"
    ),
    # What a sentence around a link is about (``content.link_standing``): documentation,
    # the parcel or the after-sale, or selling.
    "GUIDE": (
        "anleitung*; bedienungsanleitung*; gebrauchsanleitung*; handbuch; kurzanleitung*; schnellstart*"
        "; einrichtung*; installation*; montage*; aufbauanleitung*; fehlerbehebung; pflegeanleitung*"
        "; pflegehinweis*; hilfeseite; support seite; supportseite; faq; schritt für schritt; datenblatt"
        "; schaltplan"
    ),
    "TRACK": (
        "sendungsverfolgung; sendungsnummer; paketverfolgung; verfolgen sie; zusteller; spediteur"
        "; paketdienst; rücksendung*; rücksendeetikett; retoure*; garantie*; gewährleistung*; rechnung"
        "; rückruf"
    ),
    "SHOP": (
        "kaufen; kaufe; erhältlich; bestellen sie; bestellbar; shop; onlineshop; warenkorb; preis; preise; günstiger"
    ),
    # A review word's other sense: the seller's own people or checks ("feedback from our
    # engineers", "a second opinion"), or a mark on the product ("stars engraved on…").
    "OWN": (
        "unsere techniker; unserer techniker; unser techniker; unsere entwickler"
        "; unserer entwickler; unsere ingenieure; unserer ingenieure; unser technikteam"
        "; unseres technikteams; unsere experten; unserer experten; unsere werkstatt"
        "; qualitätskontrolle; qualitätsprüfung; qualitätsprüfungen; interne; internen; interner"
        "; hausintern; zweite meinung; zweiten meinung; werk; graviert; gravierten; aufgedruckt"
        # The product's own signal or a key marked with a star ("audible feedback", "the star button").
        "; akustisches; akustische; akustischer; haptisches; haptische; piepton; signalton"
        "; taste; knopf; symbol; markiert; gekennzeichnet"
        "; display; bildschirm; anzeige; bedienfeld; im test; unabhängigen tests"
        # Stars a lamp projects ("the stars the night light projects").
        "; projiziert; projizierten; projektor; projektion; sternenhimmel; nachtlicht"
    ),
    # "Again": with a request about what the buyer posted, it asks for a second look.
    "AGAIN": ("noch einmal; nochmal; nochmals; erneut; wieder; ein zweites mal"),
    # The product's own features ("shows WhatsApp notifications"): a messenger named there is no channel.
    "FEATURE": "benachrichtigung*; mitteilung*; anrufanzeige; kompatibel mit; funktioniert mit; integration",
    # A manufacturer or carrier: Amazon allows their phone numbers.
    "MAKER": "hersteller*; paketdienst*; zusteller*; spedition",
}
