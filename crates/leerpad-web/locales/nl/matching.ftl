## Matching
matches-empty-profile = Je profiel heeft nog geen vaardigheden. Vul je beroep in, kies vaardigheden of plak je cv. Dan laten we zien waar je kansen liggen.
plan-no-gap = Je hebt alle vaardigheden voor dit beroep al. Je hebt geen opleiding nodig.
plan-no-offers = We vonden geen opleiding die past en je ontbrekende vaardigheden leert. Kijk verder weg of kies ook online.
plan-teaches = Leert je { $count } van je { $total } ontbrekende belangrijke vaardigheden: { $skills }.
plan-teaches-optional = Leert je { $count } extra vaardigheden die bij dit beroep handig zijn.
plan-and-more = { $list } en nog { $more }
plan-cost-free = Kost jou niets.
plan-cost = Kost jou { $net }.
plan-cost-after = Kost jou { $net } (in plaats van { $gross }) dankzij { $schemes }.
plan-level-demanding = Het niveau is hoger dan je opleiding: dit kan zwaar zijn.
plan-level-below = Het niveau is lager dan je opleiding.
plan-long = Met jouw uren per week duurt het ongeveer { $weeks } weken.
plan-over-budget = Dit past niet meer in je budget.
nav-skills = Mijn vaardigheden
nav-chances = Mijn kansen
travel-online_only = Alleen online
travel-municipality = In mijn gemeente
travel-region = In mijn regio
travel-province = In mijn provincie
travel-anywhere = Overal in Nederland
direction-growing = groeit
direction-stable = stabiel
direction-shrinking = krimpt
profile-title = Mijn vaardigheden
profile-intro = Vertel wat je kunt. Dan zoeken we beroepen die bij je passen en opleidingen die je verder helpen.
profile-jobs = Mijn werk
profile-no-jobs = Je hebt nog geen beroep ingevuld.
profile-job-title = Wat voor werk doe of deed je?
profile-job-hint = Bijvoorbeeld: verzorgende IG, lasser, administratief medewerker.
profile-add-job = Beroep toevoegen
profile-remove = Verwijderen
profile-skills = Mijn vaardigheden
profile-no-skills = Je hebt nog geen vaardigheden.
profile-origin-picked = Zelf gekozen
profile-origin-occupation = Uit mijn werk
profile-origin-cv = Uit mijn cv
profile-find-skill = Zoek een vaardigheid
profile-find = Zoeken
profile-found-none = Niets gevonden. Probeer een ander woord.
profile-add = Toevoegen
profile-cv = Mijn cv
profile-cv-label = Plak de tekst van je cv
profile-cv-hint = We zoeken er vaardigheden in. Jij kiest daarna welke je bewaart. We bewaren de tekst zelf niet.
profile-cv-find = Vaardigheden zoeken
profile-cv-review = Deze vaardigheden vonden we. Vink aan wat klopt.
profile-cv-save = Gekozen vaardigheden bewaren
profile-situation = Mijn situatie
profile-travel = Hoe ver wil je reizen?
profile-hours = Uren per week voor leren
profile-budget = Hoeveel wil je zelf betalen? (euro)
profile-budget-hint = Laat leeg als je dat niet weet.
profile-save = Opslaan
profile-to-chances = Bekijk mijn kansen
profile-error-title = We vonden geen beroep bij deze naam. Probeer andere woorden.
profile-error-cv = Plak eerst de tekst van je cv (hoogstens 20.000 tekens).
profile-error-cv-nothing = We vonden geen vaardigheden in deze tekst. Kies ze zelf hierboven.
profile-error-municipality = Deze gemeente kennen we niet. Schrijf de naam zoals op een adres.
profile-error-hours = Vul een aantal uren in tussen 1 en 80.
profile-error-budget = Vul een bedrag in hele euro's in.
chances-title = Mijn kansen
chances-intro = Beroepen die passen bij wat je kunt, en hoeveel werk er is.
chances-region = Werk in de regio { $region }.
chances-to-profile = Naar mijn vaardigheden
chances-score = Hoe goed het past
chances-have = Je hebt { $had } van de { $total } belangrijke vaardigheden.
chances-missing = Je mist nog
chances-demand = Vraag
chances-national = heel Nederland
chances-vacancies = { $count ->
    [one] 1 vacature
   *[other] { $count } vacatures
}
chances-seekers = { $count ->
    [one] 1 werkzoekende
   *[other] { $count } werkzoekenden
}
chances-growth-move = Van een krimpende naar een groeiende sector
chance-back = Terug naar mijn kansen
chance-summary = Je hebt { $had } belangrijke vaardigheden voor dit beroep. Je mist er nog { $missing }.
chance-gap = Wat je nog mist
chance-other-skills = Overige vaardigheden
chance-essential = belangrijk
chance-plan = Jouw leerplan
chance-plan-summary = Deze opleidingen leren je { $covered } van de { $total } belangrijke vaardigheden die je mist. Samen kosten ze jou { $net } (zonder regelingen { $gross }).
chance-coverage = Deel van wat je mist dat het plan leert
chance-price = Jij betaalt
chance-instead-of = in plaats van
chance-alternatives = Of kies
chance-uncovered = Hiervoor vonden we geen opleiding
account-export-title = Mijn gegevens
account-export-intro = Download alles wat Leerpad over jou bewaart: je account, je vaardigheden, je antwoorden voor financiering en je sleutels (zonder geheimen).
account-export = Download mijn gegevens (JSON)
account-delete-title = Account verwijderen
account-delete-intro = Wil je niet meer met Leerpad werken? Dan kun je je account verwijderen. Dit kun je niet terugdraaien.
account-delete-gone = Wij wissen: je account, je vaardigheden en beroepen, je antwoorden voor financiering, je sleutels en je sessies.
account-delete-kept = Wij bewaren: toegekende bedragen van regelingen (de wet vraagt dat voor de boekhouding van het budget), zonder je naam of e-mailadres. En in het logboek staat dat een account is verwijderd, alleen met een nummer.
account-delete-export-first = Tip: download eerst je gegevens.
account-delete-confirm = Ik begrijp dat mijn account en gegevens weg zijn en niet terugkomen.
account-delete-submit = Verwijder mijn account
hint-delete-password = Vul je wachtwoord in. Zo weten we dat jij het bent.
err-delete-confirm = Zet een vinkje als je zeker weet dat je je account wilt verwijderen.
err-last-admin = Je bent de laatste beheerder. Maak eerst iemand anders beheerder.
account-deleted-title = Je account is verwijderd
account-deleted-text = Je account en je gegevens zijn gewist. Je bent uitgelogd.
account-deleted-home = Naar de startpagina
home-search-label = Welke opleiding zoek je?
home-search-placeholder = Bijvoorbeeld: zorg, Excel, heftruck
home-search-submit = Zoeken

