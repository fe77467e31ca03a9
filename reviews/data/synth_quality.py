"""How well the product does its job and how it feels in the hand, per language: the
``quality`` cells of the synthetic corpus (``reviews/data/synth.py``) composed from a thing
said about a part of a product ("the coffee" / "is rich and hot" / "is lukewarm and weak").

Buyers praise a coffee maker by its coffee, a knife by its cut, a chair by its comfort,
seldom by the word "quality"; one line per product category, across the categories a
seller lists (kitchen, electronics, furniture, toys, beauty, garden, baby, sports, tools,
clothing). Each line: ``subject | praise | complaint`` (the subject may be empty: the
sentence then starts with the verb, "Makes great coffee").
"""

EN = """
the coffee | is rich and hot | comes out lukewarm and weak
 | makes great coffee | makes bitter, watery coffee
the knives | are razor sharp | were dull from the start
it | cuts through tomatoes like butter | squashes tomatoes instead of cutting them
the blender | crushes ice in seconds | leaves chunks of ice even on the top speed
the suction | is strong, it picks up all the dog hair | is so weak it leaves crumbs behind
the sound | is crisp with punchy bass | is muddy and distorts at half volume
the picture | is sharp and bright | is washed out and grainy
the photos | come out crisp even at night | are blurry unless the light is perfect
the keys | feel snappy and quiet | feel mushy and some double type
the mouse | tracks smoothly | skips and jitters on my desk
the chair | is comfy even after a long day | gets uncomfortable after half an hour
the mattress | is firm but comfortable, I sleep through the night | sags in the middle and my back hurts
the sofa | is soft and the fabric looks expensive | cushions went flat and the fabric pills
the desk | is rock solid, no wobble at all | wobbles every time I type
the shelf | is very stable once built | leans and creaks under a few books
the blocks | are thick and snap together nicely | don't hold together, the towers collapse
the toy car | is fast and handles well | stutters and the steering barely responds
the pieces | fit perfectly | don't line up, the puzzle never lies flat
the hair dryer | dries my hair in five minutes | takes forever and sounds like a jet engine
the straightener | heats up fast and leaves my hair smooth | pulls my hair and heats unevenly
the cream | leaves my skin soft | leaves a greasy film and made me break out
the perfume | smells lovely and lasts all day | fades within an hour
the shampoo | lathers well and my hair feels silky | leaves my hair dry and straw-like
the shears | cut clean through thick branches | crush the stems instead of cutting
the mower | cuts evenly and starts first pull | starts one time in three and leaves tufts
the hose | doesn't kink and the pressure is great | kinks constantly and leaks at the connector
the baby monitor | is crystal clear even from the garden | crackles and drops the signal
the stroller | glides smoothly and folds with one hand | pulls to one side and rattles
the car seat | feels secure and well padded | feels flimsy and the straps twist
the yoga mat | is grippy and thick enough for my knees | is slippery and too thin
the dumbbells | feel well balanced and don't smell | smell of rubber and the coating flakes
the lock | feels heavy duty | feels like it could be cut with pliers
the backpack | is comfortable and the seams look strong | digs into my shoulders and the seams are loose
the jacket | keeps me warm and dry | lets the rain through at the seams
the fabric | is soft and breathable | is thin, scratchy and see-through
the shoes | are comfortable from the first day | rub my heels raw
the pan | heats evenly and nothing sticks | has hot spots and everything sticks
the kettle | boils quickly and quietly | is really loud and the water tastes of plastic
the toaster | browns the bread evenly | burns one side and leaves the other pale
the air fryer | cooks chips crispy in fifteen minutes | leaves the food soggy
the rice cooker | makes perfect fluffy rice | burns the rice at the bottom
the drill | has plenty of power for brick | stalls as soon as it meets a screw
the torch | is really bright | is dim and flickers
the router | gives a strong signal in every room | drops the connection every evening
the watch | measures my heart rate accurately | shows random numbers for my heart rate
the lamp | gives a warm, even light | flickers and the light is harsh
the wood | is solid and beautifully finished | is cheap chipboard with rough edges
it | feels solid and well made | feels cheap and flimsy
the build | is sturdy, nothing creaks | is poor, the panels rattle
the materials | feel premium | feel cheap, thin plastic everywhere
the stitching | is neat and even | is crooked and already fraying
the plants | are growing like crazy since I set it up | aren't growing any better with it
it | does exactly what it should | barely does what it should
the motor | is strong and quiet | is weak and whines
the heater | warms the room in minutes | barely takes the chill off the room
the fan | moves a lot of air quietly | is noisy and hardly moves any air
the printer | prints crisp pages | smudges every page
the sealer | seals the bags tight | leaves the bags open at one corner
the headphones | block out the noise on the train | leak sound and don't block anything
the battery | lasts all week | is flat after an afternoon
the screen | is bright and easy to read in the sun | is dim and hard to read outside
the grip | is comfortable and doesn't slip | is slippery when wet
it | runs quietly | is louder than I can stand
the heat | spreads evenly | is uneven, one side stays cold
the colour | is rich and looks just like a salon job | streaks and looks patchy
"""

