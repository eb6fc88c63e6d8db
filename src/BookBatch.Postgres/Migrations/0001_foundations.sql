-- Schema version 1: the tables a PostgreSQL store keeps what the workspace's files keep today
-- (docs/DECISIONS.md, "The PostgreSQL store"). Applied by Update-BookBatchStore in one transaction.

-- The ledger: one row a book. The columns the queue asks about, and the book's whole database.json entry as it
-- was read, so the ledger can be written back out unchanged.
CREATE TABLE bookbatch_books (
    book_id        text        PRIMARY KEY,           -- the ledger's key of the book (title and URL)
    title          text        NOT NULL,
    url            text,
    status         text        NOT NULL,
    run_folder     text,                              -- relative to the workspace's runs/
    entry          jsonb       NOT NULL,              -- the book's database.json entry, every field as written
    entry_order    bigint      NOT NULL,              -- the book's place in database.json
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookbatch_books_status ON bookbatch_books (status);

-- A book taken by a worker: the holder, a fencing token that grows with every claim (a write carrying an older
-- token is refused) and a lease renewed by the holder's heartbeat.
CREATE SEQUENCE bookbatch_claim_tokens;
CREATE TABLE bookbatch_claims (
    book_id        text        PRIMARY KEY REFERENCES bookbatch_books (book_id) ON DELETE CASCADE,
    worker_id      text        NOT NULL,
    token          bigint      NOT NULL DEFAULT nextval('bookbatch_claim_tokens'),
    backend_pid    integer     NOT NULL,              -- the holder's connection, to end it once the lease expired
    claimed_at     timestamptz NOT NULL DEFAULT now(),
    lease_expires  timestamptz NOT NULL
);
CREATE INDEX bookbatch_claims_expiry ON bookbatch_claims (lease_expires);

-- The workers: one row a running worker, renewed by its heartbeat.
CREATE TABLE bookbatch_workers (
    worker_id      text        PRIMARY KEY,
    server         text        NOT NULL,
    process_id     integer     NOT NULL,
    backend_pid    integer,
    started_at     timestamptz NOT NULL DEFAULT now(),
    heartbeat_at   timestamptz NOT NULL DEFAULT now(),
    draining       boolean     NOT NULL DEFAULT false
);

-- A stage's places (its concurrency) across all servers: a place is taken by a claimed book.
CREATE TABLE bookbatch_stage_places (
    stage          text        NOT NULL,
    place          integer     NOT NULL,
    book_id        text        NOT NULL REFERENCES bookbatch_books (book_id) ON DELETE CASCADE,
    claim_token    bigint      NOT NULL,
    taken_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stage, place)
);

-- The starts a stage's rate counts: one row a start, kept as long as its window.
CREATE TABLE bookbatch_rate_starts (
    stage          text        NOT NULL,
    started_at     timestamptz NOT NULL,
    book_id        text        NOT NULL,
    PRIMARY KEY (stage, started_at, book_id)
);

-- The attempts of every stage, which decide resume and review: one row an attempt, ended or not.
CREATE TABLE bookbatch_attempts (
    attempt_id     bigserial   PRIMARY KEY,
    book_id        text        NOT NULL REFERENCES bookbatch_books (book_id) ON DELETE CASCADE,
    run_folder     text        NOT NULL,
    stage          text        NOT NULL,
    attempt        integer     NOT NULL,
    worker_id      text        NOT NULL,
    claim_token    bigint      NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz,
    outcome        text,                              -- null while running
    exit_code      integer,
    detail         jsonb,
    UNIQUE (run_folder, stage, attempt)
);

-- Where each batch's journal is, so every server's batches can be listed.
CREATE TABLE bookbatch_journals (
    batch_id       text        PRIMARY KEY,
    server         text        NOT NULL,
    path           text        NOT NULL,              -- relative to the workspace
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz
);

-- The queue's switches, one row: paused for every worker at once.
CREATE TABLE bookbatch_queue (
    only_row       boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    paused         boolean     NOT NULL DEFAULT false,
    changed_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO bookbatch_queue DEFAULT VALUES;
