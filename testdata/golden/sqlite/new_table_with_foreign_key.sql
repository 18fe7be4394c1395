-- strata:revision REVISION
-- strata:message new table with foreign key
-- strata:dialect sqlite

-- migrate:up
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY NOT NULL,
  book_id INTEGER NOT NULL,
  body VARCHAR(1000),
  CONSTRAINT reviews_book_fk FOREIGN KEY (book_id) REFERENCES books (id)
);

-- migrate:down
DROP TABLE reviews;