DE = """
der Kaffee | ist kräftig und heiß | kommt lauwarm und dünn raus
 | macht tollen Kaffee | macht bitteren, wässrigen Kaffee
die Messer | sind scharf wie Rasierklingen | waren von Anfang an stumpf
es | schneidet Tomaten wie Butter | zerquetscht die Tomaten statt zu schneiden
der Mixer | zerkleinert Eis in Sekunden | lässt selbst auf höchster Stufe Eisbrocken übrig
die Saugkraft | ist stark, alle Hundehaare sind weg | ist so schwach, dass Krümel liegen bleiben
der Klang | ist klar mit kräftigem Bass | ist dumpf und verzerrt schon bei halber Lautstärke
das Bild | ist scharf und hell | ist blass und körnig
die Fotos | werden auch nachts scharf | sind unscharf, sobald das Licht nicht perfekt ist
die Tasten | fühlen sich knackig und leise an | sind schwammig und manche prellen
die Maus | gleitet präzise | springt und ruckelt auf meinem Schreibtisch
der Stuhl | ist auch nach einem langen Tag bequem | wird nach einer halben Stunde unbequem
die Matratze | ist fest und bequem, ich schlafe durch | hängt in der Mitte durch und mein Rücken tut weh
das Sofa | ist weich und der Stoff sieht edel aus | ist durchgesessen und der Stoff fusselt
der Schreibtisch | steht bombenfest, wackelt kein bisschen | wackelt bei jedem Tippen
das Regal | steht nach dem Aufbau sehr stabil | steht schief und knarzt unter ein paar Büchern
die Bausteine | sind dick und halten gut zusammen | halten nicht, die Türme fallen ständig um
das Spielzeugauto | ist schnell und lässt sich gut lenken | stottert und die Lenkung reagiert kaum
die Teile | passen perfekt | passen nicht, das Puzzle liegt nie flach
der Föhn | trocknet meine Haare in fünf Minuten | braucht ewig und ist laut wie ein Düsenjet
das Glätteisen | heizt schnell auf und die Haare werden glatt | ziept und heizt ungleichmäßig
die Creme | macht die Haut weich | hinterlässt einen Fettfilm und ich habe Pickel bekommen
das Parfum | riecht toll und hält den ganzen Tag | ist nach einer Stunde verflogen
das Shampoo | schäumt gut und die Haare sind seidig | macht die Haare trocken und strohig
die Gartenschere | schneidet sauber durch dicke Äste | quetscht die Zweige statt zu schneiden
der Rasenmäher | mäht gleichmäßig und springt sofort an | springt nur jedes dritte Mal an
der Schlauch | knickt nicht und der Druck ist super | knickt ständig und tropft am Anschluss
das Babyphone | überträgt glasklar bis in den Garten | rauscht und verliert ständig das Signal
der Kinderwagen | rollt leicht und lässt sich mit einer Hand falten | zieht nach einer Seite und klappert
der Kindersitz | sitzt sicher und ist gut gepolstert | wirkt wackelig und die Gurte verdrehen sich
die Yogamatte | ist griffig und dick genug für meine Knie | ist rutschig und viel zu dünn
die Hanteln | liegen gut in der Hand und riechen nicht | stinken nach Gummi und die Beschichtung blättert
das Schloss | wirkt massiv | sieht aus, als ginge es mit einer Zange auf
der Rucksack | trägt sich bequem und die Nähte sind stark | drückt auf die Schultern und die Nähte sind lose
die Jacke | hält warm und trocken | lässt an den Nähten Regen durch
der Stoff | ist weich und atmungsaktiv | ist dünn, kratzig und durchsichtig
die Schuhe | sind vom ersten Tag an bequem | scheuern mir die Fersen wund
die Pfanne | heizt gleichmäßig und nichts klebt an | hat heiße Stellen und alles brennt an
der Wasserkocher | kocht schnell und leise | ist sehr laut und das Wasser schmeckt nach Plastik
der Toaster | bräunt gleichmäßig | verbrennt eine Seite und die andere bleibt hell
die Heißluftfritteuse | macht knusprige Pommes in fünfzehn Minuten | macht das Essen labbrig
der Reiskocher | macht perfekten, lockeren Reis | lässt den Reis unten anbrennen
der Akkuschrauber | hat genug Kraft für Ziegel | bleibt bei jeder Schraube stecken
die Taschenlampe | ist richtig hell | ist schwach und flackert
der Router | hat in jedem Zimmer starkes Signal | verliert jeden Abend die Verbindung
die Uhr | misst den Puls genau | zeigt beim Puls ständig Quatsch an
die Lampe | gibt ein warmes, gleichmäßiges Licht | flackert und das Licht ist grell
das Holz | ist massiv und schön verarbeitet | ist billige Spanplatte mit rauen Kanten
es | wirkt solide und gut verarbeitet | wirkt billig und wackelig
die Verarbeitung | ist stabil, nichts knarzt | ist schlecht, die Platten klappern
das Material | fühlt sich hochwertig an | fühlt sich billig an, überall dünnes Plastik
die Nähte | sind sauber und gleichmäßig | sind schief und fransen schon aus
die Pflanzen | wachsen seitdem wie verrückt | wachsen damit kein bisschen besser
es | macht genau, was es soll | macht kaum, was es soll
der Motor | ist kräftig und leise | ist schwach und jault
die Heizung | wärmt den Raum in Minuten | wärmt den Raum kaum
der Ventilator | bewegt viel Luft und ist leise | ist laut und bewegt kaum Luft
der Drucker | druckt gestochen scharf | verschmiert jede Seite
der Akku | hält eine ganze Woche | ist nach einem Nachmittag leer
das Display | ist hell und auch in der Sonne gut lesbar | ist dunkel und draußen kaum lesbar
der Kopfhörer | schirmt den Lärm im Zug gut ab | lässt Geräusche durch und dämpft nichts
es | läuft flüsterleise | ist unerträglich laut
die Farbe | deckt satt und sieht aus wie vom Profi | streift und wird fleckig
"""

