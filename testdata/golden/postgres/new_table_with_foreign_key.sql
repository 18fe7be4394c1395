-- strata:revision REVISION
-- strata:message new table with foreign key
-- strata:dialect postgres

-- migrate:up
CREATE TABLE "reviews" (
  "id" integer NOT NULL,
  "book_id" integer NOT NULL,
  "body" character varying(1000),
  CONSTRAINT "reviews_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "reviews_book_fk" FOREIGN KEY ("book_id") REFERENCES "books" ("id")
);

-- migrate:down
DROP TABLE "reviews";
