-- Schema version 2: the ledger in rows, kept so that database.json comes back out byte for byte
-- (docs/DECISIONS.md, "The PostgreSQL store"). Version 1 wrote no book, so its empty table is reshaped in place.

-- A book's id is made by the database: two books may share a title (a title-only line is then ambiguous) and a
-- book's title may change case, so neither is its key.
CREATE SEQUENCE bookbatch_book_ids;
ALTER TABLE bookbatch_books ALTER COLUMN book_id SET DEFAULT 'book-' || nextval('bookbatch_book_ids');

-- The entry exactly as database.json has it (json keeps the text; jsonb would reorder keys and drop repeated ones).
ALTER TABLE bookbatch_books ALTER COLUMN entry TYPE json USING entry::json;

-- The book's place in database.json: books added later go after every book there is.
CREATE SEQUENCE bookbatch_book_order;
ALTER TABLE bookbatch_books ALTER COLUMN entry_order SET DEFAULT nextval('bookbatch_book_order');
CREATE UNIQUE INDEX bookbatch_books_order ON bookbatch_books (entry_order);

-- The old system's status may be null (a book nobody worked on); the author is part of a book's identity; title_key is
-- the title as BookBatch compares titles (tidy, NFC, upper case), which a change looks books up and locks by.
ALTER TABLE bookbatch_books ALTER COLUMN status DROP NOT NULL;
ALTER TABLE bookbatch_books ADD COLUMN author text;
ALTER TABLE bookbatch_books ADD COLUMN title_key text NOT NULL;
CREATE INDEX bookbatch_books_title_key ON bookbatch_books (title_key);

-- database.json's top-level keys other than "books", in their order, as written.
CREATE TABLE bookbatch_ledger_keys (
    key            text        PRIMARY KEY,
    value          json        NOT NULL,
    key_order      integer     NOT NULL
);