FR = """
le café | est corsé et bien chaud | sort tiède et fade
 | fait un café délicieux | fait un café amer et aqueux
les couteaux | coupent comme des rasoirs | étaient émoussés dès le départ
il | coupe les tomates comme du beurre | écrase les tomates au lieu de les couper
le blender | pile la glace en quelques secondes | laisse des glaçons entiers même à fond
l'aspiration | est puissante, tous les poils du chien partent | est si faible qu'il reste des miettes
le son | est clair avec des basses profondes | est étouffé et sature à mi-volume
l'image | est nette et lumineuse | est terne et granuleuse
les photos | sont nettes même de nuit | sont floues dès que la lumière baisse
les touches | sont agréables et silencieuses | sont molles et certaines doublent les lettres
la souris | glisse avec précision | saute et tremble sur mon bureau
la chaise | reste confortable après une longue journée | devient inconfortable au bout d'une demi-heure
le matelas | est ferme et confortable, je dors d'une traite | s'affaisse au milieu et j'ai mal au dos
le canapé | est moelleux et le tissu fait chic | s'est affaissé et le tissu bouloche
le bureau | est stable, il ne bouge pas d'un millimètre | tremble à chaque frappe
l'étagère | est bien stable une fois montée | penche et grince sous quelques livres
les briques | sont épaisses et s'emboîtent bien | ne tiennent pas, les tours s'écroulent
la petite voiture | est rapide et se conduit bien | hoquette et la direction répond à peine
les pièces | s'emboîtent parfaitement | ne s'emboîtent pas, le puzzle ne reste pas à plat
le sèche-cheveux | sèche mes cheveux en cinq minutes | met une éternité et fait un bruit d'avion
le lisseur | chauffe vite et laisse les cheveux lisses | tire les cheveux et chauffe mal
la crème | laisse la peau douce | laisse un film gras et m'a donné des boutons
le parfum | sent bon et tient toute la journée | s'évapore en une heure
le shampoing | mousse bien et les cheveux sont soyeux | assèche mes cheveux
le sécateur | coupe net les branches épaisses | écrase les tiges au lieu de couper
la tondeuse | coupe régulièrement et démarre du premier coup | démarre une fois sur trois
le tuyau | ne fait pas de nœuds et la pression est top | fait des nœuds tout le temps et fuit au raccord
le babyphone | est parfaitement clair même du jardin | grésille et perd le signal
la poussette | roule bien et se plie d'une main | tire d'un côté et fait du bruit
le siège auto | est bien rembourré et semble sûr | semble fragile et les sangles se vrillent
le tapis de yoga | accroche bien et protège mes genoux | glisse et il est trop fin
les haltères | sont bien équilibrés et ne sentent rien | sentent le caoutchouc et le revêtement s'écaille
le cadenas | a l'air costaud | a l'air de céder avec une pince
le sac à dos | se porte bien et les coutures sont solides | scie les épaules et les coutures lâchent
la veste | tient chaud et au sec | laisse passer la pluie aux coutures
le tissu | est doux et respirant | est fin, rêche et transparent
les chaussures | sont confortables dès le premier jour | m'ont blessé les talons
la poêle | chauffe uniformément et rien n'attache | a des points chauds et tout attache
la bouilloire | chauffe vite et sans bruit | est bruyante et l'eau a un goût de plastique
le grille-pain | dore le pain uniformément | brûle un côté et laisse l'autre pâle
la friteuse | fait des frites croustillantes en quinze minutes | rend les aliments mous
le cuiseur à riz | fait un riz parfait | brûle le riz au fond
la perceuse | a assez de puissance pour la brique | cale dès la première vis
la lampe torche | éclaire très fort | éclaire faiblement et clignote
le routeur | donne un bon signal dans toutes les pièces | coupe la connexion tous les soirs
la montre | mesure le pouls avec précision | affiche n'importe quoi pour le pouls
la lampe | donne une lumière chaude et douce | clignote et la lumière est agressive
le bois | est massif et joliment fini | est de l'aggloméré bas de gamme aux bords rugueux
il | est solide et bien fini | fait cheap et fragile
la fabrication | est robuste, rien ne grince | laisse à désirer, les panneaux vibrent
les matériaux | font haut de gamme | font bon marché, du plastique fin partout
les coutures | sont nettes et régulières | sont de travers et s'effilochent déjà
les plantes | poussent à toute vitesse depuis | ne poussent pas mieux avec
il | fait exactement ce qu'on lui demande | fait à peine ce qu'il doit faire
le moteur | est puissant et silencieux | est faible et siffle
le radiateur | chauffe la pièce en quelques minutes | chauffe à peine la pièce
le ventilateur | brasse beaucoup d'air sans bruit | est bruyant et ne brasse presque rien
l'imprimante | imprime net | bave sur chaque page
la batterie | tient toute la semaine | est vide après un après-midi
l'écran | est lumineux et lisible en plein soleil | est sombre et illisible dehors
le casque | isole bien du bruit dans le train | laisse passer tous les bruits
il | tourne en silence | est d'un bruit insupportable
le vernis | sèche vite et tient bien | fait des traces et s'écaille en un jour
"""

