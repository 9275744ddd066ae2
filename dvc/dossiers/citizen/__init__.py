"""The citizen's journey: draft, answers, papers (and the vault), signing, sending, answering a supplement request,
withdrawing and rating; the scoped reads, pages, API and public lookup that go with it."""
