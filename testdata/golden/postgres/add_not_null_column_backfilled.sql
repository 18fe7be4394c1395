-- strata:revision REVISION
-- strata:message add not null column backfilled
-- strata:dialect postgres

-- migrate:up
-- warning: add column "books"."rating": 2 existing row(s) get 0
ALTER TABLE "books" ADD COLUMN "rating" integer;
UPDATE "books" SET "rating" = 0 WHERE "rating" IS NULL;
ALTER TABLE "books" ALTER COLUMN "rating" SET NOT NULL;

-- migrate:down
ALTER TABLE "books" DROP COLUMN "rating";
