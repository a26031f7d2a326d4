"""The first articles of the library for parents, written for this product in Dutch and
English at B1 reading level. Used by the migration that brings them in; written out here,
not read from the app, so the migration keeps working as the app changes.

Markup: a blank line between paragraphs, ``## `` before a heading, ``- `` before a list item."""

ARTICLES = [
    {
        "title_nl": "Grooming en seksuele uitbuiting: wat er met je kind gebeurt",
        "title_en": "Grooming and sexual exploitation: what is happening to your child",
        "body_nl": """Je merkt dat je kind verandert, maar je weet niet goed waarom. Veel ouders herkennen dat. In deze tekst leggen we uit hoe uitbuiters te werk gaan.

## Wat is grooming?
Grooming betekent dat iemand het vertrouwen van een kind wint, om het daarna te misbruiken. Dat gaat stap voor stap. Eerst krijgt je kind aandacht, complimenten, cadeaus, geld of drugs. Het voelt als vriendschap of als verliefdheid.

Daarna maakt de uitbuiter je kind afhankelijk. Hij zet je kind tegen jou op: "Je ouders begrijpen je niet, ik wel." Dan vraagt hij iets terug. Bijvoorbeeld seks met hem of met anderen, of foto's.

## Waarom vertelt je kind niets?
- Je kind ziet de uitbuiter vaak als vriend of vriendje.
- Je kind schaamt zich of voelt zich schuldig.
- Je kind wordt bedreigd, of er wordt gedreigd dat jou of broertjes en zusjes iets overkomt.
- Je kind weet vaak zelf niet dat het uitbuiting is.

## Het is niet jouw schuld
Uitbuiters zijn slim en doen dit vaker. Het kan elk gezin overkomen. De schuld ligt bij de uitbuiter, niet bij jou en niet bij je kind. Je kind is slachtoffer, ook als het zelf lijkt mee te werken.""",
        "body_en": """You notice that your child is changing, but you do not really know why. Many parents feel this. This text explains how exploiters work.

## What is grooming?
Grooming means that someone wins a child's trust in order to abuse the child later. It happens step by step. First your child gets attention, compliments, presents, money or drugs. It feels like friendship or like being in love.

Then the exploiter makes your child depend on him. He turns your child against you: "Your parents don't understand you, I do." Then he asks for something back. For example sex with him or with others, or photos.

## Why does your child not tell you?
- Your child often sees the exploiter as a friend or boyfriend.
- Your child feels ashamed or guilty.
- Your child is threatened, or told that something will happen to you or to brothers and sisters.
- Your child often does not know that this is exploitation.

## It is not your fault
Exploiters are clever and have done this before. It can happen to any family. The blame lies with the exploiter, not with you and not with your child. Your child is a victim, even when it seems that your child goes along with it.""",
    },
    {
        "title_nl": "Criminele uitbuiting: als je kind voor anderen moet werken",
        "title_en": "Criminal exploitation: when your child is made to work for others",
        "body_nl": """Bij criminele uitbuiting laten volwassenen of oudere jongeren een kind strafbare dingen doen. Bijvoorbeeld drugs vervoeren of verkopen, geld ophalen, spullen bewaren of stelen.

## Hoe het begint
Het begint vaak met iets kleins: een klusje, een pakketje wegbrengen, gratis eten of kleding. Je kind voelt zich belangrijk. Daarna krijgt je kind een "schuld", bijvoorbeeld omdat drugs of geld kwijt zijn. Die schuld moet je kind terugbetalen door te werken.

## Waarom je kind niet stopt
- Je kind is bang voor geweld tegen zichzelf of tegen jullie.
- Je kind denkt dat het zelf strafbaar is en niet naar de politie kan.
- Je kind hoort erbij en krijgt geld en aanzien.

## Wat je moet weten
Je kind is slachtoffer van uitbuiting, ook als het zelf iets strafbaars deed. Vertel je ouderbegeleider wat je ziet. Samen met de politie kijken we hoe je kind veilig kan worden.""",
        "body_en": """In criminal exploitation, adults or older young people make a child do things against the law. For example carrying or selling drugs, collecting money, keeping things hidden or stealing.

## How it starts
It often starts with something small: a job, taking a parcel somewhere, free food or clothes. Your child feels important. Then your child gets a "debt", for example because drugs or money went missing. Your child has to pay the debt back by working.

## Why your child does not stop
- Your child is afraid of violence against them or against your family.
- Your child thinks they have committed a crime and cannot go to the police.
- Your child belongs to a group and gets money and respect.

## What you should know
Your child is a victim of exploitation, even if they did something against the law. Tell your liaison officer what you see. Together with the police we look at how your child can be safe.""",
    },
    {
        "title_nl": "Signalen: waar je op kunt letten",
        "title_en": "Signs: what to look out for",
        "body_nl": """Veel ouders zien eerst losse puzzelstukjes. Eén signaal zegt niet alles. Maar als je meerdere dingen ziet, praat er dan over met je ouderbegeleider.

## Signalen die ouders vaak zien
- Je kind zit 's nachts veel op de telefoon, of heeft een tweede telefoon.
- Je kind blijft weg of komt laat thuis, en zegt niet waar het was.
- Je kind heeft geld, kleding of spullen die het niet zelf kan betalen.
- Er zijn nieuwe, vaak oudere vrienden, bijvoorbeeld jongens op scooters of in auto's.
- Je kind heeft blauwe plekken of andere verwondingen.
- Je kind gebruikt alcohol of drugs.
- Je kind trekt zich terug, is boos of somber, of gaat niet meer naar school.

## Wat je kunt doen
Schrijf op wat je ziet: de datum, het tijdstip, namen, kentekens, telefoonnummers en plaatsen. Bewaar berichten en foto's. Deel dit met je ouderbegeleider of via "Informatie delen" op deze site. Zo kan de politie er iets mee.""",
        "body_en": """Many parents first see loose pieces of a puzzle. One sign does not tell you everything. But if you see several things, talk about it with your liaison officer.

## Signs that parents often see
- Your child is on the phone a lot at night, or has a second phone.
- Your child stays out or comes home late, and does not say where they were.
- Your child has money, clothes or things they cannot pay for themselves.
- There are new, often older friends, for example boys on scooters or in cars.
- Your child has bruises or other injuries.
- Your child uses alcohol or drugs.
- Your child withdraws, is angry or low, or stops going to school.

## What you can do
Write down what you see: the date, the time, names, number plates, phone numbers and places. Keep messages and photos. Share this with your liaison officer or through "Share information" on this site. Then the police can act on it.""",
    },
    {
        "title_nl": "Wat je wel en niet doet",
        "title_en": "Do's and don'ts",
        "body_nl": """Als je ontdekt dat je kind wordt uitgebuit, wil je het liefst meteen ingrijpen. Dat is heel begrijpelijk. Deze tips helpen je om jezelf en je kind veilig te houden.

## Wel doen
- Houd de deur open. Laat je kind weten dat het altijd thuis mag komen, wat er ook gebeurd is.
- Blijf in contact, ook als het moeilijk is. Een kort berichtje helpt al.
- Bewaar bewijs: berichten, foto's, namen, kentekens. Maak screenshots.
- Schrijf op wat er gebeurt, met datum en tijd.
- Bel 112 als je kind of jij in direct gevaar bent.
- Vertel je ouderbegeleider wat je ziet.

## Niet doen
- Ga de uitbuiter niet zelf aanspreken of opzoeken. Dat kan gevaarlijk zijn voor jou en je kind.
- Verwijder geen berichten of foto's van de telefoon van je kind.
- Straf je kind niet hard en neem niet alles af. Daardoor raak je het contact kwijt, en dat is precies wat de uitbuiter wil.
- Maak je kind geen verwijten. Je kind is slachtoffer.""",
        "body_en": """When you find out that your child is being exploited, you want to act straight away. That is very understandable. These tips help you keep yourself and your child safe.

## Do
- Keep the door open. Let your child know they can always come home, whatever happened.
- Stay in contact, even when it is hard. A short message already helps.
- Keep evidence: messages, photos, names, number plates. Take screenshots.
- Write down what happens, with the date and time.
- Call 112 if your child or you are in danger right now.
- Tell your liaison officer what you see.

## Don't
- Do not confront the exploiter or go looking for him. That can be dangerous for you and your child.
- Do not delete messages or photos from your child's phone.
- Do not punish your child harshly or take everything away. You will lose contact, and that is exactly what the exploiter wants.
- Do not blame your child. Your child is a victim.""",
    },
    {
        "title_nl": "Na de aangifte: politie, justitie en de rechtszaak",
        "title_en": "After the police report: police, prosecutor and court",
        "body_nl": """Na een aangifte duurt het vaak lang voordat er iets gebeurt. Soms maanden, soms jaren. Het helpt om te weten welke stappen er zijn.

## De stappen
- De aangifte. Je kind of jij vertelt de politie wat er is gebeurd.
- Het verhoor van je kind. Kinderen worden gehoord in een speciale kindvriendelijke verhoorstudio, door speciaal opgeleide politiemensen.
- Het onderzoek. De politie zoekt bewijs en kan verdachten aanhouden.
- De beslissing van de officier van justitie. Die beslist of de zaak naar de rechter gaat.
- De zitting bij de rechter, en daarna de uitspraak.

## Jouw rechten
Als slachtoffer mag je op de zitting zijn. Je mag vertellen wat het misdrijf met jou en je gezin heeft gedaan (spreekrecht). Je kunt ook een schadevergoeding vragen. Slachtofferhulp Nederland kan je daarbij helpen, gratis.

## Wat je ouderbegeleider doet
Je ouderbegeleider volgt de zaak en vertelt je wat de politie mag delen. Op deze site zie je het nieuws van de politie en de rechtbank. Heb je vragen of twijfel je, bijvoorbeeld of je de aangifte wilt doorzetten? Praat erover met je ouderbegeleider.""",
        "body_en": """After a police report it often takes a long time before anything happens. Sometimes months, sometimes years. It helps to know which steps there are.

## The steps
- The police report. Your child or you tell the police what happened.
- Your child's interview. Children are interviewed in a special child-friendly room, by police officers trained for this.
- The investigation. The police look for evidence and can arrest suspects.
- The prosecutor's decision. The public prosecutor decides whether the case goes to court.
- The court hearing, and then the verdict.

## Your rights
As a victim you may attend the hearing. You may tell the court what the crime did to you and your family (victim statement). You can also ask for compensation. Victim Support (Slachtofferhulp Nederland) can help you with this, free of charge.

## What your liaison officer does
Your liaison officer follows the case and tells you what the police allow us to share. On this site you see the news from the police and the court. Do you have questions or doubts, for example whether to go on with the report? Talk about it with your liaison officer.""",
    },
    {
        "title_nl": "Zorg ook voor jezelf en voor de broers en zussen",
        "title_en": "Looking after yourself and the brothers and sisters",
        "body_nl": """Als je kind wordt uitgebuit, staat je hele gezin onder druk. Veel ouders slapen slecht, zijn bang of boos, en houden het vol tot ze niet meer kunnen. Dat is een normale reactie op een heel zware situatie.

## Zorg voor jezelf
- Je hoeft dit niet alleen te doen. Vraag hulp aan familie, vrienden of je huisarts.
- Neem kleine momenten rust, ook als dat moeilijk voelt.
- Praat met andere ouders die hetzelfde meemaken. Je ouderbegeleider kan je in contact brengen.
- Merk je dat je het niet meer volhoudt? Vertel het je ouderbegeleider of je huisarts.

## De broers en zussen
Broers en zussen merken meer dan je denkt. Zij kunnen bang zijn, jaloers, of zich schuldig voelen. Soms krijgen zij minder aandacht.
- Vertel hen in eenvoudige woorden wat er aan de hand is, passend bij hun leeftijd.
- Maak tijd voor hen alleen.
- Let op hun veiligheid: uitbuiters benaderen soms ook broers of zussen.
- Kinderen kunnen zelf praten met de Kindertelefoon: 0800-0432, gratis en anoniem.""",
        "body_en": """When your child is being exploited, the whole family is under pressure. Many parents sleep badly, feel afraid or angry, and keep going until they cannot any more. That is a normal reaction to a very hard situation.

## Look after yourself
- You do not have to do this alone. Ask for help from family, friends or your doctor.
- Take small moments of rest, even when that feels hard.
- Talk with other parents who go through the same. Your liaison officer can put you in touch.
- Do you feel you cannot keep going? Tell your liaison officer or your doctor.

## The brothers and sisters
Brothers and sisters notice more than you think. They may be afraid, jealous or feel guilty. Sometimes they get less attention.
- Tell them in simple words what is going on, in a way that fits their age.
- Make time for them alone.
- Watch their safety: exploiters sometimes also approach brothers or sisters.
- Children can talk to someone themselves: in the Netherlands the Kindertelefoon, 0800-0432; in the UK Childline, 0800 1111. Free and anonymous.""",
    },
    {
        "title_nl": "Waar vind je hulp en andere ouders?",
        "title_en": "Where to find help and other parents",
        "body_nl": """Naast je ouderbegeleider zijn er meer plekken waar je terecht kunt. Hieronder staan de belangrijkste.

## In een noodsituatie
- Direct gevaar: bel 112.
- Geen spoed, wel politie: bel 0900-8844.

## Hulplijnen
- Veilig Thuis: 0800-2000, gratis, dag en nacht. Voor advies en meldingen over huiselijk geweld en kindermishandeling.
- Kindertelefoon: 0800-0432, gratis en anoniem, voor kinderen en jongeren.
- Slachtofferhulp Nederland: 0900-0101. Gratis hulp voor slachtoffers en hun familie, ook bij de rechtszaak.
- Je huisarts, voor je eigen gezondheid en voor een verwijzing naar hulp.

## Andere ouders
Praten met ouders die hetzelfde hebben meegemaakt, helpt veel ouders. Er zijn lotgenotengroepen voor ouders van uitgebuite kinderen, soms bij hulporganisaties en soms online. Vraag je ouderbegeleider welke groep bij jou past.

Let op: als iemand in huis je telefoon of computer kan bekijken, wis dan je geschiedenis na het bellen of zoeken. Gebruik de knop "Snel deze site verlaten" om deze site meteen te verlaten.""",
        "body_en": """Besides your liaison officer there are more places where you can get help. The most important ones are below.

## In an emergency
- Danger right now: call 112.
- Not urgent, but police: in the Netherlands call 0900-8844.

## Help lines
- Veilig Thuis (the Dutch advice and reporting centre for domestic violence and child abuse): 0800-2000, free, day and night.
- Kindertelefoon (Dutch help line for children): 0800-0432, free and anonymous. In the UK: Childline, 0800 1111.
- Slachtofferhulp Nederland (Victim Support Netherlands): 0900-0101. Free help for victims and their families, also with the court case.
- Your doctor (GP), for your own health and for a referral to help.

## Other parents
Talking with parents who went through the same helps many parents. There are peer groups for parents of exploited children, sometimes at support organisations and sometimes online. Ask your liaison officer which group suits you.

Please note: if someone at home can look at your phone or computer, clear your history after calling or searching. Use the "Leave this site quickly" button to leave this site at once.""",
    },
]
