# ESCO skills and occupations

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
esco-what-to-learn = What would I need to learn to become this?
