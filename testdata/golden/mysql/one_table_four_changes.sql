-- strata:revision REVISION
-- strata:message one table four changes
-- strata:dialect mysql

-- migrate:up
ALTER TABLE `books`
  DROP FOREIGN KEY `books_author_fk`,
  ADD COLUMN `isbn` VARCHAR(20) NULL,
  MODIFY COLUMN `title` VARCHAR(200) NULL;
ALTER TABLE `books` ADD CONSTRAINT `books_author_fk` FOREIGN KEY (`author_id`) REFERENCES `authors` (`id`) ON DELETE CASCADE;

-- migrate:down
ALTER TABLE `books` DROP FOREIGN KEY `books_author_fk`;
UPDATE `books` SET `title` = '' WHERE `title` IS NULL;
ALTER TABLE `books`
  MODIFY COLUMN `title` VARCHAR(100) NOT NULL,
  DROP COLUMN `isbn`,
  ADD CONSTRAINT `books_author_fk` FOREIGN KEY (`author_id`) REFERENCES `authors` (`id`);
