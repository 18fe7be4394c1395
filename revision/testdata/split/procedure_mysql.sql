DROP PROCEDURE IF EXISTS drop_index;

-- A procedure as MySQL projects write it without DELIMITER lines.
CREATE PROCEDURE drop_index(IN tableName VARCHAR(64), IN indexName VARCHAR(64))
BEGIN
    IF EXISTS(
        SELECT * FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = tableName AND INDEX_NAME = indexName)
    THEN
        SET @query = CONCAT('ALTER TABLE ', tableName, ' DROP INDEX ', indexName, ';');
        PREPARE stmt FROM @query;
        EXECUTE stmt;
        DEALLOCATE PREPARE stmt;
    END IF;
END;

CALL drop_index('users', 'username'); # the project's comment; it's MySQL's
CREATE DEFINER=`root`@`%` FUNCTION next_rank(r INT) RETURNS INT DETERMINISTIC
BEGIN
    DECLARE n INT DEFAULT r;
    outer_loop: LOOP
        SET n = n + 1;
        IF n % 10 = 0 THEN LEAVE outer_loop; END IF;
    END LOOP outer_loop;
    RETURN CASE WHEN n > 100 THEN 100 ELSE n END;
END;
DROP PROCEDURE drop_index;