ES = """
el café | sale intenso y bien caliente | sale tibio y aguado
 | hace un café buenísimo | hace un café amargo y aguado
los cuchillos | cortan como cuchillas | venían sin filo desde el principio
 | corta los tomates como mantequilla | aplasta los tomates en vez de cortarlos
la batidora | tritura el hielo en segundos | deja trozos de hielo incluso al máximo
la succión | es potente, recoge todo el pelo del perro | es tan débil que deja migas
el sonido | es nítido con buenos graves | es apagado y distorsiona a medio volumen
la imagen | es nítida y brillante | es apagada y con grano
las fotos | salen nítidas incluso de noche | salen borrosas si la luz no es perfecta
las teclas | son suaves y silenciosas | son blandas y algunas escriben doble
el ratón | va fino y preciso | da saltos en mi escritorio
la silla | es cómoda incluso después de un día largo | se vuelve incómoda a la media hora
el colchón | es firme y cómodo, duermo del tirón | se hunde en el centro y me duele la espalda
el sofá | es mullido y la tela parece cara | se ha hundido y la tela hace bolitas
el escritorio | es firme, no se mueve nada | se tambalea cada vez que escribo
la estantería | queda muy estable una vez montada | se inclina y cruje con unos pocos libros
los bloques | son gruesos y encajan muy bien | no encajan, las torres se caen
el coche teledirigido | es rápido y se maneja bien | se atasca y la dirección apenas responde
las piezas | encajan perfectamente | no encajan y el puzle no queda plano
el secador | me seca el pelo en cinco minutos | tarda una eternidad y suena como un avión
la plancha | se calienta rápido y deja el pelo liso | tira del pelo y calienta de forma desigual
la crema | deja la piel suave | deja una película grasa y me salieron granos
el perfume | huele de maravilla y dura todo el día | desaparece en una hora
el champú | hace mucha espuma y deja el pelo sedoso | me deja el pelo seco como paja
las tijeras de podar | cortan limpio ramas gruesas | aplastan los tallos en vez de cortar
el cortacésped | corta parejo y arranca a la primera | arranca una vez de cada tres
la manguera | no se dobla y la presión es estupenda | se dobla todo el rato y pierde agua por la conexión
el vigilabebés | se oye clarísimo incluso desde el jardín | hace ruido y pierde la señal
el carrito | rueda suave y se pliega con una mano | se va hacia un lado y hace ruido
la silla de coche | se siente segura y bien acolchada | parece endeble y las correas se retuercen
la esterilla | agarra bien y es gruesa para mis rodillas | resbala y es demasiado fina
las pesas | están bien equilibradas y no huelen | huelen a goma y el recubrimiento se pela
el candado | parece muy robusto | parece que se abre con unos alicates
la mochila | es cómoda y las costuras parecen fuertes | se clava en los hombros y las costuras están sueltas
la chaqueta | abriga y no deja pasar el agua | deja pasar la lluvia por las costuras
la tela | es suave y transpirable | es fina, áspera y transparente
las zapatillas | son cómodas desde el primer día | me hacen rozaduras en los talones
la sartén | calienta por igual y no se pega nada | tiene zonas calientes y todo se pega
el hervidor | hierve rápido y sin ruido | hace mucho ruido y el agua sabe a plástico
la tostadora | tuesta el pan de forma uniforme | quema un lado y deja el otro blanco
la freidora de aire | cocina genial y deja las patatas crujientes | deja la comida blanda
la arrocera | hace un arroz perfecto | quema el arroz del fondo
el taladro | tiene potencia de sobra para ladrillo | se atasca con el primer tornillo
la linterna | alumbra muchísimo | alumbra poco y parpadea
el router | da buena señal en todas las habitaciones | pierde la conexión todas las noches
el reloj | mide el pulso con precisión | marca el pulso como le da la gana
la lámpara | da una luz cálida y uniforme | parpadea y la luz es molesta
la madera | es maciza y está muy bien acabada | es aglomerado barato con bordes ásperos
 | se nota sólido y bien hecho | se nota barato y endeble
el acabado | es robusto, no cruje nada | es malo, los paneles vibran
los materiales | parecen de gama alta | parecen baratos, plástico fino por todas partes
las costuras | están limpias y rectas | están torcidas y ya se deshilachan
las plantas | crecen como locas desde entonces | no crecen nada mejor con él
 | hace exactamente lo que tiene que hacer | apenas hace lo que debe
el motor | es potente y silencioso | es flojo y chirría
el calefactor | calienta la habitación en minutos | apenas calienta la habitación
el ventilador | mueve mucho aire sin ruido | hace ruido y apenas mueve aire
la impresora | imprime nítido | mancha todas las páginas
las bolsas | cierran bien y aguantan el congelador | se abren en el congelador
la batería | dura toda la semana | se agota en una tarde
la pantalla | es brillante y se lee bien al sol | es oscura y no se ve en la calle
los auriculares | aíslan del ruido en el tren | dejan pasar todo el ruido
 | funciona en silencio | hace un ruido insoportable
la calidad | es top | deja mucho que desear
"""

