"""Italian: the words of each concept the intent rules read (see ``en`` for the format).

Object pronouns attach to the verb ("modificarla", "rimuoverla"): the verbs are stems."""

CONCEPTS: dict[str, str] = {
    "REVIEW": (
        "recensione; recensioni; valutazione*; stella; stelle; stellina; stelline; feedback*; giudizio; "
        "giudizi; voto; review*; 1 stella; una stella; 2 stelle; due stelle; 3 stelle; "
        "tre stelle; "
        "4 stelle; quattro stelle; 5 stelle; cinque stelle; opinione pubblicata; testimonianz*"
        "; opinione sincera; opinione onesta; parere sincero"
        "; numero di stelle"
    ),
    "WEAK_OBJ": (
        "commento; commenti; post; pubblicazione; quello che ha scritto; ciò che ha scritto; "
        "quanto ha scritto; "
        "le sue parole; il suo testo"
        "; foto; video; qualche parola; due righe"
        "; punteggio"
        "; quello che hai scritto; ciò che hai scritto; quanto hai scritto"
        "; quello che ha pubblicato; quello che hai pubblicato; il tuo testo; il tuo commento"
        "; belle parole; parole gentili; quello che ha detto; ciò che ha detto"
    ),
    "PLACE": (
        "pagina del prodotto; pagina prodotto; scheda prodotto; su amazon; pubblicamente; pubblico; pubblica"
        "; inserzione; pagina dell articolo"
        "; sotto l inserzione; sotto il prodotto; sotto l annuncio"
        "; pagina venditore; pagina del venditore; profilo venditore"
    ),
    "WROTE": (
        "ha scritto; ha lasciato; ha pubblicato; ha dato; ha messo; ha assegnato; scritto; pubblicato"
        "; hai lasciato; hai scritto; hai dato; hai messo"
    ),
    "CHANGE": (
        "modific*; aggiorn*; rimuov*; rimoss*; rimozione; elimin*; cancell*; cambi*; ritir*; rivedere; "
        "riveda; "
        "rivederla; rivalut*; riconsider*; correggere; corregga; toglie*; togli*; sistemare la; alzare; "
        "alzi; "
        "aumentare; migliorare la; migliorare il; ripensare; ripensarci; annullare"
        "; alzarl*; alz*"
        "; ritocc*"
        "; sistem*; rived*; ammorbid*; attenu*"
        "; ridare un occhiata; un altra occhiata; nuova occhiata; riguardare; rileggere; riguardi"
        "; non parla più; non parlerà più; non menziona più; non citerà più; non c è più; sparito"
        "; sparisce; scompare; scomparso"
        "; rispecchiassero la; rispecchino la; rispecchi la; riflettano la; corrispondano alla"
        "; aggiungere che; aggiunga che; il seguito della storia"
        "; aggiungere alla; aggiunga alla; aggiungere al; aggiunga al; integrare; integri"
    ),
    "ACT": (
        "lasciare; lasci; lasciarci; lasciateci; scrivere; scriva; dare; dia; darci; ci dia; assegnare; "
        "valutare; valuti; votare; pubblicare; pubblichi; condividere; condivida"
        "; recensire; recensirci; recensisca; recensirlo"
        "; lasci*; scriv*; racconti; pubblica"
    ),
    "VISIBLE": "vedere; vediamo; vedremo; visibile; pubblicata; pubblicato; online; appare; compare",
    "REQUEST": (
        "per favore; per cortesia; cortesemente; gentilmente; potrebbe; potrebbero; potresti; "
        "le saremmo grati; "
        "saremmo grati; grati; grato; ci farebbe piacere; farebbe piacere; le chiediamo; la preghiamo; "
        "la invitiamo; vi invitiamo; non esiti; speriamo; le dispiacerebbe; sarebbe possibile; "
        "ci aiuterebbe; "
        "significherebbe molto; vorremmo; considerare; prendere in considerazione"
        "; sarebbe giusto; sarebbe bello; sarebbe fantastico"
        "; disposto; disposta; avrebbe la gentilezza; la gentilezza; renderebbe; aiuterebb*"
        "; le andrebbe; andrebbe di; le spiacerebbe"
        "; farebbe; le chiederei; chiederei; se possibile; gradita; gradito"
        "; sarebbe così gentile; saresti così gentile"
        "; giusto che"
        "; sarebbe la possibilità; ci sarebbe modo; c è la possibilità"
    ),
    "BUYER": ("lei; voi; tu; può; potrà"),
    "SELLER": "noi; il nostro team; abbiamo; stiamo",
    "THIRD": "amazon ha; amazon può",
    "VALUE": (
        "rimbors*; sconto; sconti; scontato; buono; buoni; buono regalo; buono sconto; carta regalo; "
        "omaggio; omaggi; gratuit*; gratis; regalo; regali; compens*; risarciment*; premio; ricompens*; "
        "denaro; soldi; pagamento; sostituzione; prodotto sostitutivo; saldo rimanente; resto del; "
        "codice sconto; garanzia estesa; estensione della garanzia"
        "; la differenza; l importo"
        "; euro; eur"
        "; regal*; estendiamo; estenderemo; anticipiamo; priorità; corriere espresso; senza costi"
        "; bonifico"
        "; estrazione; concorso a premi"
    ),
    "COND": (
        "se; non appena; una volta che; una volta; dopo; dopo che; quando; a condizione che; purché"
        "; appena; finché"
        "; per chi; a chi"
        # A reward for whoever does something is one on condition ("Wer … erzählt, bekommt …").
        "; i clienti che; coloro che; chiunque"
    ),
    "EXCHANGE": (
        "in cambio; come ringraziamento; in segno di; per ringraziarla; a titolo di ringraziamento; "
        "come compenso; in contropartita"
        "; in anticipo; anticipato; anticipatamente"
        "; partecipa all; partecipano all; partecipare all"
    ),
    "FOR": "per; per ogni; per ciascuna",
    "THANKS": "grazie; ringraziamo; ringraziarla; abbiamo letto; abbiamo visto",
    "POSITIVE": (
        "positiva; positivo; positive; positivi; 5 stelle; cinque stelle; 4 stelle; quattro stelle; "
        "buona recensione; bella recensione; ottima recensione; buona valutazione; valutazione migliore; "
        "valutazione più alta; voto più alto; punteggio massimo; massimo dei voti; favorevole"
        "; recensione gentile; bella valutazione"
    ),
    "NEGATIVE": (
        "negativa; negativo; negative; negativi; cattiva recensione; brutta recensione; 1 stella; "
        "una stella; "
        "2 stelle; valutazione bassa; voto basso; sfavorevole; critica"
    ),
    "SATISFIED": (
        "soddisfatt*; content*; felice; felici; le piace; le è piaciuto; entusiasta"
        "; buona esperienza"
        "; senza intoppi; andato tutto bene; andata bene; è andato bene"
    ),
    "UNSATISFIED": (
        "insoddisfatt*; non è soddisfatto; non è soddisfatta; non soddisfatto; delus*; problem*; "
        "inconvenient*; difficoltà; reclam*; qualcosa non va; cattiva esperienza; scontent*"
    ),
    "ONLY": "solo; soltanto; solamente; unicamente",
    "CONTACT": (
        "contatt*; ci scriva; scriverci; ci scrivete; scriveteci; ci invii; messaggio; ci avvisi; avvisarci; "
        "ci faccia sapere; ci informi; ci dica"
        "; scriva a noi; a noi; venga da noi; da noi"
        "; ci dia la possibilità; ci dia modo; ci dia l opportunità; la possibilità di"
    ),
    "BEFORE": ("prima; prima di; anzitutto; innanzitutto; invece di; anziché; piuttosto che; e non su; non su amazon"),
    "NEGATION": "non; mai; nessun; nessuna; eviti; evitare; astenersi; si astenga",
    "DISCLAIM": (
        "indipendentemente; a prescindere; senza condizioni; senza alcun obbligo; nessun obbligo; "
        "non dipende; non è legato; non è legata; non ha nulla a che fare; in ogni caso; qualunque cosa; "
        "non possiamo chiederle; non le chiediamo; sua scelta; decide lei; libero di; libera di"
        "; non le chiediamo; non possiamo chiederle; non le chiederemo; non deve; non è necessario"
    ),
    "METRICS": (
        "salute dell account; stato dell account; nostro account; account venditore; metriche; indicatori; "
        "prestazioni del venditore; classifica; posizionamento; visibilità; algoritmo; buy box; "
        "piccola azienda; piccola impresa; azienda familiare; attività familiare; nostra attività; "
        "sospensione; sospeso; ci penalizza; penalizza; danneggia; ci danneggia; incide; influisce"
    ),
    "HONEST": "onest*; sincer*; imparziale",
    "SHARE": (
        "la sua opinione; la sua esperienza; le sue impressioni; cosa ne pensa; che ne pensa; altri clienti; "
        "altri acquirenti; condividere la sua; condivida la sua"
        "; altri genitori"
        "; sentirne parlare"
    ),
    "PRONOUN": ("la; lo; le; li; sua"),
    "MESSENGER": (
        "whatsapp; telegram; wechat; viber; skype; signal app; discord; snapchat; messenger; instagram; "
        "messaggio privato; messaggio diretto"
    ),
    "SEARCH": (
        "ci cerchi; cercateci; ci trovi; cerchi il nostro; cerchi la nostra; su google"
        "; tramite google; trovarci"
        "; nome del nostro marchio; cerchi il nome; motore di ricerca"
        "; googli; googlare"
    ),
    "WEBSITE": (
        "il nostro sito; nostro sito web; nostro sito internet; sito ufficiale; nostro negozio online; "
        "nostro shop online; nostro e commerce; sito del marchio; nostro negozio"
        "; canale youtube; nostro canale"
        "; nostro sito"
    ),
    "OUTSIDE": (
        "al di fuori di amazon; fuori da amazon; fuori amazon; direttamente via email; "
        "direttamente per email; "
        "email personale; mail personale; direttamente con noi; ci chiami direttamente"
        "; nostro indirizzo di posta; indirizzo di posta; nostro indirizzo email"
        "; più veloce di amazon; più rapido che su amazon; più veloce dei messaggi amazon"
    ),
    "MARKETING": (
        "newsletter; seguici; ci segua; iscriviti; si iscriva; codice promozionale; codice sconto; "
        "nostri altri prodotti; altri nostri prodotti; novità; offerta speciale; offerta esclusiva; "
        "promozion*; saldi; scopra la nostra; scopra i nostri; "
        "la nostra gamma; la nostra collezione; acquisti ora"
        "; in anteprima; clienti fedeli"
        "; risponda sì; risponda semplicemente sì"
    ),
    "ANNOUNCE": (
        "ora disponibile; già disponibile; appena uscito; presto disponibile; nuovo modello; nuova versione; "
        "produciamo anche; vendiamo anche; offriamo anche; nostro blog; ricett*; buon natale; buone feste; "
        "felice anno nuovo; sapeva che"
        "; le consigliamo anche; consigliamo anche; scopra la nostra; scopra il nostro"
        "; scopra anche; perfetta con questa; perfetto con questo"
        # Another product offered as news: back in stock, "complete the set".
        "; di nuovo disponibile; nuovamente disponibile; torna disponibile; tornato disponibile; completare il set"
        "; abbiamo anche; nello stesso negozio; nel nostro negozio"
        # Another product of the range, without sale words: just out, coming, the catalogue,
        # "also fits our …", what other customers go for.
        "; appena uscito; appena uscita; nuovo colore; lanceremo; stiamo per lanciare"
        "; usciranno presto; uscirà presto; nostro catalogo; tutta la gamma; tutta la nostra gamma"
        "; il resto della nostra gamma; nostri altri prodotti; nostri altri modelli"
        "; si adatta anche al nostro; va bene anche per il nostro; molti clienti scelgono"
        "; molti clienti abbinano; molti clienti optano; nostra lista d attesa"
        # Another product announced for next month.
        "; uscirà il mese prossimo; esce il mese prossimo; lanciata il mese prossimo"
    ),
    "NEXT_ORDER": "prossimo ordine; prossimo acquisto; prossimi ordini; futuri acquisti",
    "REMIND": ("dimentichi; non dimentichi; dimenticare; ricordi; promemoria; ci pensi; pensi a"),
    "ORDER": "il suo ordine; il suo pacco; consegna; consegnato; spedizione; tracciamento; il suo articolo",
    "AND": ("e; poi; dopodiché; in seguito"),
    "CUSTOMERS": ("clienti; acquirenti; coloro"),
    "RELATIVE": ("che"),
    "DELIVER": ("spedi*; invier*; inviamo; partirà; sbloccher*; procederemo; procedere; procediamo"),
    "WISH": ("sarebbe; farebbe; piacerebbe; conterebbe; significherebbe; aiuterebbe; aiuterebbero"),
    "NEW_RANGE": ("la nostra nuova; il nostro nuovo; in anteprima"),
    "PROMO": (
        "sconto; per cento; clienti fedeli; prezzo speciale; più economico; scontato; in offerta; ribassato"
        "; risparmia; risparmiare"
    ),
    "PHONE": ("il nostro numero di telefono; numero verde; ci chiami; chiamateci; a voce; per telefono"),
    # What a sentence around a link is about (``content.link_standing``): documentation,
    # the parcel or the after-sale, or selling.
    "GUIDE": (
        "manuale; manuali; guida; guide; istruzioni; installazione; montaggio; configurazione"
        "; primo avvio; risoluzione dei problemi; manutenzione; pagina di assistenza; pagina di supporto"
        "; faq; passo passo; passo dopo passo; scheda tecnica; schema"
    ),
    "TRACK": (
        "tracciamento; tracking; numero di spedizione; corriere; reso; resi; etichetta di reso; garanzia; fattura"
    ),
    "SHOP": ("acquistare; acquistarlo; acquistarla; comprare; negozio; carrello; prezzo; prezzi"),
    # A review word's other sense: the seller's own people or checks ("feedback from our
    # engineers", "a second opinion"), or a mark on the product ("stars engraved on…").
    "OWN": (
        "nostri tecnici; nostro tecnico; nostro reparto tecnico; nostri ingegneri"
        "; nostro team tecnico; nostri esperti; nostri baristi; nostra officina; controllo qualità"
        "; controllo di qualità; interno; interna; interni; interne; secondo parere"
        "; seconda opinione; fabbrica; incise; inciso; incisa; stampate; stampata"
        # The product's own signal or a key marked with a star ("audible feedback", "the star button").
        "; acustico; acustica; aptico; aptica; tasto; pulsante; icona; simbolo; contrassegnato; contrassegnata"
        "; display; schermo; pannello"
        # Stars a lamp projects ("the stars the night light projects").
        "; proietta; proiettate; proiettore; proiezione; cielo stellato; luce notturna"
    ),
    # "Again": with a request about what the buyer posted, it asks for a second look.
    "AGAIN": ("di nuovo; ancora una volta; nuovamente; un altra volta"),
    # The product's own features ("shows WhatsApp notifications"): a messenger named there is no channel.
    "FEATURE": "notific*; avvisi; compatibile con; funziona con; integrazione",
    # A manufacturer or carrier: Amazon allows their phone numbers.
    "MAKER": "produttore; produttori; casa produttrice; corriere",
}