# Skills that ESCO names only in English, named in Dutch through their skill group
skills-in-group = { $count ->
    [one] een vaardigheid in { $group }
   *[other] vaardigheden in { $group } ({ $count })
}
skills-other-group = overige vaardigheden
chance-more-other-language = { $count ->
    [one] Nog 1 vaardigheid in deze groep, die ESCO alleen in het Engels beschrijft.
   *[other] Nog { $count } vaardigheden in deze groep, die ESCO alleen in het Engels beschrijft.
}
chance-show-other-language = Bekijk ze in het Engels

# "Ik wil iets anders": choose a goal occupation
chances-goal-title = Ik wil iets anders
chances-goal-label = Welk werk wil je gaan doen?
chances-goal-hint = Typ een beroep, bijvoorbeeld verzorgende of heftruckchauffeur. Dan zie je wat je nog moet leren.
chances-goal-find = Zoek beroep
chances-goal-none = We vonden geen beroep met die naam. Probeer een ander woord.

# "Ik wil iets anders": moves from shrinking to growing work
growth-title = Werk dat groeit in jouw regio
growth-intro = Deze beroepen groeien waar je woont. Je kunt al veel van wat ze vragen.
growth-intro-shrinking = Er komt minder werk in je eigen vak. Deze beroepen groeien waar je woont, en je kunt al veel van wat ze vragen.
growth-why = Groeiend in { $area }: +{ $trend }% vacatures. Je hebt al { $had } van de { $total ->
    [one] 1 vaardigheid
   *[other] { $total } vaardigheden
}.
chances-region-link = Werk met toekomst bij jou in de buurt: wat groeit, wat krimpt en wat de regio doet
chances-culture-link = Leer je op je werk? Beantwoord vijf korte vragen voor je regio