IT = """
il caffè | è corposo e bello caldo | esce tiepido e acquoso
 | fa un espresso con una crema fantastica | fa un caffè amaro e acquoso
i coltelli | tagliano come rasoi | erano smussati fin dall'inizio
 | taglia i pomodori come burro | schiaccia i pomodori invece di tagliarli
il frullatore | trita il ghiaccio in pochi secondi | lascia pezzi di ghiaccio anche al massimo
l'aspirazione | è potente, raccoglie tutti i peli del cane | è così debole che lascia le briciole
il suono | è pulito con bassi profondi | è ovattato e distorce a metà volume
l'immagine | è nitida e luminosa | è spenta e sgranata
le foto | vengono nitide anche di notte | vengono sfocate se la luce non è perfetta
i tasti | sono morbidi e silenziosi | sono gommosi e alcuni scrivono doppio
il mouse | scorre preciso | salta e trema sulla scrivania
la sedia | è comoda anche dopo una lunga giornata | diventa scomoda dopo mezz'ora
il materasso | è rigido al punto giusto, dormo tutta la notte | si affossa al centro e mi fa male la schiena
il divano | è morbido e il velluto fa la sua figura | si è sfondato e il tessuto fa i pallini
la scrivania | è solidissima, non si muove | traballa a ogni battuta
la mensola | è stabilissima una volta montata | pende e scricchiola con pochi libri
i mattoncini | sono precisi e si incastrano bene | non si incastrano, le torri crollano
la macchinina | è veloce e si guida bene | va a scatti e lo sterzo risponde appena
i pezzi | combaciano perfettamente | non combaciano, il puzzle non sta piatto
l'asciugacapelli | mi asciuga i capelli in cinque minuti | ci mette una vita e fa un rumore da aereo
la piastra | si scalda subito e lascia i capelli lisci | tira i capelli e scalda male
la crema | lascia la pelle morbida | lascia una patina unta e mi ha fatto venire i brufoli
il profumo | ha un odore buonissimo e dura tutto il giorno | svanisce in un'ora
lo shampoo | fa tanta schiuma e i capelli sono setosi | mi secca i capelli
le cesoie | tagliano netto anche i rami spessi | schiacciano i rami invece di tagliarli
il tosaerba | taglia uniforme e parte al primo colpo | parte una volta su tre
il tubo | non si attorciglia e la pressione è ottima | si attorciglia sempre e perde dal raccordo
il baby monitor | si sente benissimo anche dal giardino | gracchia e perde il segnale
il passeggino | scorre bene e si chiude con una mano | tira da un lato e sbatacchia
il seggiolino | è ben imbottito e sembra sicuro | sembra fragile e le cinghie si attorcigliano
il tappetino | è spesso e non scivola | scivola ed è troppo sottile
i manubri | sono ben bilanciati e non puzzano | puzzano di gomma e il rivestimento si stacca
il lucchetto | sembra robustissimo | sembra che si apra con una pinza
lo zaino | è comodo e lo schienale non fa sudare | taglia le spalle e le cuciture cedono
la giacca | tiene caldo e asciutto | fa passare la pioggia dalle cuciture
il tessuto | è morbido e traspirante | è sottile, ruvido e trasparente
le scarpe | sono comode dal primo giorno | mi hanno fatto le vesciche ai talloni
la padella | scalda in modo uniforme e non attacca niente | ha punti caldi e attacca tutto
il bollitore | bolle in fretta e in silenzio | è rumorosissimo e l'acqua sa di plastica
il tostapane | tosta il pane in modo uniforme | brucia un lato e lascia l'altro bianco
la friggitrice ad aria | fa patatine croccanti in quindici minuti | lascia il cibo molle
il cuociriso | fa un riso perfetto | brucia il riso sul fondo
il trapano | ha potenza da vendere anche sul mattone | si blocca alla prima vite
la torcia | fa tantissima luce | fa poca luce e sfarfalla
il router | prende benissimo in tutte le stanze | perde la connessione ogni sera
l'orologio | misura il battito con precisione | segna il battito a caso
la lampada | fa una luce calda e uniforme | sfarfalla e la luce è fastidiosa
il legno | è massello e rifinito benissimo | è truciolato scadente con i bordi ruvidi
 | è solido e ben fatto | sembra economico e fragile
la struttura | è robusta, non scricchiola nulla | è scadente, i pannelli vibrano
i materiali | sembrano di alta gamma | sembrano economici, plastica sottile ovunque
le cuciture | sono pulite e regolari | sono storte e già si sfilacciano
le piante | crescono a vista d'occhio | non crescono per niente meglio
 | fa esattamente quello che deve | fa a malapena quello che deve
il motore | è potente e silenzioso | è debole e fischia
la stufetta | scalda la stanza in pochi minuti | scalda appena la stanza
il ventilatore | muove tanta aria in silenzio | è rumoroso e muove poca aria
la stampante | stampa nitido | sbava su ogni pagina
la batteria | dura tutta la settimana | si scarica in un attimo
lo schermo | è luminoso e si legge bene al sole | è scuro e fuori non si legge
le cuffie | isolano dal rumore in treno | lasciano passare ogni rumore
 | è silenziosissimo | fa un po' di rumore
la qualità | è ottima | lascia a desiderare
"""

