-- strata:revision REVISION
-- strata:message change type
-- strata:dialect postgres

-- migrate:up
-- warning: NARROWING: alter column "books"."pages" (type int32, want varchar(20)): int32 to varchar(20), another kind of type; values that do not fit make the upgrade fail or are cut
DO $strata$DECLARE strata_n bigint; strata_example text; BEGIN SELECT count(*), min(left("pages"::text, 80)) INTO strata_n, strata_example FROM "books" WHERE "pages" IS NOT NULL AND ("pages"::character varying(20)::integer IS DISTINCT FROM "pages"); IF strata_n > 0 THEN RAISE EXCEPTION 'strata: changing books.pages from integer to character varying(20) would change % row(s), for example %; strata never cuts or rounds values: change them first', strata_n, quote_literal(strata_example); END IF; END$strata$;
-- lint PG104 type change that rewrites the table: changes the type of books.pages to character varying(20), which rewrites the table under an exclusive lock; add a new column, backfill it, and switch over (docs/lint/PG104.md)
ALTER TABLE "books" ALTER COLUMN "pages" TYPE character varying(20);

-- migrate:down
DO $strata$DECLARE strata_n bigint; strata_example text; BEGIN SELECT count(*), min(left("pages"::text, 80)) INTO strata_n, strata_example FROM "books" WHERE "pages" IS NOT NULL AND ("pages"::integer::character varying(20) IS DISTINCT FROM "pages"); IF strata_n > 0 THEN RAISE EXCEPTION 'strata: changing books.pages from character varying(20) to integer would change % row(s), for example %; strata never cuts or rounds values: change them first', strata_n, quote_literal(strata_example); END IF; END$strata$;
ALTER TABLE "books" ALTER COLUMN "pages" TYPE integer USING "pages"::integer;
