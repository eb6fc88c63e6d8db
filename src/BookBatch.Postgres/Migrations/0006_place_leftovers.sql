-- Schema version 6: a stage's place left by a holder that died with its stage running on its own server
-- (docs/DECISIONS.md, "A stage whose host died"). Such a place is not free until the stage is known to be over: its
-- attempt's end or gone line in its run folder, or the holder's lease's end plus the 2 s its watchdog takes to end a
-- silent holder's stages. The row says where the holder ran (a place other servers cannot look into), until when its
-- lease ran (renewed by its heartbeat, as its claims' are) and where the attempt in the place records its end.
ALTER TABLE bookbatch_stage_places
    ADD COLUMN holder_place   text,                   -- the holder's server, boot and PID namespace (ProcessPlace)
    ADD COLUMN lease_expires  timestamptz,            -- renewed by the holder's heartbeat
    ADD COLUMN run_folder     text,                   -- the attempt's run folder, its name under runs/
    ADD COLUMN attempt        integer;                -- and its number there
