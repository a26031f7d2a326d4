"""The names, places and phrases the generated families are made of."""

DEMO_DOMAIN = "demo.liaison.test"
DEMO_PASSWORD = "demo-Liaison-2026"  # noqa: S105  # nosec B105 - demo accounts only
FAMILIES_PER_OFFICER = 25
OFFICERS_PER_TEAM = 10
TEAMS_PER_POLICE_UNIT = 2
POLICE_PER_UNIT = 3
CHUNK_FAMILIES = 200
BATCH_SIZE = 2000
# The marker of generated staff: the first officer's address.
FIRST_OFFICER_EMAIL = f"officer-0000@{DEMO_DOMAIN}"

SURNAMES = [
    "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
    "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
    "de Graaf", "van der Meer", "Yilmaz", "El Amrani", "Kaya", "Demir", "Öztürk", "Bouzid", "Nguyen", "Pinas",
    "Martina", "Kok", "Jacobs", "Vermeulen", "van Dijk", "Willems", "Hoekstra", "Koster", "Prins", "Huisman",
]  # fmt: skip
GIRLS = ["Lisa", "Noor", "Sara", "Emma", "Selin", "Fenna", "Yasmin", "Julia", "Lotte", "Amira", "Zoë", "Nina"]
BOYS = ["Daan", "Sem", "Milan", "Ayoub", "Luuk", "Jayden", "Mohamed", "Thijs", "Bram", "Noah", "Kerem", "Finn"]
MOTHERS = ["Marieke", "Fatma", "Anouk", "Samira", "Ingrid", "Esther", "Naima", "Petra", "Linda", "Hatice"]
FATHERS = ["Peter", "Mehmet", "Jeroen", "Karim", "Erik", "Dennis", "Hassan", "Marco", "Ronald", "Ahmed"]
CITIES = ["Noord", "Zuid", "Oost", "West", "Midden", "Rijnmond", "Twente", "Haaglanden", "Brabant", "Limburg"]
SCHOOLS = ["Noorderpoort College", "Het Lyceum", "ROC Midden", "De Brug", "Stedelijk College", "Montessori Lyceum"]
CONTACT_KINDS = ["home_visit", "phone", "message", "meeting", "with_police", "multi_agency"]
SUMMARIES = [
    "Uitleg gegeven over hoe grooming werkt; ouders zien het gedrag van hun kind nu in een ander licht.",
    "Ouders vertelden over nachtelijk telefoongebruik en een oudere jongen op een scooter.",
    "Samen bewijs leren bewaren (screenshots, kentekens, tijden) en niet de confrontatie aangaan.",
    "Moeder slaapt slecht en durft haar dochter niet alleen te laten; lotgenotencontact besproken.",
    "Gesprek met school over verzuim; mentor let op wie het kind ophaalt.",
    "Vader wil verhaal halen bij de uitbuiter; besproken waarom dat het kind in gevaar brengt.",
    "Ouders hebben het veiligheidsplan doorgenomen met de broertjes; afspraken over ophalen gemaakt.",
    "Multidisciplinair overleg: jeugdzorg en politie stemmen af wie het gesprek met het kind voert.",
    "Kind was twee nachten weg; ouders hebben het goed aangepakt en direct de politie gebeld.",
    "Ouders merken dat hun kind weer vaker thuis eet en minder geld heeft; voorzichtig positief.",
]
ACTIONS = [
    "Screenshots doorgeven aan de zedenpolitie",
    "Contact opnemen met school",
    "Huisarts vragen naar slaapproblemen moeder",
    "Lotgenotengroep aanmelden",
    "Jeugdzorg informeren over de vermissing",
    "Kenteken scooter noteren en doorgeven",
]
INCIDENTS = [
    ("intimidation", "Een auto reed drie keer langzaam langs het huis; de bestuurder keek naar binnen."),
    ("harassment", "Onbekenden belden 's nachts herhaaldelijk met afgeschermd nummer."),
    ("online_threat", "Via sociale media kwam een bericht dat het kind 'een schuld' heeft."),
    ("stalking", "Dezelfde jongen stond drie dagen na elkaar bij de school."),
    ("damage", "De ruit van de voordeur is ingegooid."),
]
STATEMENTS = {
    "warning_signs": ["Nieuwe kleding of telefoon zonder uitleg.", "Laat thuiskomen, gespannen na telefoontjes."],
    "parents_do": ["Bewijs bewaren: screenshots, kentekens, tijden.", "De deur openhouden: het kind is welkom."],
    "parents_do_not": ["Niet zelf de confrontatie aangaan met de uitbuiter.", "Geen telefoon afpakken als straf."],
    "child_can": ["Bellen of appen naar mama of naar de ouderbegeleider.", "Naar oma gaan als het thuis te veel is."],
    "siblings": ["Broertje wordt door opa van school gehaald.", "Zusje weet wie ze kan bellen."],
    "risks": ["Ronselen via sociale media en via oudere vrienden.", "Schulden die 'afbetaald' moeten worden."],
}
AGENCY_KINDS = ["youth_care", "police_vice", "veilig_thuis", "school", "child_protection", "health_care"]
