-- strata:revision REVISION
-- strata:message add foreign key
-- strata:dialect sqlite

-- migrate:up
PRAGMA legacy_alter_table = ON;
ALTER TABLE books RENAME TO _strata_old_books;
CREATE TABLE books (
  id INTEGER PRIMARY KEY NOT NULL,
  title VARCHAR(100) NOT NULL,
  author_id INTEGER NOT NULL,
  translator_id INTEGER,
  pages INTEGER,
  note VARCHAR(200),
  CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id),
  CONSTRAINT books_translator_fk FOREIGN KEY (translator_id) REFERENCES authors (id)
);
INSERT INTO books (id, title, author_id, translator_id, pages, note)
  SELECT id, title, author_id, translator_id, pages, note FROM _strata_old_books;
DROP TABLE _strata_old_books;
CREATE INDEX books_title ON books (title);
PRAGMA legacy_alter_table = OFF;
PRAGMA foreign_key_check(books);

-- migrate:down
PRAGMA legacy_alter_table = ON;
ALTER TABLE books RENAME TO _strata_old_books;
CREATE TABLE books (
  id INTEGER PRIMARY KEY NOT NULL,
  title VARCHAR(100) NOT NULL,
  author_id INTEGER NOT NULL,
  translator_id INTEGER,
  pages INTEGER,
  note VARCHAR(200),
  CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id)
);
INSERT INTO books (id, title, author_id, translator_id, pages, note)
  SELECT id, title, author_id, translator_id, pages, note FROM _strata_old_books;
DROP TABLE _strata_old_books;
CREATE INDEX books_title ON books (title);
PRAGMA legacy_alter_table = OFF;
PRAGMA foreign_key_check(books);
