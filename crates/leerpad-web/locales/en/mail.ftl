# Messages
mail-title = My messages
mail-intro = These are the messages Leerpad sends you, such as a reminder of your appointment.
mail-mailbox-title = Messages (development mailbox)
mail-mailbox-intro = No mail server is configured. So every message is shown here, and to each person under My messages.
mail-none = There are no messages yet.
mail-sent = sent
mail-not-sent = not e-mailed (no mail server)
mail-reminder-subject = { $hours ->
    [1] In an hour: your talk with your career advisor
   *[other] Tomorrow: your talk with your career advisor
}
mail-reminder-body = You have a talk with { $advisor } on { $when }. Can you not come? Then cancel the appointment at { $link }.
mail-place-subject = You have a place: { $title }
mail-place-body = A place came free in { $title }. That place is now yours. Make an appointment with an advisor at { $link }.
nav-messages = My messages
