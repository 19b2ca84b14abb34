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

role-learner = Lerende
role-advisor = Loopbaanadviseur
role-provider = Opleider
role-programme-manager = Programmabeheerder
role-admin = Beheerder

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
hint-password = Minstens 10 tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden.
hint-token-name = Bijvoorbeeld: koppeling met ons HR-systeem.
hint-valid-days = Laat leeg als de sleutel geen einddatum heeft.

error-prefix = Fout:
error-summary-title = Er ging iets mis
err-email = Vul een goed e-mailadres in, zoals naam@voorbeeld.nl.
err-email-taken = Er is al een account met dit e-mailadres. Log in of kies een ander adres.
err-password = Kies een wachtwoord van 10 tot 128 tekens.
err-password-confirm = De twee wachtwoorden zijn niet gelijk.
err-display-name = Vul een naam in van hoogstens 100 tekens.
err-credentials = Het e-mailadres of het wachtwoord klopt niet.
err-current-password = Je huidige wachtwoord klopt niet.
err-throttled = Te vaak een verkeerd wachtwoord. Probeer het over { $minutes } minuten opnieuw.
err-token-name = Geef de sleutel een naam van 1 tot 100 tekens.
err-name = Geef de sleutel een naam van 1 tot 100 tekens.
err-valid-days = Vul een aantal dagen in tussen 1 en 3650, of laat het veld leeg.

login-title = Inloggen
login-submit = Inloggen
login-no-account = Nog geen account?
login-register-link = Maak een account

register-title = Account maken
register-intro = Met een account bewaar je jouw vaardigheden en plannen. Jouw gegevens zijn van jou.
register-submit = Account maken
register-have-account = Heb je al een account?
register-login-link = Log in

account-title = Mijn account
account-details = Mijn gegevens
account-roles = Rollen
account-since = Lid sinds
account-password = Wachtwoord wijzigen
account-password-submit = Wachtwoord wijzigen
account-password-changed = Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd.
never = nooit

tokens-title = Sleutels voor koppelingen (API)
tokens-intro = Met een sleutel kan een ander systeem namens jou Leerpad gebruiken. Deel een sleutel nooit.
tokens-new = Je nieuwe sleutel. Kopieer hem nu: je ziet hem maar één keer.
tokens-none = Je hebt nog geen sleutels.
tokens-name = Naam van de sleutel
tokens-start = Begint met
tokens-created = Gemaakt
tokens-last-used = Laatst gebruikt
tokens-status = Status
tokens-revoked = Ingetrokken
tokens-revoke = Intrekken
tokens-valid-days = Geldig voor (dagen)
tokens-create = Sleutel maken

audit-title = Logboek
audit-user = Account (nummer)
audit-event = Gebeurtenis
audit-filter = Filteren
audit-empty = Geen regels gevonden.
audit-when = Wanneer
audit-actor = Door
audit-subject = Over
audit-ip = IP-adres
audit-detail = Details
pager-older = Oudere regels
pager-next = Volgende pagina

users-title = Gebruikers
users-intro = Geef of neem rollen. Elke wijziging komt in het logboek.
users-grant = Geef rol
users-revoke = neem af

programme-title = Programma-overzicht
programme-registered = Nieuwe accounts in de laatste 30 dagen: { $count }
programme-accounts-by-role = Accounts per rol
programme-role = Rol
programme-accounts = Aantal accounts

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

esco-title = Vaardigheden en beroepen
esco-intro = Zoek in ESCO, de Europese lijst van vaardigheden en beroepen. Veel vaardigheden hebben nog geen Nederlandse naam; dan tonen we de Engelse.
esco-search-label = Zoek op woord
esco-kind = Waar zoek je?
esco-skills = Vaardigheden
esco-occupations = Beroepen
esco-search = Zoeken
esco-results = Resultaten
esco-none = Geen.
esco-in-english = Engels
esco-skill = Vaardigheid
esco-occupation = Beroep
esco-also-called = Ook genoemd:
esco-collections = Hoort bij:
esco-broader = Valt onder
esco-essential-for = Nodig voor deze beroepen
esco-optional-for = Handig voor deze beroepen
esco-essential-skills = Vaardigheden die nodig zijn
esco-optional-skills = Vaardigheden die handig zijn
esco-source = Bekijk bij ESCO
nav-esco = Vaardigheden en beroepen
