"""Spanish: the words of each concept the intent rules read (see ``en`` for the format).

Object pronouns attach to the verb ("actualizarla", "elimínela"): the verbs are stems
("actualiz*"), so those forms read as the verb."""

CONCEPTS: dict[str, str] = {
    "REVIEW": (
        "reseña*; opinión; opiniones; valoración*; calificación*; estrella; estrellas; "
        "comentario de cliente; "
        "feedback*; review*; evaluación*; puntuación*; 1 estrella; una estrella; 2 estrellas; dos estrellas; "
        "3 estrellas; tres estrellas; 4 estrellas; cuatro estrellas; 5 estrellas; cinco estrellas; "
        "testimonio*"
        "; estrellitas"
        "; número de estrellas"
    ),
    "WEAK_OBJ": (
        "comentario; comentarios; publicación; lo que escribió; lo que usted escribió; lo que publicó; "
        "sus palabras; su texto; su mensaje público"
        "; foto; fotos; vídeo; unas palabras; unas líneas"
        "; lo que publicaste; lo que escribiste; lo que puso; lo que pusiste; lo que dejó"
        "; lo que dejaste; tu texto; tu comentario"
        "; palabras amables; buenas palabras; lo que dijo; lo que dijiste; lo que comentó"
    ),
    "PLACE": (
        "página del producto; página de producto; ficha del producto; en amazon; públicamente"
        "; público; pública"
        "; ficha; anuncio"
        "; debajo del anuncio; bajo el anuncio; debajo del producto"
        "; página de vendedor; página del vendedor; perfil de vendedor"
    ),
    "WROTE": (
        "usted escribió; ha escrito; escribió; dejó; ha dejado; publicó; ha publicado; puso; otorgó"
        "; escrito; publicado"
        "; publicaste; escribiste; dejaste; pusiste"
    ),
    "CHANGE": (
        "cambi*; actualiz*; elimin*; borr*; quit*; modific*; retir*; edit*; revis*; reconsider*; corregir; "
        "corríja*; corrija*; ajust*; reevalu*; replante*; mejorar la; mejorar su; subir la; subir su; "
        "suba la; suba su; aumentar la; dar de baja; anular; repensar"
        "; modifiq*; actualic*; correg*; corrij*; subirl*"
        "; desaparezca; desaparecer; desaparezcan"
        "; suaviz*; matiz*"
        "; otro vistazo; volver a mirar; mirar de nuevo; releer; vuelva a leer; vuelvas a leer; echarle otro"
        "; ya no; deje de mencionar; haya desaparecido"
        "; reflejaran su; reflejen su; refleje su; reflejara su; correspondan a su; coincidan con su"
        "; actualizado; actualizada; al día; añadir que; añada que; el resto de la historia"
        "; añadir a; añada a; completar su; complete su"
    ),
    "ACT": (
        "dejar; deje; déjenos; déjanos; escribir; escriba; dar; denos; danos; otorgar; valorar; valore; "
        "calificar; califique; evaluar; publicar; publique; compartir; comparta; puntuar; puntúe"
        "; deja; dej*; escribe; escrib*; publica; comparte; cuénteselo; cuéntelo; cuéntenselo"
        "; cuéntaselo; cuéntalo"
        "; cuenta su; cuente su"
    ),
    "VISIBLE": "ver; veamos; veremos; visible; publicada; publicado; en línea; aparezca; aparece",
    "REQUEST": (
        "por favor; favor de; podría; podrías; podrían; le agradeceríamos; agradeceríamos; agradecería; "
        "agradecemos si; nos encantaría; le pedimos; le rogamos; le solicitamos; rogamos; solicitamos; "
        "no dude en; esperamos que; ojalá; considere; considerar; sería posible; nos ayudaría; "
        "significaría mucho; le invitamos; quisiéramos; nos gustaría; te pedimos; tendría la amabilidad; "
        "sería tan amable"
        "; sería justo; sería genial; sería estupendo"
        "; dispuesto; dispuesta; esperamos; nos haría; ayudaría*"
        "; la amabilidad; haría feliz*"
        "; le importaría; importaría; les importaría; te importaría"
        "; sería tan amable; serías tan amable"
        "; justo que"
        "; alguna posibilidad; habría posibilidad; sería posible"
    ),
    "BUYER": ("usted; ustedes; tú; puede; podrá"),
    "SELLER": "nosotros; nuestro equipo; hemos; estamos; vamos a",
    "THIRD": "amazon ha; amazon puede; amazon va",
    "VALUE": (
        "reembols*; devolución del dinero; descuento*; cupón*; cupon*; vale de compra; vale regalo; "
        "vale descuento; tarjeta regalo; "
        "tarjeta de regalo; cheque regalo; regalo*; gratis; gratuit*; compens*; bonificación*; recompens*; "
        "dinero; pago; reemplazo; sustitución; producto de reemplazo; saldo restante; resto del; "
        "código promocional; garantía extendida; ampliación de garantía; premio*"
        "; la diferencia; el importe; devolveremos"
        "; euro; euros; eur"
        "; regal*; devolvemos; le devolvemos; te devolvemos; sin coste; sin costo; sin cargo"
        "; ampliamos; ampliación; prioridad; prioritari*"
        "; transferencia; transferimos"
        "; el vale; un vale; los vales"
        "; sorteo; sorteamos"
    ),
    "COND": (
        "si; en cuanto; una vez que; una vez; después de; después de que; cuando; tan pronto como; "
        "siempre que; con tal de que; a condición de; hasta que"
        # A reward for whoever does something is one on condition ("Wer … erzählt, bekommt …").
        "; quien; quienes; los clientes que"
    ),
    "EXCHANGE": (
        "a cambio; como agradecimiento; en agradecimiento; para agradecerle; en compensación; "
        "como muestra de agradecimiento; en contrapartida"
        "; por adelantado; anticipado; de antemano"
        "; participa en; participan en; participar en; entra en; entran en"
    ),
    "FOR": "por; por cada; para",
    "THANKS": "gracias; agradecemos su; agradecerle; hemos leído; hemos visto",
    "POSITIVE": (
        "positiva; positivo; positivas; positivos; 5 estrellas; cinco estrellas; 4 estrellas; "
        "cuatro estrellas; buena reseña; buena valoración; buena opinión; buena calificación; "
        "mejor valoración; mejor calificación; mejor reseña; valoración más alta; calificación más alta; "
        "excelente reseña; máxima puntuación; puntuación máxima; favorable"
        "; cinco estrellitas"
        "; reseña amable; bonita reseña"
    ),
    "NEGATIVE": (
        "negativa; negativo; negativas; negativos; mala reseña; mala opinión; mala valoración; "
        "mala calificación; 1 estrella; una estrella; 2 estrellas; baja valoración; baja calificación; "
        "desfavorable; crítica"
    ),
    "SATISFIED": (
        "satisfech*; content*; encantad*; le gusta; le gustó; feliz; a gusto; buena experiencia"
        "; sin incidencias; ha ido bien; salió bien; fue bien"
    ),
    "UNSATISFIED": (
        "insatisfech*; no está satisfecho; no está satisfecha; no quedó satisfecho; decepcionad*; problema*; "
        "inconveniente*; incidencia*; queja*; algo no va bien; algo va mal; mala experiencia; descontent*"
    ),
    "ONLY": "solo; sólo; solamente; únicamente",
    "CONTACT": (
        "contact*; escríbanos; escríbenos; envíenos; envíanos; mensaje; avísenos; avísanos; comuníquese; "
        "comuníquenoslo; háganoslo saber; díganos; dinos; póngase en contacto"
        "; acuda a nosotros; a nosotros"
        "; denos la oportunidad; denos una oportunidad; danos la oportunidad; la oportunidad de"
    ),
    "BEFORE": "antes; antes de; primero; en lugar de; en vez de; previamente",
    "NEGATION": "no; nunca; jamás; ningún; ninguna; evite; evitar; absténgase; abstenerse",
    "DISCLAIM": (
        "independientemente; sin importar; sin condición; sin condiciones; sin obligación; "
        "ninguna obligación; "
        "no depende; no está ligado; no está vinculado; nada que ver; en cualquier caso; "
        "decida lo que decida; "
        "no podemos pedirle; no le pedimos; su decisión; usted decide; es libre de"
        "; no le pedimos; no podemos pedirle; no le pediremos; no tiene que; no es necesario"
    ),
    "METRICS": (
        "salud de la cuenta; salud de nuestra cuenta; nuestra cuenta; cuenta de vendedor; métricas; "
        "indicadores; rendimiento del vendedor; clasificación; posicionamiento; visibilidad; algoritmo; "
        "buy box; pequeña empresa; pequeño negocio; empresa familiar; negocio familiar; nuestro negocio; "
        "suspensión; suspendida; nos perjudica; perjudica; afecta; nos afecta; nos penaliza"
    ),
    "HONEST": "honest*; sincer*; imparcial",
    "SHARE": (
        "su opinión; su experiencia; sus impresiones; lo que piensa; qué le parece; otros clientes; "
        "otros compradores; demás clientes; compartir su; comparta su"
        "; otras familias"
        "; qué le parece*; qué te parece*; cuente qué; contara qué; cuente cómo; contara cómo"
        "; su valoración del"
        "; saber de usted en amazon"
    ),
    "PRONOUN": ("la; lo; las; los; suya; suyo"),
    "MESSENGER": (
        "whatsapp; telegram; wechat; viber; skype; signal app; discord; snapchat; messenger; instagram; "
        "mensaje privado; mensaje directo"
        "; chat en directo; chat en vivo"
    ),
    "SEARCH": (
        "búsquenos; búsquennos; buscarnos; busque nuestra; busque nuestro; en google; por google"
        "; encuéntrenos"
        "; buscar el nombre; busque el nombre; buscar la marca"
        "; nombre de nuestra marca; buscador"
        "; googlee; buscarnos en google"
    ),
    "WEBSITE": (
        "nuestra web; nuestra página web; nuestro sitio; nuestro sitio web; nuestra tienda online; "
        "nuestra tienda en línea; nuestra propia tienda; página oficial; web oficial; sitio oficial; "
        "nuestra página oficial"
        "; web del fabricante; canal de youtube; nuestro canal"
    ),
    "OUTSIDE": (
        "fuera de amazon; al margen de amazon; directamente por correo; correo personal; correo privado; "
        "directamente con nosotros; llámenos directamente"
        "; nuestro correo"
        "; más rápido que amazon; más rápido que por amazon; más rápido que los mensajes de amazon"
    ),
    "MARKETING": (
        "newsletter; boletín; síganos; suscríbase; código promocional; código de descuento; "
        "nuestros otros productos; novedades; oferta especial; oferta exclusiva; promoción*; rebajas; "
        "descubra nuestra; descubra nuestros; nuestra gama; nuestra colección; "
        "compre ahora"
        "; aproveche; 2x1; no se la pierda; no se lo pierda; clientes fieles"
        "; responda sí; responda con un sí"
    ),
    "ANNOUNCE": (
        "ya disponible; ahora disponible; acaba de salir; próximamente; nuevo modelo; nueva versión; "
        "también fabricamos; también vendemos; también ofrecemos; nuestro blog; receta*; feliz navidad; "
        "felices fiestas; feliz año; sabía que"
        "; novedad; ya está disponible"
        "; le recomendamos también; recomendamos también; descubra nuestra; descubra nuestro"
        "; descubra también; perfecta para esta; perfecto para este"
        # Another product offered as news: back in stock, "complete the set".
        "; vuelve a estar disponible; de nuevo disponible; otra vez disponible"
        "; completar el conjunto; completar su conjunto"
        "; nuestra tienda de amazon; en nuestra tienda; también tenemos; tenemos también"
        # Another product of the range, without sale words: just out, coming, the catalogue,
        # "also fits our …", what other customers go for.
        "; acaba de salir; nuevo color; lanzaremos; vamos a lanzar; en cuanto salga"
        "; cuando salga el; nuestro catálogo; toda la gama; toda nuestra gama"
        "; el resto de nuestra gama; nuestros otros productos; nuestros otros modelos"
        "; también encaja en nuestro; sirve también para nuestro; muchos clientes eligen"
        "; muchos clientes optan; muchos clientes combinan; nuestra lista de espera"
        "; nuestra lista para avisarle"
        # Another product announced for next month.
        "; saldrá el mes que viene; saldrá el próximo mes; sale el mes que viene"
    ),
    "NEXT_ORDER": "próximo pedido; próxima compra; futuros pedidos; futuras compras",
    "REMIND": ("olvide; no olvide; olvidar; recuerde; recordatorio; tenga en cuenta; téngalo en cuenta"),
    "ORDER": "su pedido; su paquete; entrega; entregado; envío; seguimiento; su artículo",
    "AND": ("y; después; luego; a continuación"),
    "CUSTOMERS": ("clientes; compradores; quienes"),
    "RELATIVE": ("que"),
    "DELIVER": ("enviamos; enviaremos; liberamos; liberaremos; tramitamos; tramitaremos; procederemos; proceder"),
    "WISH": ("sería; haría; harían; alegraría*; encantaría; significaría; contaría; ayudaría; ayudarían"),
    "NEW_RANGE": ("nuestra nueva; nuestro nuevo; lanzamos; lanzaremos"),
    "PROMO": (
        "descuento; por ciento; 2x1; clientes fieles; precio especial; más barato; rebajado; rebaja*; en oferta"
        "; ahorra; ahorre; ahorrar"
    ),
    "PHONE": ("nuestro teléfono; llámenos; llámanos; por teléfono; nuestra línea"),
    # What a sentence around a link is about (``content.link_standing``): documentation,
    # the parcel or the after-sale, or selling.
    "GUIDE": (
        "manual; manuales; guía; guías; instrucciones; instalación; montaje; puesta en marcha"
        "; primeros pasos; configuración; solución de problemas; cuidado; mantenimiento"
        "; página de soporte; página de ayuda; faq; paso a paso; ficha técnica; esquema"
    ),
    "TRACK": (
        "seguimiento; número de seguimiento; transportista; mensajería; devolución; devoluciones"
        "; etiqueta de devolución; garantía; factura"
    ),
    "SHOP": ("comprar; comprarlo; comprarla; cómprelo; tienda; carrito; precio; precios"),
    # A review word's other sense: the seller's own people or checks ("feedback from our
    # engineers", "a second opinion"), or a mark on the product ("stars engraved on…").
    "OWN": (
        "nuestros técnicos; nuestro técnico; nuestros ingenieros; nuestro ingeniero"
        "; nuestro equipo técnico; nuestro servicio técnico; nuestros expertos; nuestros baristas"
        "; nuestro taller; control de calidad; interno; interna; internos; segunda opinión; fábrica"
        "; grabadas; grabada; grabado; grabados; impresas"
        # The product's own signal or a key marked with a star ("audible feedback", "the star button").
        "; acústica; acústico; háptica; háptico; pitido; botón; tecla; icono; símbolo; marcada; marcado"
        "; pantalla; panel; indican el modo"
        # Stars a lamp projects ("the stars the night light projects").
        "; proyecta; proyectadas; proyectados; proyector; proyección; cielo estrellado; luz nocturna; quitamiedos"
    ),
    # "Again": with a request about what the buyer posted, it asks for a second look.
    "AGAIN": ("de nuevo; otra vez; nuevamente; una vez más"),
    # The product's own features ("shows WhatsApp notifications"): a messenger named there is no channel.
    "FEATURE": "notificaci*; alertas; avisos de; compatible con; funciona con; integración",
    # A manufacturer or carrier: Amazon allows their phone numbers.
    "MAKER": "fabricante; fabricantes; transportista*; mensajería",
}
