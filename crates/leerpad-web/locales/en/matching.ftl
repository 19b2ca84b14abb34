## Matching
matches-empty-profile = Your profile has no skills yet. Add your job, pick skills or paste your CV. Then we show where your chances are.
plan-no-gap = You already have every skill for this occupation. You need no training.
plan-no-offers = We found no fitting training that teaches your missing skills. Look further away or include online training.
plan-teaches = Teaches { $count } of your { $total } missing essential skills: { $skills }.
plan-teaches-optional = Teaches { $count } extra skills that are useful in this occupation.
plan-and-more = { $list } and { $more } more
plan-cost-free = Costs you nothing.
plan-cost = Costs you { $net }.
plan-cost-after = Costs you { $net } (instead of { $gross }) thanks to { $schemes }.
plan-level-demanding = The level is above your education: this may be hard.
plan-level-below = The level is below your education.
plan-long = At your hours a week it takes about { $weeks } weeks.
plan-over-budget = This no longer fits your budget.
nav-skills = My skills
nav-chances = My chances
travel-online_only = Online only
travel-municipality = In my municipality
travel-region = In my region
travel-province = In my province
travel-anywhere = Anywhere in the Netherlands
direction-growing = growing
direction-stable = stable
direction-shrinking = shrinking
profile-title = My skills
profile-intro = Tell us what you can do. Then we look for occupations that suit you and training that helps you on.
profile-jobs = My work
profile-no-jobs = You have not added an occupation yet.
profile-job-title = What work do or did you do?
profile-job-hint = For example: care assistant, welder, administrative assistant.
profile-add-job = Add occupation
profile-remove = Remove
profile-skills = My skills
profile-no-skills = You have no skills yet.
profile-origin-picked = Chosen by me
profile-origin-occupation = From my work
profile-origin-cv = From my CV
profile-find-skill = Find a skill
profile-find = Search
profile-found-none = Nothing found. Try another word.
profile-add = Add
profile-cv = My CV
profile-cv-label = Paste the text of your CV
profile-cv-hint = We look for skills in it. You then choose which to keep. We do not keep the text itself.
profile-cv-find = Find skills
profile-cv-review = We found these skills. Tick the ones that are right.
profile-cv-save = Keep chosen skills
profile-situation = My situation
profile-travel = How far will you travel?
profile-hours = Hours a week for learning
profile-budget = How much do you want to pay yourself? (euro)
profile-budget-hint = Leave empty if you do not know.
profile-save = Save
profile-to-chances = See my chances
profile-error-title = We found no occupation for this name. Try other words.
profile-error-cv = First paste the text of your CV (at most 20,000 characters).
profile-error-cv-nothing = We found no skills in this text. Choose them yourself above.
profile-error-municipality = We do not know this municipality. Write the name as in an address.
profile-error-hours = Enter a number of hours between 1 and 80.
profile-error-budget = Enter an amount in whole euros.
chances-title = My chances
chances-intro = Occupations that suit what you can do, and how much work there is.
chances-region = Work in the { $region } region.
chances-to-profile = To my skills
chances-score = How well it fits
chances-have = You have { $had } of the { $total } essential skills.
chances-missing = You still miss
chances-demand = Demand
chances-national = the whole country
chances-vacancies = { $count ->
    [one] 1 vacancy
   *[other] { $count } vacancies
}
chances-seekers = { $count ->
    [one] 1 job seeker
   *[other] { $count } job seekers
}
chances-growth-move = From a shrinking to a growing sector
chance-back = Back to my chances
chance-summary = You have { $had } essential skills for this occupation. You still miss { $missing }.
chance-gap = What you still miss
chance-other-skills = Other skills
chance-essential = essential
chance-plan = Your learning plan
chance-plan-summary = These courses teach you { $covered } of the { $total } essential skills you miss. Together they cost you { $net } ({ $gross } without schemes).
chance-coverage = Share of what you miss that the plan teaches
chance-price = You pay
chance-instead-of = instead of
chance-alternatives = Or choose
chance-uncovered = We found no training for
account-export-title = My data
account-export-intro = Download everything Leerpad keeps about you: your account, your skills, your answers for financing and your keys (without secrets).
account-export = Download my data (JSON)
account-delete-title = Delete account
account-delete-intro = Do you no longer want to use Leerpad? Then you can delete your account. This cannot be undone.
account-delete-gone = We erase: your account, your skills and jobs, your answers for financing, your keys and your sessions.
account-delete-kept = We keep: amounts awarded by schemes (the law requires this for budget accounting), without your name or e-mail address. And the log records that an account was deleted, with a number only.
account-delete-export-first = Tip: download your data first.
account-delete-confirm = I understand that my account and data are gone and will not come back.
account-delete-submit = Delete my account
hint-delete-password = Enter your password, so we know it is you.
err-delete-confirm = Tick the box if you are sure you want to delete your account.
err-last-admin = You are the last administrator. Make someone else an administrator first.
account-deleted-title = Your account has been deleted
account-deleted-text = Your account and your data have been erased. You are logged out.
account-deleted-home = Go to the home page
home-search-label = Which training are you looking for?
home-search-placeholder = For example: care, Excel, forklift
home-search-submit = Search

# Skills that ESCO names only in another language, named through their skill group
skills-in-group = { $count ->
    [one] a skill in { $group }
   *[other] skills in { $group } ({ $count })
}
skills-other-group = other skills
chance-more-other-language = { $count ->
    [one] 1 more skill in this group, described by ESCO only in Dutch.
   *[other] { $count } more skills in this group, described by ESCO only in Dutch.
}
chance-show-other-language = Show them in Dutch

# "I want something else": choose a goal occupation
chances-goal-title = I want something else
chances-goal-label = What work would you like to do?
chances-goal-hint = Type a job, for example care assistant or forklift driver, to see what you would still need to learn.
chances-goal-find = Find job
chances-goal-none = We found no job with that name. Try another word.

# "I want something else": moves from shrinking to growing work
growth-title = Work that is growing in your region
growth-intro = These jobs are growing where you live. You can already do much of what they ask.
growth-intro-shrinking = There is less work in your own field. These jobs are growing where you live, and you can already do much of what they ask.
growth-why = Growing in { $area }: +{ $trend }% vacancies. You already have { $had } of the { $total ->
    [one] 1 skill
   *[other] { $total } skills
}.
chances-region-link = Work with a future near you: what grows, what shrinks and what the region does
chances-culture-link = Do you learn at work? Answer five short questions for your region
