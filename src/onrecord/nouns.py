"""Nouns that say what kind of speaker a mention names: shared by attribution and speaker resolution."""

ANONYMOUS_HEADS = {"source", "sources", "observer", "observers", "analyst", "analysts", "expert", "experts", "critic",
                   "critics", "insider", "insiders", "witness", "witnesses", "resident", "residents", "people",
                   "person", "someone", "supporter", "supporters", "opponent", "opponents", "activist", "activists",
                   "economist", "economists", "investor", "investors", "trader", "traders", "scientist",
                   "scientists", "researcher", "researchers", "lawmaker", "lawmakers", "member", "members",
                   "employee", "employees", "worker", "workers", "voter", "voters", "friend", "friends", "relative",
                   "relatives", "neighbor", "neighbors", "neighbour", "neighbours", "doctor", "doctors", "user",
                   "users", "commentator", "commentators", "campaigner", "campaigners", "group", "groups"}

OFFICIAL_HEADS = {"official", "officials", "spokesman", "spokeswoman", "spokesperson", "spokespeople", "minister",
                  "ministers", "diplomat", "diplomats", "officer", "officers", "aide", "aides", "authorities",
                  "authority", "administration", "president", "governor", "mayor", "secretary", "chairman",
                  "chairwoman", "chair", "director", "ambassador", "envoy", "commander", "general", "prosecutor",
                  "prosecutors", "police", "investigators", "investigator", "regulator", "regulators", "spokesmen",
                  "executive", "executives", "ceo", "head", "chief", "leader", "leaders", "senator", "representative",
                  "judge", "lawyer", "lawyers", "attorney", "attorneys", "adviser", "advisers", "advisor", "advisors",
                  "negotiator", "negotiators", "representatives"}

PERSON_NOUNS = OFFICIAL_HEADS | {"agent", "manager", "coach", "owner", "businessman", "businesswoman", "founder",
                                 "player", "author", "actor", "actress", "singer", "wife", "husband", "son", "daughter",
                                 "mother", "father", "brother", "sister", "lawyer", "doctor", "professor", "economist",
                                 "analyst", "researcher", "scientist", "candidate", "activist", "resident", "teacher",
                                 "student", "journalist", "reporter", "editor", "columnist", "chief", "partner"}

DOCUMENT_HEADS = {"report", "reports", "statement", "statements", "study", "studies", "document", "documents", "memo",
                  "survey", "poll", "polls", "filing", "letter", "analysis", "paper", "data", "figures", "records",
                  "release", "communique", "communiqué", "notice", "post", "tweet", "email", "complaint", "lawsuit",
                  "indictment", "ruling", "assessment", "review", "audit", "investigation", "transcript", "footage",
                  "video", "cable", "dossier", "budget", "draft", "proposal", "minutes", "book", "memoir"}

OUTLET_HEADS = {"newspaper", "paper", "daily", "agency", "broadcaster", "network", "channel", "magazine", "tabloid",
                "outlet", "publication", "weekly", "website", "site", "station", "radio", "television", "journal",
                "newswire", "wire", "broadsheet", "service"}
ORGANIZATION_DESCRIPTORS = {"carmaker", "automaker", "retailer", "airline", "bank", "lender", "insurer", "miner",
                            "drugmaker", "chipmaker", "manufacturer", "supermarket", "broadcaster", "newspaper",
                            "charity", "group", "firm", "company", "conglomerate", "developer", "producer", "brewer",
                            "operator", "utility", "regulator", "club", "union", "party", "startup", "watchdog",
                            "insurance", "energy", "oil", "tech", "software", "telecoms", "shipping", "logistics"}
ORGANIZATION_NOUNS = ORGANIZATION_DESCRIPTORS | {"government", "ministry", "department", "council", "authority",
                                                "agency", "committee", "board", "police", "court", "team", "school",
                                                "hospital", "university", "embassy", "office", "administration",
                                                "campaign", "network", "organisation", "organization", "institute"}

# Words in front of a name that are no part of it ('Ms Nandy', 'Sen. Leahy'), with the gender they say, if any.
HONORIFICS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "mx": None, "dr": None, "prof": None, "sir": "m",
              "dame": "f", "lord": "m", "lady": "f", "sen": None, "sens": None, "rep": None, "reps": None,
              "gov": None, "gen": None, "lt": None, "col": None, "capt": None, "sgt": None, "rev": None}
# Abbreviated titles and the noun they stand for, so that 'Sen. Graham' is 'the senator'.
TITLE_ABBREVIATIONS = {"sen": "senator", "sens": "senator", "rep": "representative", "reps": "representative",
                       "gov": "governor", "gen": "general", "pres": "president", "amb": "ambassador",
                       "supt": "superintendent", "lt": "lieutenant", "col": "colonel", "capt": "captain",
                       "sgt": "sergeant", "atty": "attorney", "ceo": "executive"}
# Nouns that say a person's gender, for pronoun agreement ('the 34-year-old mother of three' is a she).
GENDERED_NOUNS = {**dict.fromkeys(("woman", "mother", "wife", "daughter", "sister", "spokeswoman", "chairwoman",
                                   "congresswoman", "businesswoman", "actress", "girl", "grandmother", "widow",
                                   "queen", "princess", "lady", "girlfriend", "aunt", "niece", "heiress"), "f"),
                  **dict.fromkeys(("man", "father", "husband", "son", "brother", "spokesman", "chairman",
                                   "congressman", "businessman", "actor", "boy", "grandfather", "widower", "king",
                                   "prince", "boyfriend", "uncle", "nephew"), "m")}
# Definite descriptions that, in news prose, stand for a person already named ('the former president', 'the
# New York businessman', 'the Vermont senator'): positions held by one person and personal descriptions. Generic
# roles many people share (official, spokesman, source) are not here: they only follow a matching title.
ROLE_NOUNS = {"president", "minister", "premier", "chancellor", "senator", "congressman", "congresswoman",
              "governor", "mayor", "leader", "candidate", "nominee", "businessman", "businesswoman", "mogul",
              "billionaire", "tycoon", "founder", "star", "actor", "actress", "singer", "mother", "father", "wife",
              "husband", "woman", "man", "king", "queen", "pope", "monarch", "dictator", "lawmaker", "politician",
              "pundit", "strongman", "incumbent", "challenger", "lady"}
# Occupations of people quoted for their expertise: an economist quoted on a plan is not 'the candidate' or 'the
# senator' the next sentence describes.
EXPERT_NOUNS = {"economist", "analyst", "researcher", "scientist", "professor", "expert", "scholar", "fellow",
                "strategist", "pollster", "historian", "lecturer", "commentator"}
