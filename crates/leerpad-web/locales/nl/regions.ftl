nav-regions = Regio's
region-overview-title = Leren in jouw regio
region-overview-intro = Per provincie en per arbeidsmarktregio: wat regio's doen om mensen en bedrijven te laten leren, en welke opleidingen er zijn.
region-find-initiatives = Zoek in alle initiatieven
region-provinces = Provincies
region-labour-markets = Arbeidsmarktregio's
region-name = Regio
region-initiatives = Initiatieven
region-initiatives-count = { $count ->
    [one] 1 initiatief
   *[other] { $count } initiatieven
}
region-intro = Initiatieven en opleidingen in { $name }.
region-kind-province = Provincie
region-kind-labour-market = Arbeidsmarktregio
region-municipalities = { $count ->
    [one] 1 gemeente
   *[other] { $count } gemeenten
}
region-has-regions = Arbeidsmarktregio's in deze provincie:
region-in-province = Ligt in:
region-offers = Opleidingen in de buurt
region-offers-count = { $count ->
    [one] Er is 1 opleiding in deze regio.
   *[other] Er zijn { $count } opleidingen in deze regio.
}
region-offers-all = Bekijk ze allemaal
region-back = Alle regio's
initiative-none = Er zijn hier nog geen initiatieven.
initiative-parel = Parel
initiative-parel-text = Een goed voorbeeld waar andere regio's van kunnen leren.
initiative-example = Dit is een voorbeeld: het is verzonnen om te laten zien hoe Leerpad werkt.
initiative-sector = Sector
initiative-places = Gemeenten
initiative-funding = Geld
initiative-funder = Wie betaalt
initiative-amount = Bedrag
initiative-total = Samen
initiative-participants = Deelnemers
initiative-participants-both = { $realised } van de { $target } die het doel zijn
initiative-participants-target = doel: { $target }
initiative-period = van { $from } tot en met { $until }
initiative-region = Regio
initiative-when = Wanneer
initiative-for-whom = Voor wie
initiative-contact = Contact
initiative-partners = Partners
initiative-developed = Wat er is ontwikkeld
initiative-developed-bbl = Bbl-opleidingen
initiative-developed-deelcertificaat = Trajecten met een deelcertificaat
initiative-developed-module = Modules
initiative-developed-other = Anders
initiative-results = Resultaten
initiative-search-title = Regionale initiatieven
initiative-search-intro = Zoek projecten van regio's, gemeenten, werkgevers en opleiders om mensen te laten leren. Parels zijn goede voorbeelden.
initiative-search-words = Zoekwoorden
initiative-all-regions = Alle regio's
initiative-parels-only = Alleen parels
initiative-search-button = Zoeken
initiative-found = { $count ->
    [one] 1 initiatief gevonden
   *[other] { $count } initiatieven gevonden
}
initiative-admin-title = Initiatieven toevoegen
initiative-admin-intro = Leg een regionaal initiatief vast, of upload een CSV-bestand met initiatieven. Iedereen kan ze daarna vinden op de pagina van de regio.
initiative-add = Een initiatief toevoegen
initiative-title = Naam van het initiatief
initiative-summary = Korte beschrijving
initiative-list-hint = Zet een streep | tussen de namen.
initiative-partners-hint = Bijvoorbeeld: Gemeente Delft (penvoerder) | ROC Mondriaan (opleider)
initiative-target = Doel: aantal deelnemers
initiative-realised = Gehaald: aantal deelnemers
initiative-funding-hint = Wie betaalt hoeveel euro, bijvoorbeeld: MRDH: 148.550 | Gemeente: 10.000
initiative-starts = Begint op
initiative-ends = Eindigt op
initiative-developed-hint = Bijvoorbeeld: bbl: 5 | deelcertificaat: 7 | module: 2
initiative-parel-check = Dit is een parel: een goed voorbeeld voor andere regio's
initiative-add-button = Initiatief opslaan
initiative-upload = Een CSV-bestand uploaden
initiative-upload-intro = Een regel per initiatief, met kolommen title, summary, region, municipalities, sector, partners, target_groups, participants_target, participants_realised, funding, starts_on, ends_on, developed, contact, results en parel. Alles of niets: eerst controleren we het hele bestand.
initiative-upload-choose = Kies een CSV-bestand.
initiative-upload-problems = We lazen { $rows } regels en vonden { $problems } problemen. Er is niets opgeslagen.
initiative-upload-checked = Alles klopt: { $valid } initiatieven. Er is nog niets opgeslagen.
initiative-upload-written = { $written } initiatieven opgeslagen.
initiative-error-too-long = Dit is te lang.
initiative-error-title = Geef het initiatief een naam.
initiative-error-region = Kies een provincie of arbeidsmarktregio.
initiative-error-municipality = '{ $value }' is geen Nederlandse gemeente.
initiative-error-number = Vul een heel getal in.
initiative-error-funding = '{ $value }' klopt niet: schrijf wie betaalt, een dubbele punt en het bedrag.
initiative-error-date = Dit is geen datum.
initiative-error-period = Het einde ligt voor het begin.
initiative-error-developed = '{ $value }' klopt niet: schrijf bbl, deelcertificaat, module of other, een dubbele punt en een aantal.
initiative-error-parel = Kies ja of nee.
region-demand = Werk dat groeit en krimpt
region-demand-none = Voor deze regio zijn er nog geen cijfers over vraag naar werk.
region-growing = Beroepen met de meeste groei
region-shrinking = Beroepen die het meest krimpen
region-occupation = Beroep
region-trend = Vacatures tegen een jaar eerder
region-vacancies = Vacatures
region-transitions = Van krimp naar groei
region-transitions-intro = Werk je in een beroep dat hier krimpt? Deze beroepen groeien hier en vragen veel van dezelfde vaardigheden. Op de pagina van een beroep zie je wat je nog moet leren.
region-transition-from = Vanuit { $occupation } ({ $trend })
region-transition-shared = { $had } van de { $total } vaardigheden heb je al
