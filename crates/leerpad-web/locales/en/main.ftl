# English interface texts.

skip-to-content = Skip to content
nav-label = Main menu
nav-login = Log in
nav-register = Create account
nav-account = My account
nav-programme = Programme
nav-users = Users
nav-audit = Audit log
nav-logout = Log out
nav-other-language = Nederlands
footer-about = Leerpad is an open platform for learning and development, throughout your life.
footer-esco = This service uses the ESCO classification of the European Commission.

home-title = Learning and development
home-heading = Find training that fits you
home-lead = See what you can already do, what employers ask for, and what training costs you after subsidies.
home-entry-title = Where do you want to start?
home-entry-grow = I want to grow in my job
home-entry-grow-text = Learn something new for the work you do now.
home-entry-switch = I want a change
home-entry-switch-text = Find out which work fits your skills.
home-entry-cost = What will it cost me?
home-entry-cost-text = See which schemes pay for your training.
home-register = Create an account
home-login = I already have an account

field-email = E-mail address
field-password = Password
field-password-confirm = Repeat password
field-display-name = Name
field-current-password = Current password
field-new-password = New password
hint-display-name = What we call you. Your first name is enough.
hint-token-name = For example: link with our HR system.
hint-valid-days = Leave empty if the key has no end date.

error-prefix = Error:
error-summary-title = Something went wrong
never = never

pager-older = Older entries
pager-next = Next page

error-code = Error code
error-home = Go to the home page
error-not-found-title = Page not found
error-not-found-detail = This page does not exist (any more). Check the address.
error-forbidden-title = No access
error-forbidden-detail = Your account may not see this page.
error-csrf-title = Form expired
error-csrf-detail = This form has expired or did not come from Leerpad. Reload the page and try again.
error-too-many-title = Please wait
error-too-many-detail = You tried too often. Wait a quarter of an hour and try again.
error-too-large-title = Too much data
error-too-large-detail = You sent too much data at once. Make it shorter.
error-method-title = Not possible here
error-method-detail = This action is not possible on this page.
error-internal-title = Something went wrong on our side
error-internal-detail = We are sorry. We have noted the error. Please try again later.
error-bad-request-title = We do not understand that
error-bad-request-detail = Your request is not right. Go back and try again.

nav-esco = Skills and occupations

# <meta name="description"> per section of the site (search engines show it under the title).
meta-home = Leerpad helps you find training that fits you. See what you can already do, what employers ask for and what training costs you after subsidies.
meta-search = Search the training and courses on offer in the Netherlands. Filter by kind, level, place, start date and price.
meta-skills = Record what you can do: your occupation, your CV and your situation. Leerpad uses it to find training and occupations that fit you.
meta-chances = See which occupations fit your skills, what you still lack and which training helps you get there.
meta-financing = Schemes that pay for training or make it cheaper, and a short check of what you can get.
meta-esco = Skills and occupations from ESCO, the European classification of occupations and skills.
meta-login = Log in to Leerpad to see your skills, chances and learning plan.
meta-register = Create a free Leerpad account and keep your skills, chances and learning plan.
meta-account = Your Leerpad account: download your data, change your password or delete your account.
meta-default = Leerpad: training, skills and financing for learning and working in the Netherlands.
meta-search-query = Training and courses for "{ $query }" in the Netherlands, with kind, level, place, start and price.
meta-offer = { $title }: what you learn, when and where it is, what it costs and which scheme helps pay.
