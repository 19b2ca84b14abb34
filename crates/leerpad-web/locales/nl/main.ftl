# Dutch interface texts (default). Plain language, level B1: short sentences, everyday words.

skip-to-content = Naar de inhoud
nav-label = Hoofdmenu
nav-login = Inloggen
nav-register = Account maken
nav-account = Mijn account
nav-programme = Programma
nav-users = Gebruikers
nav-audit = Logboek
nav-logout = Uitloggen
nav-other-language = English
footer-about = Leerpad is een open platform voor leren en ontwikkelen, je hele leven lang.
footer-esco = Deze dienst gebruikt de ESCO-classificatie van de Europese Commissie.

home-title = Leren en ontwikkelen
home-heading = Vind een opleiding die bij je past
home-lead = Zie wat je al kunt, wat werkgevers vragen en wat een opleiding jou kost na subsidie.
home-entry-title = Waar wil je mee beginnen?
home-entry-grow = Ik wil verder in mijn vak
home-entry-grow-text = Leer iets nieuws voor het werk dat je nu doet.
home-entry-switch = Ik wil iets anders
home-entry-switch-text = Ontdek welk werk bij jouw vaardigheden past.
home-entry-cost = Wat kost het mij?
home-entry-cost-text = Zie welke regelingen jouw opleiding betalen.
home-register = Maak een account
home-login = Ik heb al een account

field-email = E-mailadres
field-password = Wachtwoord
field-password-confirm = Herhaal wachtwoord
field-display-name = Naam
field-current-password = Huidig wachtwoord
field-new-password = Nieuw wachtwoord
hint-display-name = Zo noemen we je. Je mag ook alleen je voornaam geven.
hint-token-name = Bijvoorbeeld: koppeling met ons HR-systeem.
hint-valid-days = Laat leeg als de sleutel geen einddatum heeft.

error-prefix = Fout:
error-summary-title = Er ging iets mis
never = nooit

pager-older = Oudere regels
pager-next = Volgende pagina

error-code = Foutcode
error-home = Naar de startpagina
error-not-found-title = Pagina niet gevonden
error-not-found-detail = Deze pagina bestaat niet (meer). Controleer het adres.
error-forbidden-title = Geen toegang
error-forbidden-detail = Je account mag deze pagina niet zien.
error-csrf-title = Formulier verlopen
error-csrf-detail = Dit formulier is verlopen of kwam niet van Leerpad. Laad de pagina opnieuw en probeer het nog eens.
error-too-many-title = Even wachten
error-too-many-detail = Je hebt het te vaak geprobeerd. Wacht een kwartier en probeer het dan opnieuw.
error-too-large-title = Te veel gegevens
error-too-large-detail = Je stuurde te veel gegevens tegelijk. Maak het korter.
error-method-title = Dit kan hier niet
error-method-detail = Deze actie kan niet op deze pagina.
error-internal-title = Er ging iets mis bij ons
error-internal-detail = Het spijt ons. We hebben de fout genoteerd. Probeer het later opnieuw.
error-bad-request-title = Dat begrijpen we niet
error-bad-request-detail = Je verzoek klopt niet. Ga terug en probeer het opnieuw.

nav-esco = Vaardigheden en beroepen

# <meta name="description"> per section of the site (search engines show it under the title).
meta-home = Leerpad helpt je een opleiding of cursus te vinden die bij je past. Zie wat je al kunt, wat werkgevers vragen en wat een opleiding jou kost na subsidie.
meta-search = Zoek in het aanbod van opleidingen en cursussen in Nederland. Filter op soort, niveau, plaats, startdatum en prijs.
meta-skills = Leg vast wat je kunt: je beroep, je cv en je situatie. Leerpad zoekt daarmee opleidingen en beroepen die bij je passen.
meta-chances = Zie welke beroepen bij je vaardigheden passen, wat je nog mist en welke opleidingen je daarbij helpen.
meta-financing = Regelingen die een opleiding betalen of goedkoper maken, en een korte check wat jij kunt krijgen.
meta-esco = Vaardigheden en beroepen uit ESCO, de Europese lijst van beroepen en vaardigheden, in het Nederlands.
meta-login = Log in bij Leerpad om je vaardigheden, kansen en leerplan te zien.
meta-register = Maak gratis een account bij Leerpad en bewaar je vaardigheden, kansen en leerplan.
meta-account = Je account bij Leerpad: je gegevens downloaden, je wachtwoord wijzigen of je account verwijderen.
meta-default = Leerpad: opleidingen, vaardigheden en regelingen voor leren en werken in Nederland.
meta-search-query = Opleidingen en cursussen voor "{ $query }" in Nederland, met soort, niveau, plaats, start en prijs.
meta-offer = { $title }: wat je leert, wanneer en waar het is, wat het kost en welke regeling helpt betalen.
