nav-regions = Regions
region-overview-title = Learning in your region
region-overview-intro = Per province and per labour-market region: what regions do to get people and companies learning, and which courses there are.
region-find-initiatives = Search all initiatives
region-provinces = Provinces
region-labour-markets = Labour-market regions
region-name = Region
region-initiatives = Initiatives
region-initiatives-count = { $count ->
    [one] 1 initiative
   *[other] { $count } initiatives
}
region-intro = Initiatives and courses in { $name }.
region-kind-province = Province
region-kind-labour-market = Labour-market region
region-municipalities = { $count ->
    [one] 1 municipality
   *[other] { $count } municipalities
}
region-has-regions = Labour-market regions in this province:
region-in-province = Lies in:
region-offers = Courses nearby
region-offers-count = { $count ->
    [one] There is 1 course in this region.
   *[other] There are { $count } courses in this region.
}
region-offers-all = See them all
region-back = All regions
initiative-none = There are no initiatives here yet.
initiative-parel = Good practice
initiative-parel-text = A good example other regions can learn from.
initiative-example = This is an example: it was invented to show how Leerpad works.
initiative-sector = Sector
initiative-places = Municipalities
initiative-funding = Money
initiative-funder = Who pays
initiative-amount = Amount
initiative-total = Together
initiative-participants = Participants
initiative-participants-both = { $realised } of the { $target } aimed for
initiative-participants-target = aim: { $target }
initiative-period = from { $from } to { $until }
initiative-region = Region
initiative-when = When
initiative-for-whom = For whom
initiative-contact = Contact
initiative-partners = Partners
initiative-developed = What was developed
initiative-developed-bbl = Work-based MBO programmes (bbl)
initiative-developed-deelcertificaat = Tracks with a partial certificate
initiative-developed-module = Modules
initiative-developed-other = Other
initiative-results = Results
initiative-search-title = Regional initiatives
initiative-search-intro = Find projects of regions, municipalities, employers and providers that get people learning. Good practices are marked.
initiative-search-words = Search words
initiative-all-regions = All regions
initiative-parels-only = Good practices only
initiative-search-button = Search
initiative-found = { $count ->
    [one] 1 initiative found
   *[other] { $count } initiatives found
}
initiative-admin-title = Add initiatives
initiative-admin-intro = Record a regional initiative, or upload a CSV file of initiatives. Everyone can then find them on the region's page.
initiative-add = Add an initiative
initiative-title = Name of the initiative
initiative-summary = Short description
initiative-list-hint = Put a bar | between the names.
initiative-partners-hint = For example: Gemeente Delft (lead) | ROC Mondriaan (provider)
initiative-target = Aim: number of participants
initiative-realised = Reached: number of participants
initiative-funding-hint = Who pays how many euros, for example: MRDH: 148,550 | Municipality: 10,000
initiative-starts = Starts on
initiative-ends = Ends on
initiative-developed-hint = For example: bbl: 5 | deelcertificaat: 7 | module: 2
initiative-parel-check = This is a good practice for other regions
initiative-add-button = Save initiative
initiative-upload = Upload a CSV file
initiative-upload-intro = One line per initiative, with the columns title, summary, region, municipalities, sector, partners, target_groups, participants_target, participants_realised, funding, starts_on, ends_on, developed, contact, results and parel. All or nothing: we check the whole file first.
initiative-upload-choose = Choose a CSV file.
initiative-upload-problems = We read { $rows } lines and found { $problems } problems. Nothing has been saved.
initiative-upload-checked = Everything is right: { $valid } initiatives. Nothing has been saved yet.
initiative-upload-written = { $written } initiatives saved.
initiative-error-too-long = This is too long.
initiative-error-title = Give the initiative a name.
initiative-error-region = Choose a province or labour-market region.
initiative-error-municipality = '{ $value }' is not a Dutch municipality.
initiative-error-number = Fill in a whole number.
initiative-error-funding = '{ $value }' is not right: write who pays, a colon and the amount.
initiative-error-date = This is not a date.
initiative-error-period = The end is before the start.
initiative-error-developed = '{ $value }' is not right: write bbl, deelcertificaat, module or other, a colon and a number.
initiative-error-parel = Choose yes or no.
region-demand = Work that grows and shrinks
region-demand-none = There are no figures on demand for work in this region yet.
region-growing = Occupations growing most
region-shrinking = Occupations shrinking most
region-occupation = Occupation
region-trend = Vacancies against a year before
region-vacancies = Vacancies
region-transitions = From shrinking to growing work
region-transitions-intro = Do you work in an occupation that shrinks here? These occupations grow here and ask for many of the same skills. An occupation's page shows what you still need to learn.
region-transition-from = From { $occupation } ({ $trend })
region-transition-shared = you already have { $had } of the { $total } skills
