-- strata:revision REVISION
-- strata:message new table with foreign key
-- strata:dialect mysql

-- migrate:up
CREATE TABLE `reviews` (
  `id` INT NOT NULL,
  `book_id` INT NOT NULL,
  `body` VARCHAR(1000) NULL,
  PRIMARY KEY (`id`),
  INDEX `reviews_book_fk` (`book_id`),
  CONSTRAINT `reviews_book_fk` FOREIGN KEY (`book_id`) REFERENCES `books` (`id`)
);

-- migrate:down
DROP TABLE `reviews`;
