# Ontwikkeladvies (gratis loopbaanadvies)
nav-advice = Gratis loopbaanadvies
date-at-time = { $date } om { $time }
advice-title = Gratis loopbaanadvies
advice-intro = Met een loopbaanadviseur praat je over je werk, wat je kunt en wat je wilt. Samen maak je een ontwikkelplan. Dit advies is gratis: een programma betaalt het.
advice-fair = Er zijn niet genoeg plaatsen voor iedereen. Daarom wordt er geloot als je je aanmeldt in een aanmeldperiode. Het maakt niet uit wanneer je je aanmeldt in die periode: iedereen heeft dezelfde kans.
advice-count = { $count ->
    [0] Er zijn nu geen programma's.
    [one] Er is 1 programma.
   *[other] Er zijn { $count } programma's.
}
advice-places = { $count ->
    [one] 1 plaats
   *[other] { $count } plaatsen
}
advice-back = Terug naar alle programma's
advice-example-note = Dit is een voorbeeld. Het programma is verzonnen om te laten zien hoe Leerpad werkt.
advice-funder = Betaald door
advice-capacity = Aantal plaatsen
advice-reserves = Plaatsen die voorgaan
advice-reserve = { $percent }% van de plaatsen ({ $places }) is eerst voor mensen die hieraan voldoen: { $who }
advice-how = Hoe krijg je een plaats?
advice-how-text = Je meldt je aan in een aanmeldperiode. Als de periode voorbij is, wordt er geloot. Eerst worden de plaatsen verdeeld die voorgaan, daarna de andere plaatsen. Wie geen plaats krijgt, komt op de wachtlijst. Komt er een plaats vrij, dan krijgt de volgende op de wachtlijst die plaats. Buiten een aanmeldperiode krijg je meteen een plaats, zolang er plaatsen zijn.
advice-window = Aanmelden kan van { $opens } tot { $closes }.
advice-you = Jouw aanmelding
advice-sign-in = Log in om te zien of je mee kunt doen en om je aan te melden.
advice-sign-in-link = Inloggen
advice-may = Je kunt meedoen aan dit programma.
advice-draw-after = Na { $closes } wordt er geloot. Je hoort dan of je een plaats hebt.
advice-register = Aanmelden
advice-may-not = Je kunt (nog) niet meedoen. Dit is de reden:
advice-answer-questions = Vul je gegevens aan
advice-reference = Aanmelding { $reference }:
advice-status-registered = je bent aangemeld.
advice-status-allocated = je hebt een plaats.
advice-status-waitlisted = je staat op de wachtlijst.
advice-status-cancelled = je aanmelding is gestopt.
advice-registered-detail = Na { $closes } wordt er geloot. Je hoort dan of je een plaats hebt.
advice-allocated-detail = Je kunt nu een afspraak maken met een loopbaanadviseur.
advice-waitlisted-detail = Je bent nummer { $position } op de wachtlijst. Komt er een plaats vrij, dan krijg je bericht.
advice-cancelled-detail = Je kunt je opnieuw aanmelden als er plaatsen zijn.
advice-draws = Uitslag van de loting
advice-draws-text = Iedereen kan de loting nakijken. Het bestand bevat het getal waarmee geloot is, alle aanmeldingen (alleen met hun nummer) en de uitslag.
advice-draw-of = Loting van { $closes }
home-entry-advice = Gratis loopbaanadvies
home-entry-advice-text = Praat met een loopbaanadviseur over je werk en je toekomst. Het kost je niets.
scheme-apply-advisor-link = Vraag gratis loopbaanadvies aan.
