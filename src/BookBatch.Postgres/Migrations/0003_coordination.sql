-- Schema version 3: the coordination of several servers — book claims, stage places, rate windows
-- (docs/DECISIONS.md, "The PostgreSQL store", "Claims, places and rate windows"). Version 1 sketched these tables,
-- and nothing wrote them, so they are made again in the shape the coordination needs.

-- A claim is keyed by the book's identity (its compared title and author, Book.Key), not by a ledger row: a batch
-- holds a new book before the ledger has it. The row says who holds the book and with which token; whether the
-- claim is alive is the session advisory lock lock_key of the connection backend_pid (pg_locks), so a row that
-- outlived its holder is no claim. Every claim takes a new token from bookbatch_claim_tokens, so a write fenced by
-- an older token is refused.
DROP TABLE bookbatch_claims;
CREATE TABLE bookbatch_claims (
    book_key       text        PRIMARY KEY,           -- the book's identity as BookBatch compares books
    book           text        NOT NULL,              -- the book as named, for listings
    lock_key       integer     NOT NULL,              -- the advisory lock's second key: hashtext(book_key)
    token          bigint      NOT NULL DEFAULT nextval('bookbatch_claim_tokens'),
    batch_id       text        NOT NULL,
    server         text        NOT NULL,
    process_id     integer     NOT NULL,
    backend_pid    integer     NOT NULL,              -- the holder's session, which holds the lock
    claimed_at     timestamptz NOT NULL DEFAULT now(),
    lease_expires  timestamptz NOT NULL               -- renewed by the holder's heartbeat
);

-- A stage's places (its concurrency) across all servers: place n of a stage is the session advisory lock
-- hashtext(stage || '#' || n); the row says who took it and which stage process runs in it, so that a place a
-- dead host's stage process still runs in is not given away.
DROP TABLE bookbatch_stage_places;
CREATE TABLE bookbatch_stage_places (
    stage          text        NOT NULL,
    place          integer     NOT NULL,
    lock_key       integer     NOT NULL,
    holder         text        NOT NULL,
    server         text        NOT NULL,
    process_id     integer     NOT NULL,
    backend_pid    integer     NOT NULL,
    taken_at       timestamptz NOT NULL DEFAULT now(),
    attempt_token  text,                              -- the attempt about to start in the place
    stage_pid      integer,                           -- its process, once it runs
    stage_started  bigint,                            -- the process's start, UTC ticks
    stage_boot_ticks bigint,                          -- and as the kernel counts it (Linux)
    PRIMARY KEY (stage, place)
);

-- The starts a stage's rate counts, one row a start at the database's clock, counted and added under a
-- transaction-scoped advisory lock of the stage; and the stage's "not now".
DROP TABLE bookbatch_rate_starts;
CREATE TABLE bookbatch_rate_starts (
    start_id       bigserial   PRIMARY KEY,
    stage          text        NOT NULL,
    started_at     timestamptz NOT NULL
);
CREATE INDEX bookbatch_rate_starts_stage ON bookbatch_rate_starts (stage, started_at);
CREATE TABLE bookbatch_rate_blocks (
    stage          text        PRIMARY KEY,
    blocked_until  timestamptz NOT NULL
);