JA = """
コーヒー | がコク深くて熱々 | がぬるくて薄い
 | 美味しいコーヒーが淹れられる | コーヒーが苦くて水っぽい
包丁 | の切れ味が抜群 | は最初から切れ味が悪い
トマト | もスッと切れる | が潰れて切れない
ミキサー | は氷も数秒で砕ける | は最強でも氷が残る
吸引力 | が強くて犬の毛も全部取れる | が弱くてゴミが残る
音 | がクリアで低音も響く | がこもっていて音量を上げると割れる
画質 | が鮮明で明るい | がぼやけて粗い
写真 | が夜でもきれいに撮れる | が暗いとすぐブレる
キー | の打鍵感が軽くて静か | がふにゃふにゃで二重入力する
マウス | の動きがなめらか | がカーソル飛びする
椅子 | は一日座っていても疲れない | は三十分で腰が痛くなる
マットレス | は程よい硬さで朝までぐっすり | は真ん中が沈んで腰が痛い
ソファ | はふかふかで生地も高級感がある | はすぐへたって毛玉だらけ
デスク | はまったく揺れずどっしり | はタイピングのたびにぐらぐらする
棚 | は組み立て後とても安定している | は本を数冊置いただけで傾いてきしむ
ブロック | は厚みがあってしっかりはまる | がはまらず塔がすぐ崩れる
ラジコン | は速くて操作しやすい | は動きがカクカクでハンドルが効かない
ピース | がぴったりはまる | が合わずパズルが浮く
ドライヤー | は五分で髪が乾く | は乾くのが遅くて音がうるさい
ヘアアイロン | はすぐ温度が上がって髪がまとまる | は髪が引っかかって熱ムラがある
クリーム | で肌がしっとりする | はベタベタして肌荒れした
香水 | はいい香りで一日中続く | の香りが一時間で消える
シャンプー | は泡立ちがよく髪がサラサラになる | で髪がパサパサになる
剪定ばさみ | は太い枝もスパッと切れる | は枝が潰れて切れない
芝刈り機 | はきれいに刈れてすぐエンジンがかかる | はエンジンが三回に一回しかかからない
ホース | はねじれず水圧も十分 | はすぐねじれて接続部から漏れる
ベビーモニター | は庭からでも音がクリア | は雑音がひどく接続が切れる
ベビーカー | は押しやすく片手でたためる | はまっすぐ進まずガタガタ鳴る
チャイルドシート | はしっかり固定されて安心 | はぐらついてベルトがねじれる
ヨガマット | は滑らず厚みもちょうどいい | は滑るし薄すぎる
ダンベル | は持ちやすくゴムの臭いもない | はゴム臭くてコーティングがはがれる
自転車ロック | は頑丈でずっしりしている | はペンチで切れそうなほどちゃち
リュック | は背負いやすく縫製もしっかり | は肩に食い込んで縫い目がほつれている
ジャケット | は暖かくて雨も通さない | は縫い目から雨がしみる
生地 | が柔らかくて通気性がいい | が薄くてチクチクして透ける
靴 | は初日から履き心地がいい | はかかとが靴擦れする
フライパン | は熱が均一で焦げつかない | は焦げつきやすく熱ムラがある
電気ケトル | はすぐ沸いて静か | は音がうるさくお湯がプラスチック臭い
トースター | は均一にこんがり焼ける | は片側だけ焦げる
ノンフライヤー | でポテトがカリッと仕上がる | だと料理がべちゃっとする
炊飯器 | でご飯がふっくら美味しく炊ける | はご飯の底が焦げる
電動ドリル | はパワーがあってレンガにも穴が開く | はネジ一本で止まってしまう
懐中電灯 | がとても明るい | は暗くてちらつく
ルーター | はどの部屋でも電波が強い | は毎晩接続が切れる
スマートウォッチ | の心拍数が正確 | の心拍数がめちゃくちゃ
ライト | の光が温かくて均一 | がちらついて光がまぶしい
木材 | は無垢材でずっしりしていて仕上げもきれい | は安いパーティクルボードで角がざらざら
作り | がしっかりしていてきしまない | がちゃちでパネルがガタつく
素材 | に高級感がある | が安っぽくて薄いプラスチックばかり
縫製 | が丁寧でまっすぐ | が曲がっていてもうほつれている
植物 | がぐんぐん育つ | の育ちは全然変わらない
 | 期待どおりにしっかり働く | ほとんど役に立たない
モーター | はパワフルで静か | は弱くてキーンと鳴る
ヒーター | は数分で部屋が暖まる | では部屋がほとんど暖まらない
扇風機 | は静かで風量も十分 | はうるさいのに風が弱い
プリンター | の印刷がくっきり | は毎回インクがにじむ
バッテリー | が一週間もつ | が半日で切れる
画面 | が明るく日差しの下でも見やすい | が暗くて外では見えない
イヤホン | は電車でも騒音をしっかり遮る | は音漏れして周りの音も聞こえる
 | 動作音がとても静か | 動作音がうるさい
火力 | が強くて一気に焼ける | が弱くて時間がかかりすぎる
品質 | は値段以上 | は値段なり以下
"""

