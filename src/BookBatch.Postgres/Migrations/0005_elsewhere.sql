-- Schema version 5: until when a stage a book's earlier holder left running on its own server may still run there
-- (docs/DECISIONS.md, "A stage whose host died"). A holder's stage watchdog ends a silent holder's stages within three
-- quarters of its lease, so a claim taken over from a holder whose lease ran to lease_expires waits for an attempt of
-- that holder, recorded without an end at another place, at most until lease_expires + 2 s. A claim passes the time on
-- to the next (a book given back while it still lies ahead keeps its row), so a batch that leaves the book meanwhile
-- does not make the next one forget it.
ALTER TABLE bookbatch_claims ADD COLUMN elsewhere_until timestamptz;
