# ESCO skills and occupations

esco-title = Vaardigheden en beroepen
esco-intro = Zoek in ESCO, de Europese lijst van vaardigheden en beroepen. Veel vaardigheden hebben nog geen Nederlandse naam; dan tonen we de Engelse.
esco-search-label = Zoek op woord
esco-kind = Waar zoek je?
esco-skills = Vaardigheden
esco-occupations = Beroepen
esco-search = Zoeken
esco-results = Resultaten
esco-none = Geen.
esco-in-english = Engels
esco-skill = Vaardigheid
esco-occupation = Beroep
esco-also-called = Ook genoemd:
esco-collections = Hoort bij:
esco-broader = Valt onder
esco-essential-for = Nodig voor deze beroepen
esco-optional-for = Handig voor deze beroepen
esco-essential-skills = Vaardigheden die nodig zijn
esco-optional-skills = Vaardigheden die handig zijn
esco-source = Bekijk bij ESCO
esco-what-to-learn = Wat moet ik leren om dit te worden?
