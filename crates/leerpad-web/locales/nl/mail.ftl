# Messages
mail-title = Mijn berichten
mail-intro = Hier staan de berichten die Leerpad je stuurt, zoals een herinnering aan je afspraak.
mail-mailbox-title = Berichten (ontwikkelpostbus)
mail-mailbox-intro = Er is geen mailserver ingesteld. Daarom staan alle berichten hier, en bij de mensen zelf onder Mijn berichten.
mail-none = Er zijn nog geen berichten.
mail-sent = verstuurd
mail-not-sent = niet gemaild (geen mailserver)
mail-reminder-subject = { $hours ->
    [1] Over een uur: je gesprek met je loopbaanadviseur
   *[other] Morgen: je gesprek met je loopbaanadviseur
}
mail-reminder-body = Je hebt een gesprek met { $advisor } op { $when }. Kun je niet? Zeg de afspraak dan af via { $link }.
mail-place-subject = Je hebt een plaats: { $title }
mail-place-body = Er is een plaats vrijgekomen in { $title }. Die plaats is nu van jou. Maak een afspraak met een adviseur via { $link }.
nav-messages = Mijn berichten
