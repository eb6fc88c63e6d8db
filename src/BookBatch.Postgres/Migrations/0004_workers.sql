-- Schema version 4: the workers of the queue (docs/DECISIONS.md, "Workers"). Version 1 sketched bookbatch_workers and
-- nothing wrote it, so it is made again in the shape the workers need.

-- One row a worker. It is alive while its session (backend_pid) holds the session advisory lock lock_key, which
-- dies with the session as a claim does (pg_locks); a row that outlived its worker is not listed, and is removed by
-- the next worker that joins. The other columns are what the worker last reported.
DROP TABLE bookbatch_workers;
CREATE TABLE bookbatch_workers (
    worker_id      text        PRIMARY KEY,
    server         text        NOT NULL,
    process_id     integer     NOT NULL,
    lock_key       integer     NOT NULL,              -- the advisory lock's second key: hashtext(worker_id)
    backend_pid    integer     NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    heartbeat_at   timestamptz NOT NULL DEFAULT now(),
    activity       text        NOT NULL DEFAULT 'Idle',
    books          integer     NOT NULL DEFAULT 0,
    batch_id       text
);
