# Messages
mail-title = Mijn berichten
mail-intro = Hier staan de berichten die Leerpad je stuurt, zoals een herinnering aan je afspraak.
mail-mailbox-title = Berichten (ontwikkelpostbus)
mail-mailbox-intro = Hier staan alle berichten van de laatste tijd. Is er geen mailserver ingesteld, dan worden ze niet gemaild: mensen lezen ze dan onder Mijn berichten.
mail-none = Er zijn nog geen berichten.
mail-sent = verstuurd
mail-not-sent = nog niet gemaild
mail-retrying = nog niet gemaild (de mailserver gaf een fout, we proberen het later opnieuw)
mail-given-up = niet gemaild (het lukte na een paar keer proberen niet)
mail-footer = Je leest dit bericht ook op { $link }. Je krijgt het omdat je een account hebt bij Leerpad.
mail-reminder-subject = { $hours ->
    [1] Over een uur: je gesprek met je loopbaanadviseur
   *[other] Morgen: je gesprek met je loopbaanadviseur
}
mail-reminder-body = Je hebt een gesprek met { $advisor } op { $when }. Kun je niet? Zeg de afspraak dan af via { $link }.
mail-place-subject = Je hebt een plaats: { $title }
mail-place-body = Er is een plaats vrijgekomen in { $title }. Die plaats is nu van jou. Maak een afspraak met een adviseur via { $link }.
mail-consent-subject = Je toestemming voor je adviseur is afgelopen
mail-consent-body = { $advisor } mag je vaardigheden en werkervaring niet meer inzien: je toestemming liep 90 dagen en is nu afgelopen. Wil je dat { $advisor } verder met je werkt? Geef dan opnieuw toestemming via { $link }.
mail-chat-subject = Een adviseur heeft je vraag beantwoord
mail-chat-body = Je stelde een vraag buiten de openingstijden: "{ $subject }". Een adviseur heeft nu geantwoord. Lees het antwoord via { $link }.
nav-messages = Mijn berichten
