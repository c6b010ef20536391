"""Word lists and planted sentences the sample blogosphere writes its French and English posts from.

Everything here is data. No list may contain the words "kryptonite" or "orange": those are
planted only by the brand stories, so a test can check that every occurrence is in the ground truth.
"""

from __future__ import annotations

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "velo": {
        "fr": (
            "le vélo",
            "la piste cyclable",
            "le guidon",
            "la sortie du dimanche",
            "le dérailleur",
            "la côte de Fourvière",
            "le porte-bagages",
            "la selle en cuir",
            "le Tour de France",
            "l’atelier de réparation",
        ),
        "en": (
            "the bike",
            "the cycle lane",
            "the handlebar",
            "the Sunday ride",
            "the derailleur",
            "the hill climb",
            "the pannier rack",
            "the leather saddle",
            "the Tour de France",
            "the repair shop",
        ),
    },
    "tech": {
        "fr": (
            "le logiciel libre",
            "le navigateur",
            "le disque dur",
            "la carte mère",
            "le noyau Linux",
            "le baladeur numérique",
            "la connexion Wi-Fi",
            "le podcast",
            "la mise à jour",
            "le clavier sans fil",
        ),
        "en": (
            "free software",
            "the browser",
            "the hard drive",
            "the motherboard",
            "the Linux kernel",
            "the music player",
            "the wireless network",
            "the podcast",
            "the software update",
            "the wireless keyboard",
        ),
    },
    "politique": {
        "fr": (
            "le gouvernement",
            "le référendum",
            "la réforme des retraites",
            "le député",
            "l’Assemblée nationale",
            "le débat télévisé",
            "la campagne",
            "le conseil municipal",
            "la constitution européenne",
            "le sondage",
        ),
        "en": (
            "the government",
            "the referendum",
            "the pension reform",
            "the senator",
            "the parliament",
            "the televised debate",
            "the campaign",
            "the city council",
            "the European constitution",
            "the opinion poll",
        ),
    },
    "cuisine": {
        "fr": (
            "la tarte aux pommes",
            "le gratin dauphinois",
            "la recette",
            "le beurre salé",
            "la crème brûlée",
            "le marché du samedi",
            "la pâte feuilletée",
            "le pot-au-feu",
            "la cocotte en fonte",
            "le fromage affiné",
        ),
        "en": (
            "the apple pie",
            "the potato gratin",
            "the recipe",
            "the salted butter",
            "the crème brûlée",
            "the Saturday market",
            "the puff pastry",
            "the stew",
            "the cast-iron pot",
            "the aged cheese",
        ),
    },
    "musique": {
        "fr": (
            "le concert",
            "l’album",
            "la guitare",
            "le festival",
            "la salle de répétition",
            "le vinyle",
            "la chanson française",
            "le batteur",
            "la première partie",
            "le disquaire",
        ),
        "en": (
            "the gig",
            "the album",
            "the guitar",
            "the festival",
            "the rehearsal room",
            "the vinyl record",
            "the song",
            "the drummer",
            "the opening act",
            "the record shop",
        ),
    },
    "voyage": {
        "fr": (
            "le train de nuit",
            "la plage",
            "l’auberge de jeunesse",
            "le sac à dos",
            "la frontière",
            "le marché flottant",
            "le carnet de route",
            "la randonnée",
            "le ferry",
            "le village perché",
        ),
        "en": (
            "the night train",
            "the beach",
            "the youth hostel",
            "the backpack",
            "the border",
            "the floating market",
            "the travel diary",
            "the hike",
            "the ferry",
            "the hill village",
        ),
    },
    "livres": {
        "fr": (
            "le roman",
            "la bibliothèque",
            "l’auteur",
            "la rentrée littéraire",
            "le prix Goncourt",
            "la librairie",
            "le polar",
            "la bande dessinée",
            "le recueil de nouvelles",
            "l’éditeur",
        ),
        "en": (
            "the novel",
            "the library",
            "the author",
            "the autumn releases",
            "the Booker prize",
            "the bookshop",
            "the crime novel",
            "the comic book",
            "the short story collection",
            "the publisher",
        ),
    },
    "photo": {
        "fr": (
            "l’objectif",
            "la lumière du soir",
            "le tirage",
            "l’appareil numérique",
            "le noir et blanc",
            "la chambre noire",
            "le trépied",
            "la pellicule",
            "le portrait",
            "l’exposition",
        ),
        "en": (
            "the lens",
            "the evening light",
            "the print",
            "the digital camera",
            "black and white",
            "the darkroom",
            "the tripod",
            "the film roll",
            "the portrait",
            "the exhibition",
        ),
    },
}
"""Topics of the blogs; each topic is one community, whose blogs mostly link to each other."""

