# Accounts: login, registration, one's account, tokens and their administration

role-learner = Learner
role-advisor = Career advisor
role-employer = Employer
role-provider = Training provider
role-programme-manager = Programme manager
role-admin = Administrator

hint-password = At least 10 characters. A sentence of a few words is strong and easy to remember.
err-email = Enter a valid e-mail address, like name@example.com.
err-email-taken = There already is an account with this e-mail address. Log in or choose another address.
err-password = Choose a password of 10 to 128 characters.
err-password-confirm = The two passwords are not the same.
err-display-name = Enter a name of at most 100 characters.
err-credentials = The e-mail address or the password is wrong.
err-current-password = Your current password is wrong.
err-throttled = Too many wrong passwords. Try again in { $minutes } minutes.
err-too-many-tries = You typed a wrong password too often. Please try again later.
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
users-title = Users
users-intro = Grant or revoke roles. Every change goes into the audit log.
users-grant = Grant role
users-revoke = revoke

programme-title = Programme overview
programme-registered = New accounts in the last 30 days: { $count }
programme-accounts-by-role = Accounts per role
programme-role = Role
programme-accounts = Number of accounts

# After registering: what to do next
welcome-title = What would you like to do?
welcome-lead = Your account is ready. Choose where to start. You can always come back.
welcome-skills = Show what you can do
welcome-skills-text = Enter your job or paste your CV to see which skills you have.
welcome-chances = Discover work that suits you
welcome-chances-text = See which jobs you could do and what you would still need to learn.
welcome-cost = See what training costs you
welcome-cost-text = Answer a few questions to see which schemes pay for you.
welcome-search = Find training
welcome-search-text = Search by job, skill or topic.
welcome-account = Go to your account
welcome-provider = Do you offer training?
welcome-provider-link = Put your offers on Leerpad
welcome-answers-title = Your earlier answers
welcome-answers-text = You already answered questions about your situation, such as your age and your work. Do you want to keep those answers in your account, so you don't have to give them again?
welcome-answers-keep = Yes, keep my answers
welcome-answers-drop = No, throw them away
