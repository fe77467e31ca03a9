"""French: the words of each concept the intent rules read (see ``en`` for the format).

Accents are written; the guard folds them like the message ("évaluation" reads
"evaluation"). Elisions split into words ("l'avis" reads "l avis").
"""

CONCEPTS: dict[str, str] = {
    "REVIEW": (
        "avis; évaluation*; commentaire client; notation; étoile; étoiles; feedback*; critique; "
        "critiques; 1 étoile; une étoile; 2 étoiles; deux étoiles; 3 étoiles; trois étoiles; 4 étoiles; "
        "quatre étoiles; 5 étoiles; cinq étoiles; review*; témoignage*; avis client*; retour client"
        "; nombre d étoiles"
        "; retour d expérience; retours d expérience; votre retour d expérience"
    ),
    "WEAK_OBJ": (
        "commentaire; commentaires; publication; message public; ce que vous avez écrit; "
        "ce que vous avez publié; "
        "vos mots; vos propos; votre texte; votre post"
        "; note; notes; votre note"
        "; photo; photos; vidéo; quelques mots; quelques lignes"
        "; ce que tu as écrit; ce que vous avez mis; ton texte; ton commentaire"
        "; mots gentils; gentils mots; mots aimables; ce que vous avez dit; ce que vous dites"
    ),
    "PLACE": (
        "page produit; page du produit; fiche produit; sur amazon; publiquement; public; publique"
        "; page de l article; fiche de l article; la fiche"
        "; sous l article; sous le produit; sous l annonce; l annonce"
        "; page vendeur; notre page vendeur; profil vendeur"
    ),
    "WROTE": (
        "vous avez écrit; vous avez laissé; vous avez publié; vous avez posté; vous avez donné; vous avez mis"
        "; écrit; publié; posté"
        "; attribué; attribuée; donnée; données"
        "; laissé; laissée; laissés; laissées"
    ),
    "CHANGE": (
        "modifier; modifiez; modifié; modification; modifications; mettre à jour; mise à jour; "
        "mettez à jour; "
        "actualiser; actualisez; supprimer; supprimez; supprimé; suppression; retirer; retirez; retiré; "
        "changer; changez; changement; revoir; revoyez; réviser; révisez; révision; reconsidérer; "
        "reconsidérez; "
        "effacer; effacez; enlever; enlevez; corriger; corrigez; ajuster; ajustez; réévaluer; réévaluez; "
        "rehausser; relever; augmenter; améliorer votre note; retravailler; repenser; annuler"
        "; retoucher; retouchez; remonter; remontée; remonté; remontez"
        "; revenir sur; reveniez sur; revenez sur; passer à; passez à; passer votre; passez votre"
        "; adoucir; nuancer; atténuer"
        "; corrig*"
        "; nouvel œil; nouveau regard; nouveau coup d œil; à nouveau un œil; relire; relisez"
        "; mis à jour; mise à jour; mises à jour"
        "; ne mentionne plus; ne mentionnera plus; ne parle plus; ne parlera plus; n indique plus"
        "; n indiquera plus; n apparaît plus; disparu; disparaîtra"
        "; reflètent votre; reflète votre; refléter votre; correspondent à votre; corresponde à votre"
        "; actualisé; actualisée; actualisés; à jour; y ajouter; ajouter que; la suite de l histoire"
        "; compléter; complétez; ajouter à; ajoutez à"
    ),
    "ACT": (
        "laisser; laissez; écrire; écrivez; rédiger; donner; donnez; attribuer; noter; notez; évaluer; "
        "évaluez; "
        "publier; publiez; partager; partagez; poster"
        "; laiss*; mettez; mettre; dites le; racontez"
    ),
    "VISIBLE": "voir; voyons; verrons; en ligne; visible; publié; apparaît; apparaisse",
    "REQUEST": (
        "s il vous plaît; s il vous plait; svp; merci de; pourriez vous; pourriez; pourrais; voudriez vous; "
        "voudriez; serait il possible; nous vous serions; reconnaissant*; nous aimerions; j aimerais; "
        "nous souhaiterions; nous vous invitons; nous vous prions; je vous prie; n hésitez pas; espérons; "
        "nous espérons; accepteriez; nous vous demandons; vous demander; ça nous aiderait; "
        "cela nous aiderait; "
        "nous aiderait; ferait plaisir; compterait beaucoup; envisager; envisageriez"
        "; plaisir; aideraient; aiderait"
        "; il serait juste; il serait bien; ce serait bien; ce serait super"
        "; disposé; disposée; auriez vous l amabilité; auriez vous la gentillesse; rendrait"
        "; si possible; souhaiterions"
        "; seriez vous assez aimable; auriez vous la bonté"
        "; serait juste; juste que"
    ),
    "BUYER": "vous; tu",
    "SELLER": "nous; notre équipe; nous avons; j ai",
    "THIRD": "amazon a; amazon peut; amazon va",
    "VALUE": (
        "rembours*; réduction*; remise*; bon d achat; bon de réduction; carte cadeau; chèque cadeau; "
        "cadeau*; "
        "gratuit*; gratuitement; offert*; dédommag*; compens*; geste commercial; avoir de; prime; "
        "récompense*; argent; paiement; remplacement; produit de remplacement; échange standard; "
        "solde restant; "
        "code promo; extension de garantie; garantie prolongée"
        "; la différence"
        "; euro; euros; eur"
        "; offrir; offrons; offrirons; vous offrir; de rechange; sans frais; prolonger*"
        "; prolongeons; en priorité"
        "; virement; virons"
        "; tirage au sort; jeu concours"
    ),
    "COND": (
        "si; dès que; une fois que; une fois; après; lorsque; quand; à condition; pourvu que; "
        "aussitôt que; sitôt que; jusqu à ce que"
        "; s il; s ils"
        # A reward for whoever does something is one on condition ("Wer … erzählt, bekommt …").
        "; ceux qui; celles qui; quiconque; les clients qui"
        "; dès qu; lorsqu; une fois qu; aussitôt qu"
    ),
    "EXCHANGE": (
        "en échange; en retour; en remerciement; pour vous remercier; en guise de remerciement; "
        "en contrepartie; pour la peine"
        "; par avance; d avance; anticipé; remerciement anticipé"
        "; participe à; participent à; participer à"
    ),
    "FOR": "pour; pour chaque; contre",
    "THANKS": ("merci pour; merci de votre; merci beaucoup; remercions; remercier; nous avons lu; nous avons vu"),
    "POSITIVE": (
        "positif; positive; positifs; positives; 5 étoiles; cinq étoiles; 4 étoiles; quatre étoiles; "
        "bonne note; meilleure note; note maximale; excellente note; bon avis; bons avis; excellent avis; "
        "avis favorable; avis élogieux; très bonne note; note plus élevée; note parfaite"
        "; gentil avis; gentil commentaire"
    ),
    "NEGATIVE": (
        "négatif; négative; négatifs; négatives; mauvais avis; mauvaise note; mauvaise évaluation; 1 étoile; "
        "une étoile; 2 étoiles; note basse; note faible; défavorable; sévère; critique négative"
    ),
    "SATISFIED": (
        "satisfait; satisfaite; satisfaits; content; contente; contents; ravi; ravie; heureux; heureuse"
        "; le produit vous plaît; il vous plaît; vous plaît-il"
        "; satisfaction"
        "; sans accroc; sans souci; bien passé; bien passée"
    ),
    "UNSATISFIED": (
        "insatisfait*; pas satisfait; pas satisfaite; pas content; déçu; déçue; problème*; souci*; "
        "difficulté*; réclamation*; quelque chose ne va pas; mécontent*"
        "; ne vous plaît pas"
    ),
    "ONLY": ("seulement; uniquement; que les; seuls; seules; qu auprès; qu aux; qu à"),
    "CONTACT": (
        "contact*; écrivez nous; écrivez-nous; nous écrire; envoyez nous; message; prévenez nous; "
        "faites le nous savoir; faites nous savoir; dites nous; joindre; nous joindre"
        "; écris nous; à nous; venez nous voir"
        "; laissez nous une chance; laissez nous l occasion; donnez nous une chance; une chance de"
    ),
    "BEFORE": ("avant; avant de; d abord; en premier; plutôt que; au lieu de; préalablement; avant tout"),
    "NEGATION": "ne; n; pas; jamais; aucun; aucune; évitez; éviter; abstenir; abstenez",
    "DISCLAIM": (
        "indépendamment; quel que soit; quelle que soit; sans condition; aucune obligation; sans obligation; "
        "ne dépend pas; n est pas lié; n est pas liée; rien à voir; dans tous les cas; quoi que vous; "
        "nous ne pouvons pas vous demander; nous ne vous demandons pas; libre à vous; votre choix; "
        "entièrement libre"
        "; ne vous demandons pas; pas vous demander; ne pouvons pas vous demander; pas besoin de"
        "; n avez pas à"
        "; aucun lien avec; sans lien avec; n a rien à voir"
    ),
    "METRICS": (
        "santé du compte; santé de notre compte; notre compte; compte vendeur; indicateurs; métriques; "
        "performance vendeur; classement; visibilité; algorithme; buy box; petite entreprise; "
        "entreprise familiale; notre activité; notre boutique; suspension; suspendu; nous pénalise; "
        "nous nuit; nuit à; impacte; pénalise; affecte"
    ),
    "HONEST": "honnête*; sincère*; impartial*",
    "SHARE": (
        "votre opinion; votre expérience; vos impressions; ce que vous en pensez; votre ressenti; "
        "autres clients; autres acheteurs; d autres clients; autres consommateurs; partager votre"
        "; autres parents; d autres parents; aideront d autres; aider d autres"
        "; en entendre parler"
    ),
    "PRONOUN": ("le; la; les; l; vôtre; en; il; elle; celui ci; celle ci"),
    "MESSENGER": (
        "whatsapp; telegram; wechat; viber; skype; signal app; discord; snapchat; messenger; instagram; message privé"
    ),
    "SEARCH": (
        "cherchez nous; recherchez nous; cherchez notre; tapez notre; sur google; via google; trouvez nous; "
        "retrouvez nous"
        "; nom de notre marque; cherchez le nom; recherchez le nom; moteur de recherche"
        "; googlez; googler"
    ),
    "WEBSITE": (
        "notre site; notre site web; notre site internet; notre site officiel; site officiel; "
        "notre boutique en ligne; "
        "notre e boutique; site de la marque; notre propre boutique"
        "; notre chaîne; chaîne youtube; site du fabricant"
    ),
    "OUTSIDE": (
        "en dehors d amazon; hors d amazon; hors amazon; directement par e mail; directement par mail; "
        "e mail personnel; mail personnel; directement avec nous; appelez nous directement"
        "; notre adresse e mail"
        "; plus rapide que la messagerie amazon; plus rapide qu amazon; plus vite que par amazon"
    ),
    "MARKETING": (
        "newsletter; suivez nous; abonnez vous; code promo; code de réduction; nos autres produits; "
        "nouveautés; offre spéciale; offre exclusive; soldes; découvrez notre; "
        "découvrez nos; notre gamme; notre collection; achetez maintenant"
        "; promotions du moment; en promotion"
        "; avant première; clients fidèles; nouvelle gamme; livraison offerte"
        "; répondez oui; répondez simplement oui"
    ),
    "ANNOUNCE": (
        "désormais disponible; maintenant disponible; vient de sortir; bientôt disponible; nouveau modèle; "
        "nouvelle version; nous fabriquons aussi; nous proposons aussi; nous vendons aussi; notre blog; "
        "recette*; joyeux noël; bonnes fêtes; bonne année; le saviez vous"
        "; découvrez aussi; découvrez notre; découvrez nos; nous vous recommandons aussi"
        "; idéale avec; idéal avec"
        # Another product offered as news: back in stock, "complete the set".
        "; de nouveau disponible; à nouveau disponible; de retour en stock"
        "; compléter l ensemble; compléter votre ensemble"
        "; notre vitrine; vitrine de marque; nous proposons aussi; nous avons aussi; nous avons également"
        # Another product of the range, without sale words: just out, coming, the catalogue,
        # "also fits our …", what other customers go for.
        "; vient de paraître; vient de sortir; nouveau coloris; nouvelle couleur; nous lancerons"
        "; nous allons lancer; bientôt en vente; notre catalogue; toute la gamme; toute notre gamme"
        "; le reste de notre gamme; nos autres produits; nos autres modèles; s adapte aussi à notre"
        "; convient aussi à notre; compatible aussi avec notre; beaucoup de clients choisissent"
        "; de nombreux clients choisissent; nos clients associent; dans notre boutique"
        "; sur notre boutique; notre liste d attente"
        # Another product announced for next month.
        "; sortira le mois prochain; sort le mois prochain; lancé le mois prochain"
    ),
    "NEXT_ORDER": "prochaine commande; prochain achat; futures commandes; future commande",
    "REMIND": ("oubliez pas; n oubliez pas; oublier; pensez à; rappel; pensez y"),
    "ORDER": "votre commande; votre colis; livraison; livré; livrée; expédition; suivi; votre article",
    "AND": ("et; ensuite; puis; après quoi"),
    "CUSTOMERS": ("clients; clientes; acheteurs; ceux; celles"),
    "RELATIVE": ("qui"),
    "DELIVER": ("enverr*; envoy*; expédi*; déclench*; débloqu*; libér*; partira; procéderons; procéder"),
    "WISH": (
        "serait; ferait; feraient; aimerait; aimeraient; compterait; compteraient; signifierait; aiderait; aideraient"
    ),
    "NEW_RANGE": ("notre nouvelle; notre nouveau; nos nouveaux; nos nouvelles; nouvelle gamme; avant première"),
    "PROMO": (
        "réduction; remise; pour cent; clients fidèles; livraison offerte; prix spécial"
        "; moins cher; prix réduit; en promotion; soldé"
        "; économisez; économiser"
    ),
    "PHONE": (
        "appeler directement; appelez directement; notre numéro de téléphone; notre hotline; de vive voix"
        "; appelez nous; par téléphone"
    ),
    # What a sentence around a link is about (``content.link_standing``): documentation,
    # the parcel or the after-sale, or selling.
    "GUIDE": (
        "notice; notices; mode d emploi; manuel; manuels; guide*; instructions; installation; montage"
        "; démarrage; prise en main; dépannage; entretien; page d assistance; page d aide; faq"
        "; pas à pas; fiche technique; schéma"
    ),
    "TRACK": (
        "suivi; numéro de suivi; suivre votre colis; transporteur; retour; retours; étiquette de retour"
        "; garantie; facture; rappel"
    ),
    "SHOP": ("acheter; achetez; commander; commandez; boutique; panier; prix; tarif*"),
    # A review word's other sense: the seller's own people or checks ("feedback from our
    # engineers", "a second opinion"), or a mark on the product ("stars engraved on…").
    "OWN": (
        "nos techniciens; notre technicien; nos ingénieurs; notre ingénieur; notre équipe technique"
        "; notre service technique; nos experts; nos développeurs; nos baristas; notre atelier"
        "; contrôle qualité; contrôle de qualité; interne; internes; en interne; second avis"
        "; deuxième avis; usine; gravée; gravées; gravé; gravés; imprimée; imprimées"
        # The product's own signal or a key marked with a star ("audible feedback", "the star button").
        "; sonore; haptique; bip; touche; bouton; icône; symbole; marquée; marqué"
        "; écran; affiche; panneau; tableau de bord"
        # Stars a lamp projects ("the stars the night light projects").
        "; projette; projetées; projetés; projecteur; projection; ciel étoilé; veilleuse"
    ),
    # "Again": with a request about what the buyer posted, it asks for a second look.
    "AGAIN": ("à nouveau; de nouveau; encore une fois; une nouvelle fois; une seconde fois"),
    # The product's own features ("shows WhatsApp notifications"): a messenger named there is no channel.
    "FEATURE": "notification*; alertes; compatible avec; fonctionne avec; intégration",
    # A manufacturer or carrier: Amazon allows their phone numbers.
    "MAKER": "fabricant; fabricants; transporteur*; livreur",
}
