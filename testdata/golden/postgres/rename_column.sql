-- strata:revision REVISION
-- strata:message rename column
-- strata:dialect postgres

-- migrate:up
-- lint SL005 rename: renames column books.note to remark; the running older version of the application still uses the old name (docs/lint/SL005.md)
ALTER TABLE "books" RENAME COLUMN "note" TO "remark";

-- migrate:down
ALTER TABLE "books" RENAME COLUMN "remark" TO "note";
