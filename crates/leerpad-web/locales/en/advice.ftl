# Development advice (free career advice)
nav-advice = Free career advice
date-at-time = { $date } at { $time }
advice-title = Free career advice
advice-intro = With a career advisor you talk about your work, what you can do and what you want. Together you make a development plan. The advice is free: a programme pays for it.
advice-fair = There are not enough places for everyone. So places are drawn by lot when you register in a registration period. It does not matter when in that period you register: everyone has the same chance.
advice-count = { $count ->
    [0] There are no programmes now.
    [one] There is 1 programme.
   *[other] There are { $count } programmes.
}
advice-places = { $count ->
    [one] 1 place
   *[other] { $count } places
}
advice-back = Back to all programmes
advice-example-note = This is an example. The programme is made up to show how Leerpad works.
advice-funder = Paid for by
advice-capacity = Number of places
advice-reserves = Places that go first
advice-reserve = { $percent }% of the places ({ $places }) go first to people who meet this: { $who }
advice-how = How do you get a place?
advice-how-text = You register in a registration period. When the period is over, places are drawn by lot. First the places that go first, then the others. Whoever gets no place is put on the waiting list. When a place comes free, the next person on the waiting list gets it. Outside a registration period you get a place at once, as long as there are places.
advice-window = You can register from { $opens } until { $closes }.
advice-you = Your registration
advice-sign-in = Sign in to see whether you can take part and to register.
advice-sign-in-link = Sign in
advice-may = You can take part in this programme.
advice-draw-after = After { $closes } places are drawn. You will then hear whether you have a place.
advice-register = Register
advice-may-not = You cannot take part (yet). This is why:
advice-answer-questions = Complete your details
advice-reference = Registration { $reference }:
advice-status-registered = you are registered.
advice-status-allocated = you have a place.
advice-status-waitlisted = you are on the waiting list.
advice-status-cancelled = your registration has ended.
advice-registered-detail = After { $closes } places are drawn. You will then hear whether you have a place.
advice-allocated-detail = You can now make an appointment with a career advisor.
advice-waitlisted-detail = You are number { $position } on the waiting list. When a place comes free, you will hear from us.
advice-cancelled-detail = You can register again when there are places.
advice-draws = Result of the draw
advice-draws-text = Anyone can check the draw. The file holds the number the draw used, every registration (by its number only) and the result.
advice-draw-of = Draw of { $closes }
home-entry-advice = Free career advice
home-entry-advice-text = Talk to a career advisor about your work and your future. It costs you nothing.
scheme-apply-advisor-link = Ask for free career advice.
