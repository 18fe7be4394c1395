-- strata:revision REVISION
-- strata:message add foreign key
-- strata:dialect postgres

-- migrate:up
-- lint PG102 foreign key without NOT VALID: adds a foreign key to books, checking every row while locking both tables; add it NOT VALID, then VALIDATE CONSTRAINT in a later revision (docs/lint/PG102.md)
ALTER TABLE "books" ADD CONSTRAINT "books_translator_fk" FOREIGN KEY ("translator_id") REFERENCES "authors" ("id");

-- migrate:down
ALTER TABLE "books" DROP CONSTRAINT "books_translator_fk";
