# Messages
mail-title = My messages
mail-intro = These are the messages Leerpad sends you, such as a reminder of your appointment.
mail-mailbox-title = Messages (development mailbox)
mail-mailbox-intro = These are all recent messages. When no mail server is configured they are not e-mailed: people read them under My messages.
mail-none = There are no messages yet.
mail-sent = sent
mail-not-sent = not e-mailed yet
mail-retrying = not e-mailed yet (the mail server gave an error; we will try again later)
mail-given-up = not e-mailed (it failed after several tries)
mail-footer = You can also read this message at { $link }. You get it because you have a Leerpad account.
mail-reminder-subject = { $hours ->
    [1] In an hour: your talk with your career advisor
   *[other] Tomorrow: your talk with your career advisor
}
mail-reminder-body = You have a talk with { $advisor } on { $when }. Can you not come? Then cancel the appointment at { $link }.
mail-place-subject = You have a place: { $title }
mail-place-body = A place came free in { $title }. That place is now yours. Make an appointment with an advisor at { $link }.
mail-consent-subject = Your consent for your advisor has ended
mail-consent-body = { $advisor } may no longer see your skills and work experience: your consent lasted 90 days and has now ended. Do you want { $advisor } to keep working with you? Then give consent again at { $link }.
mail-chat-subject = An advisor answered your question
mail-chat-body = You asked a question outside opening hours: "{ $subject }". An advisor has answered now. Read the answer at { $link }.
nav-messages = My messages