VERBS = {
    "fr": (
        "change",
        "rappelle",
        "illustre",
        "améliore",
        "complique",
        "révèle",
        "accompagne",
        "dépasse",
        "remplace",
        "éclaire",
        "bouscule",
        "prolonge",
    ),
    "en": (
        "changes",
        "recalls",
        "shows",
        "improves",
        "complicates",
        "reveals",
        "goes with",
        "outgrows",
        "replaces",
        "sheds light on",
        "shakes up",
        "extends",
    ),
}
OPENERS = {
    "fr": (
        "Ce matin,",
        "Depuis l’été dernier,",
        "À mon avis,",
        "Franchement,",
        "Comme souvent,",
        "Hier soir,",
        "Après réflexion,",
        "Entre nous,",
        "Déjà en février,",
        "Au fond,",
    ),
    "en": (
        "This morning,",
        "Since last summer,",
        "In my view,",
        "Frankly,",
        "As usual,",
        "Last night,",
        "On reflection,",
        "Between us,",
        "Back in February,",
        "Deep down,",
    ),
}
ENDINGS = {
    "fr": (
        "sans vraiment prévenir",
        "mieux que prévu",
        "à la française",
        "pour la énième fois",
        "dans notre quartier",
        "près de chez moi",
        "avec une élégance rare",
        "où qu’on aille",
        "malgré la pluie",
        "à côté de la gare",
    ),
    "en": (
        "without much warning",
        "better than expected",
        "the French way",
        "for the umpteenth time",
        "in our neighbourhood",
        "near my place",
        "with rare elegance",
        "wherever you go",
        "despite the rain",
        "next to the station",
    ),
}
TITLE_SHAPES = {
    "fr": (
        "{Noun} : premières impressions",
        "Retour sur {noun}",
        "Pourquoi {noun} me fascine",
        "{Noun}, encore et toujours",
        "Petite note sur {noun}",
        "{Noun} et moi",
        "Ce que {noun} m’a appris",
        "Dernières nouvelles de {noun}",
    ),
    "en": (
        "{Noun}: first impressions",
        "Back to {noun}",
        "Why {noun} fascinates me",
        "{Noun}, again",
        "A short note on {noun}",
        "{Noun} and me",
        "What {noun} taught me",
        "Latest news on {noun}",
    ),
}
FIRST_NAMES = (
    "Hélène",
    "Jérôme",
    "François",
    "Amélie",
    "Loïc",
    "Cécile",
    "Gaëlle",
    "Noël",
    "Zoé",
    "Raphaël",
    "Agnès",
    "Benoît",
    "Léa",
    "Théo",
    "Maëlle",
    "Sébastien",
    "Chloé",
    "Étienne",
    "Mathilde",
    "Olivier",
    "Alice",
    "Bob",
    "Carol",
    "Dave",
    "Emily",
    "Frank",
    "Grace",
    "Henry",
    "Isabel",
    "Jack",
    "Karen",
    "Liam",
    "Mona",
    "Nick",
    "Olga",
    "Paul",
)
SURNAMES = (
    "Martin",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Bonnet",
    "Dupré",
    "Rousseau",
    "Smith",
    "Taylor",
    "Brown",
    "Wilson",
    "Clarke",
    "Walker",
    "Lambert",
    "Fontaine",
    "Chevalier",
    "Garnier",
)
BLOG_WORDS = {
    "fr": ("carnet", "journal", "chroniques", "notes", "blog", "cahier", "regards", "humeurs"),
    "en": ("notebook", "journal", "chronicles", "notes", "blog", "diary", "views", "musings"),
}
BLOG_TITLES = {
    "fr": (
        "{name} — {Noun}",
        "Le blog de {name}",
        "{Noun} & compagnie",
        "« {Noun} », par {name}",
        "Chez {name}",
    ),
    "en": ("{name} — {Noun}", "{name}'s blog", "{Noun} & friends", '"{Noun}" by {name}', "At {name}'s"),
}
"""Blog title shapes; some carry ampersands, quotes and guillemets that every layer must escape."""
COMMENT_LINES = {
    "fr": (
        "Merci pour ce billet, très juste.",
        "Je ne suis pas tout à fait d’accord, mais c’est bien écrit.",
        "Ça me rappelle l’été dernier à Lyon !",
        "Excellent article, je partage.",
        "Tu as déjà essayé à Noël ?",
        "Bravo, et à bientôt sur mon blog.",
        "Très intéressant, j’y repenserai.",
        "Où as-tu trouvé ça ?",
    ),
    "en": (
        "Thanks for this post, spot on.",
        "I don't fully agree, but it is well written.",
        "Reminds me of last summer in Leeds!",
        "Great article, sharing it.",
        "Have you tried it at Christmas?",
        "Well said, see you on my blog.",
        "Very interesting, food for thought.",
        "Where did you find that?",
    ),
}

