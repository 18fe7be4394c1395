-- strata:revision REVISION
-- strata:message one table four changes
-- strata:dialect postgres

-- migrate:up
ALTER TABLE "books"
  DROP CONSTRAINT "books_author_fk",
  ADD COLUMN "isbn" character varying(20),
  ALTER COLUMN "title" TYPE character varying(200);
-- lint PG102 foreign key without NOT VALID: adds a foreign key to books, checking every row while locking both tables; add it NOT VALID, then VALIDATE CONSTRAINT in a later revision (docs/lint/PG102.md)
ALTER TABLE "books"
  ALTER COLUMN "title" DROP NOT NULL,
  ADD CONSTRAINT "books_author_fk" FOREIGN KEY ("author_id") REFERENCES "authors" ("id") ON DELETE CASCADE;

-- migrate:down
ALTER TABLE "books" DROP CONSTRAINT "books_author_fk";
DO $strata$DECLARE strata_n bigint; strata_example text; BEGIN SELECT count(*), min(left("title"::text, 80)) INTO strata_n, strata_example FROM "books" WHERE "title" IS NOT NULL AND ("title"::character varying(100)::character varying(200) IS DISTINCT FROM "title"); IF strata_n > 0 THEN RAISE EXCEPTION 'strata: changing books.title from character varying(200) to character varying(100) would change % row(s), for example %; strata never cuts or rounds values: change them first', strata_n, quote_literal(strata_example); END IF; END$strata$;
ALTER TABLE "books" ALTER COLUMN "title" TYPE character varying(100);
UPDATE "books" SET "title" = '' WHERE "title" IS NULL;
ALTER TABLE "books"
  ALTER COLUMN "title" SET NOT NULL,
  DROP COLUMN "isbn",
  ADD CONSTRAINT "books_author_fk" FOREIGN KEY ("author_id") REFERENCES "authors" ("id");