# Openings that vary how a sentence says it (``{s}`` the subject, ``{v}`` what it does).
TEMPLATES = {
    "en": ["{S} {v}.", "{S} {v}.", "Honestly {s} {v}.", "{S} {v}, really.", "So far {s} {v}."],
    "de": ["{S} {v}.", "{S} {v}.", "Ehrlich gesagt: {s} {v}.", "{S} {v}, wirklich.", "Bisher: {s} {v}."],
    "fr": ["{S} {v}.", "{S} {v}.", "Franchement, {s} {v}.", "{S} {v}, vraiment.", "Pour l'instant {s} {v}."],
    "es": ["{S} {v}.", "{S} {v}.", "La verdad, {s} {v}.", "{S} {v}, de verdad.", "De momento {s} {v}."],
    "it": ["{S} {v}.", "{S} {v}.", "Sinceramente {s} {v}.", "{S} {v}, davvero.", "Per ora {s} {v}."],
    "ja": ["{s}{v}。", "使ってみて、{s}{v}。", "正直、{s}{v}。", "{s}{v}。", "今のところ{s}{v}。"],
}
TABLES = {"en": EN, "de": DE, "fr": FR, "es": ES, "it": IT, "ja": JA}


def _sentence(template: str, subject: str, said: str) -> str:
    text = template.replace("{S}", subject).replace("{s}", subject).replace("{v}", said)
    text = " ".join(text.split()).replace(" ,", ",").replace(" .", ".")
    return text[0].upper() + text[1:]


def cells(lang: str) -> dict[tuple[str, str], list[str]]:
    """``("quality", "praise" | "complaint")`` → sentences, one a line of the table (its
    template chosen by the line's position, so the corpus stays deterministic)."""
    out: dict[tuple[str, str], list[str]] = {("quality", "praise"): [], ("quality", "complaint"): []}
    templates = TEMPLATES[lang]
    for i, line in enumerate(line for line in TABLES[lang].splitlines() if line.strip()):
        subject, praise, complaint = (part.strip() for part in line.split("|"))
        out[("quality", "praise")].append(_sentence(templates[i % len(templates)], subject, praise))
        out[("quality", "complaint")].append(_sentence(templates[(i + 2) % len(templates)], subject, complaint))
    return out
