# Accounts: login, registration, one's account, tokens and their administration

role-learner = Lerende
role-advisor = Loopbaanadviseur
role-employer = Werkgever
role-provider = Opleider
role-programme-manager = Programmabeheerder
role-admin = Beheerder

hint-password = Minstens 10 tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden.
err-email = Vul een goed e-mailadres in, zoals naam@voorbeeld.nl.
err-email-taken = Er is al een account met dit e-mailadres. Log in of kies een ander adres.
err-password = Kies een wachtwoord van 10 tot 128 tekens.
err-password-confirm = De twee wachtwoorden zijn niet gelijk.
err-display-name = Vul een naam in van hoogstens 100 tekens.
err-credentials = Het e-mailadres of het wachtwoord klopt niet.
err-current-password = Je huidige wachtwoord klopt niet.
err-throttled = Te vaak een verkeerd wachtwoord. Probeer het over { $minutes } minuten opnieuw.
err-too-many-tries = Je hebt te vaak een verkeerd wachtwoord getypt. Probeer het later opnieuw.
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
users-title = Gebruikers
users-intro = Geef of neem rollen. Elke wijziging komt in het logboek.
users-grant = Geef rol
users-revoke = neem af

programme-title = Programma-overzicht
programme-registered = Nieuwe accounts in de laatste 30 dagen: { $count }
programme-accounts-by-role = Accounts per rol
programme-role = Rol
programme-accounts = Aantal accounts

# After registering: what to do next
welcome-title = Wat wil je doen?
welcome-lead = Je account is klaar. Kies waar je wilt beginnen. Je kunt altijd terugkomen.
welcome-skills = Laat zien wat je al kunt
welcome-skills-text = Vul je beroep in of plak je cv. Dan zie je welke vaardigheden je hebt.
welcome-chances = Ontdek welk werk bij je past
welcome-chances-text = Zie welke beroepen je kunt doen en wat je nog moet leren.
welcome-cost = Kijk wat een opleiding jou kost
welcome-cost-text = Beantwoord een paar vragen. Dan zie je welke regelingen voor jou betalen.
welcome-search = Zoek een opleiding
welcome-search-text = Zoek op beroep, vaardigheid of onderwerp.
welcome-account = Naar je account
welcome-provider = Geef je opleidingen?
welcome-provider-link = Zet je aanbod op Leerpad
welcome-answers-title = Je antwoorden van eerder
welcome-answers-text = Je hebt al vragen beantwoord over je situatie, zoals je leeftijd en je werk. Wil je die antwoorden bewaren in je account? Dan hoef je ze niet opnieuw te geven.
welcome-answers-keep = Ja, bewaar mijn antwoorden
welcome-answers-drop = Nee, gooi ze weg
