package mysql

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.Fingerprinter = (*Dialect)(nil)

// fingerprintParts select one line of text per catalog object of the
// current database: tables and views, columns, index columns, constraints,
// foreign keys, checks, views' text, triggers, routines and events. What
// rows change (row counts, AUTO_INCREMENT, sizes, times) is left out, so
// that only DDL moves the fingerprint. {notours} stands for the
// exclusion of strata's own tables by TABLE_NAME-like column.
var fingerprintParts = []string{
	`SELECT CONCAT_WS('|', 't', TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE, ''), IFNULL(TABLE_COLLATION, ''), IFNULL(CREATE_OPTIONS, ''), IFNULL(TABLE_COMMENT, '')) AS line
	 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND {notours}`,
	`SELECT CONCAT_WS('|', 'c', TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '<none>'), EXTRA,
	  IFNULL(CHARACTER_SET_NAME, ''), IFNULL(COLLATION_NAME, ''), COLUMN_COMMENT, IFNULL(GENERATION_EXPRESSION, '')) AS line
	 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND {notours}`,
	`SELECT CONCAT_WS('|', 'i', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, IFNULL(COLUMN_NAME, ''), NON_UNIQUE, IFNULL(SUB_PART, ''),
	  IFNULL(COLLATION, ''), INDEX_TYPE, IFNULL(INDEX_COMMENT, '')) AS line
	 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND {notours}`,
	`SELECT CONCAT_WS('|', 'k', TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE) AS line
	 FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND {notours}`,
	`SELECT CONCAT_WS('|', 'f', TABLE_NAME, CONSTRAINT_NAME, IFNULL(REFERENCED_TABLE_NAME, ''), UPDATE_RULE, DELETE_RULE) AS line
	 FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND {notours}`,
	`SELECT CONCAT_WS('|', 'u', TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, IFNULL(REFERENCED_TABLE_NAME, ''), IFNULL(REFERENCED_COLUMN_NAME, '')) AS line
	 FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND {notours}`,
	`SELECT CONCAT_WS('|', 'x', CONSTRAINT_NAME, CHECK_CLAUSE) AS line
	 FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`,
	`SELECT CONCAT_WS('|', 'v', TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, IS_UPDATABLE, SECURITY_TYPE) AS line
	 FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()`,
	`SELECT CONCAT_WS('|', 'g', TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_TIMING, ACTION_STATEMENT) AS line
	 FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE()`,
	`SELECT CONCAT_WS('|', 'r', ROUTINE_TYPE, ROUTINE_NAME, IFNULL(DTD_IDENTIFIER, ''), IFNULL(ROUTINE_DEFINITION, ''), IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT) AS line
	 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()`,
	`SELECT CONCAT_WS('|', 'p', SPECIFIC_NAME, IFNULL(ORDINAL_POSITION, ''), IFNULL(PARAMETER_MODE, ''), IFNULL(PARAMETER_NAME, ''), IFNULL(DTD_IDENTIFIER, '')) AS line
	 FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = DATABASE()`,
	`SELECT CONCAT_WS('|', 'e', EVENT_NAME, IFNULL(EVENT_DEFINITION, ''), EVENT_TYPE, IFNULL(INTERVAL_VALUE, ''), IFNULL(INTERVAL_FIELD, ''), STATUS, ON_COMPLETION, EVENT_COMMENT) AS line
	 FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()`,
}

// Fingerprint hashes the catalog of the connection's current database:
// every table, column, index, constraint, view, trigger, routine and
// event, leaving out the tables named in exclude (strata's own). It reads
// information_schema in one query and changes only with DDL, so the
// runner compares a fingerprint taken before a DDL statement with one
// taken after a crash to learn whether the statement ran.
func (d *Dialect) Fingerprint(ctx context.Context, q dialect.Querier, exclude []string) (string, error) {
	notOurs := "TRUE"
	if len(exclude) > 0 {
		lits := make([]string, len(exclude))
		for i, t := range exclude {
			lits[i] = quoteString(t)
		}
		notOurs = "TABLE_NAME NOT IN (" + strings.Join(lits, ", ") + ")"
	}
	parts := make([]string, len(fingerprintParts))
	for i, p := range fingerprintParts {
		parts[i] = strings.ReplaceAll(p, "{notours}", notOurs)
	}
	query := strings.Join(parts, "\nUNION ALL\n")
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return "", fmt.Errorf("mysql: fingerprint the schema: %w", err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line sql.NullString
		if err := rows.Scan(&line); err != nil {
			return "", fmt.Errorf("mysql: fingerprint the schema: %w", err)
		}
		lines = append(lines, line.String)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("mysql: fingerprint the schema: %w", err)
	}
	// Sorted here: the parts mix collations, which ORDER BY would refuse.
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
