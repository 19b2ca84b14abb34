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

role-learner = Learner
role-advisor = Career advisor
role-provider = Training provider
role-programme-manager = Programme manager
role-admin = Administrator

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
hint-password = At least 10 characters. A sentence of a few words is strong and easy to remember.
hint-token-name = For example: link with our HR system.
hint-valid-days = Leave empty if the key has no end date.

error-prefix = Error:
error-summary-title = Something went wrong
err-email = Enter a valid e-mail address, like name@example.com.
err-email-taken = There already is an account with this e-mail address. Log in or choose another address.
err-password = Choose a password of 10 to 128 characters.
err-password-confirm = The two passwords are not the same.
err-display-name = Enter a name of at most 100 characters.
err-credentials = The e-mail address or the password is wrong.
err-current-password = Your current password is wrong.
err-throttled = Too many wrong passwords. Try again in { $minutes } minutes.
err-token-name = Give the key a name of 1 to 100 characters.
err-name = Give the key a name of 1 to 100 characters.
err-valid-days = Enter a number of days between 1 and 3650, or leave the field empty.

login-title = Log in
login-submit = Log in
login-no-account = No account yet?
login-register-link = Create an account

register-title = Create account
register-intro = With an account you keep your skills and plans. Your data belongs to you.
register-submit = Create account
register-have-account = Already have an account?
register-login-link = Log in

account-title = My account
account-details = My details
account-roles = Roles
account-since = Member since
account-password = Change password
account-password-submit = Change password
account-password-changed = Your password has been changed. You have been logged out on other devices.
never = never

tokens-title = Keys for integrations (API)
tokens-intro = With a key another system can use Leerpad on your behalf. Never share a key.
tokens-new = Your new key. Copy it now: you will only see it once.
tokens-none = You have no keys yet.
tokens-name = Name of the key
tokens-start = Starts with
tokens-created = Created
tokens-last-used = Last used
tokens-status = Status
tokens-revoked = Revoked
tokens-revoke = Revoke
tokens-valid-days = Valid for (days)
tokens-create = Create key

audit-title = Audit log
audit-user = Account (number)
audit-event = Event
audit-filter = Filter
audit-empty = No entries found.
audit-when = When
audit-actor = By
audit-subject = About
audit-ip = IP address
audit-detail = Details
pager-older = Older entries
pager-next = Next page

users-title = Users
users-intro = Grant or revoke roles. Every change goes into the audit log.
users-grant = Grant role
users-revoke = revoke

programme-title = Programme overview
programme-registered = New accounts in the last 30 days: { $count }
programme-accounts-by-role = Accounts per role
programme-role = Role
programme-accounts = Number of accounts

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

esco-title = Skills and occupations
esco-intro = Search ESCO, the European list of skills and occupations.
esco-search-label = Search by word
esco-kind = What are you looking for?
esco-skills = Skills
esco-occupations = Occupations
esco-search = Search
esco-results = Results
esco-none = None.
esco-in-english = English
esco-skill = Skill
esco-occupation = Occupation
esco-also-called = Also called:
esco-collections = Part of:
esco-broader = Falls under
esco-essential-for = Needed for these occupations
esco-optional-for = Useful for these occupations
esco-essential-skills = Skills that are needed
esco-optional-skills = Skills that are useful
esco-source = View at ESCO
nav-esco = Skills and occupations