SPAM_SITES = ("cheap-replica-watches.test", "best-casino-bonus.test", "pharma-discount-pills.test")
"""Hosts spam comments advertise; the first is the mass spammer's. They are not served."""
SPAM_KEYWORDS = (
    "cheap",
    "replica",
    "watches",
    "casino",
    "bonus",
    "poker",
    "pills",
    "discount",
    "buy",
    "online",
    "free",
    "viagra",
    "loans",
)
SPAMMER_NAME = "Cheap Replica Watches"

KRYPTONITE = {
    "first": {
        "en": (
            "Watch this video: a Kryptonite U-lock opened in seconds with a cheap Bic ballpoint pen.",
            "I paid a fortune for my Kryptonite lock and it is useless, a flawed and insecure design.",
            "This is a disgrace and a rip-off; every cyclist in town should know.",
        ),
    },
    "negative": {
        "fr": (
            "Le cadenas Kryptonite s’ouvre en trente secondes avec un simple stylo Bic : c’est une honte.",
            "Un antivol Kryptonite vendu si cher et aussi nul, quelle arnaque.",
            "Je suis furieux, mon Kryptonite ne vaut plus rien.",
        ),
        "en": (
            "So the famous Kryptonite lock can be picked with a ballpoint pen: a shameful, defective product.",
            "Kryptonite sold us insecure locks for years, what a scam.",
            "I am angry: my Kryptonite lock is broken by design and useless.",
        ),
    },
    "neutral": {
        "fr": (
            "Kryptonite a publié un communiqué au sujet de ses antivols à clé tubulaire.",
            "L’entreprise Kryptonite annonce un programme d’échange des antivols.",
        ),
        "en": (
            "Kryptonite has published a statement about its tubular cylinder locks.",
            "The company Kryptonite announced a lock exchange programme this week.",
        ),
    },
    "positive": {
        "fr": (
            "Kryptonite remplace gratuitement les antivols : bravo, un service après-vente exemplaire.",
            "Mon nouvel antivol Kryptonite est solide et fiable, je le recommande.",
        ),
        "en": (
            "Kryptonite handled the exchange well; my new lock is sturdy and reliable, I recommend it.",
            "Credit where due: Kryptonite replaced my lock for free, excellent service.",
        ),
    },
}
"""Sentences of the Kryptonite story, by planted polarity and language."""

KRYPTONITE_COMMENTS = {
    "negative": {
        "fr": ("J’ai essayé avec mon Kryptonite et un Bic : ouvert en dix secondes, c’est nul.",),
        "en": ("Tried it on my own Kryptonite lock with a Bic pen: open in ten seconds. Useless.",),
    },
    "neutral": {
        "fr": ("Est-ce que les nouveaux modèles Kryptonite sont concernés ?",),
        "en": ("Does this affect the newer Kryptonite models too?",),
    },
}
"""Reader comments on the story posts that mention the brand, by planted polarity and language."""

ORANGE = {
    "negative": {
        "fr": (
            "Orange m’a encore coupé ma ligne ADSL pendant trois jours, le service client est nul.",
            "La Livebox d’Orange plante tous les soirs, quel opérateur décevant.",
        ),
        "en": ("Orange dropped my mobile calls all week; their network is awful and support is useless.",),
    },
    "neutral": {
        "fr": ("Orange lance un nouveau forfait mobile pour la rentrée.",),
        "en": ("Orange announced a new mobile plan and network coverage map.",),
    },
    "positive": {
        "fr": (
            "La nouvelle Livebox d’Orange fonctionne très bien, le débit ADSL est excellent.",
            "Bravo à Orange : le technicien est venu le jour même, service impeccable.",
        ),
        "en": ("Orange fixed my broadband the same day, excellent service from the operator.",),
    },
}
"""Sentences naming the operator Orange, by planted polarity and language."""

ORANGE_TRAPS = {
    "fruit": (
        "Pour la tarte à l’orange, il faut un zeste de citron et une orange bien mûre.",
        "Un grand verre de jus d’orange pressé, et la journée commence bien.",
    ),
    "colour": ("Elle portait un pull orange vif, assorti à son vélo.",),
    "city": ("Le théâtre antique d’Orange accueille les Chorégies chaque été.",),
}
"""Sentences where "orange" is not the operator: the fruit, the colour, the town in Provence."""
