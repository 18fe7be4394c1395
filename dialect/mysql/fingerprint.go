package mysql

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.Fingerprinter = (*Dialect)(nil)

// The fingerprint's queries select one line of text per catalog object of
// the current database. What rows change (row counts, AUTO_INCREMENT,
// sizes, times) is left out, so that only DDL moves the fingerprint.
// {tables} stands for the condition on TABLE_NAME choosing the tables
// whose definitions are read: every table but strata's own, or the one a
// statement can change.

// fingerprintNames lists the tables and views by name: cheap, as MariaDB
// reads names without opening tables.
const fingerprintNames = `SELECT CONCAT_WS('|', 'n', TABLE_NAME, TABLE_TYPE) AS line
	 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND {notours}`

// fingerprintTables read the definitions of the tables {tables} selects.
var fingerprintTables = []string{
	`SELECT CONCAT_WS('|', 't', TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE, ''), IFNULL(TABLE_COLLATION, ''), IFNULL(CREATE_OPTIONS, ''), IFNULL(TABLE_COMMENT, '')) AS line
	 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND {tables}`,
	`SELECT CONCAT_WS('|', 'c', TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '<none>'), EXTRA,
	  IFNULL(CHARACTER_SET_NAME, ''), IFNULL(COLLATION_NAME, ''), COLUMN_COMMENT, IFNULL(GENERATION_EXPRESSION, '')) AS line
	 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND {tables}`,
	`SELECT CONCAT_WS('|', 'i', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, IFNULL(COLUMN_NAME, ''), NON_UNIQUE, IFNULL(SUB_PART, ''),
	  IFNULL(COLLATION, ''), INDEX_TYPE, IFNULL(INDEX_COMMENT, '')) AS line
	 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND {tables}`,
	`SELECT CONCAT_WS('|', 'k', TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE) AS line
	 FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND {tables}`,
	`SELECT CONCAT_WS('|', 'f', TABLE_NAME, CONSTRAINT_NAME, IFNULL(REFERENCED_TABLE_NAME, ''), UPDATE_RULE, DELETE_RULE) AS line
	 FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND {tables}`,
	`SELECT CONCAT_WS('|', 'u', TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, IFNULL(REFERENCED_TABLE_NAME, ''), IFNULL(REFERENCED_COLUMN_NAME, '')) AS line
	 FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND {tables}`,
}

// fingerprintObjects read the objects beside tables, for the whole
// catalog. A statement that changes one table's definition, or the names
// of tables, changes none of them but the table's triggers
// (fingerprintTriggers).
var fingerprintObjects = []string{
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

// fingerprintTriggers reads the triggers of table {table}.
const fingerprintTriggers = `SELECT CONCAT_WS('|', 'g', TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_TIMING, ACTION_STATEMENT) AS line
	 FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = {table}`

// Fingerprint hashes the catalog of the connection's current database as
// far as statement can change it: the names of all tables and views,
// views, triggers, routines, events and checks, and the definitions
// (columns, indexes, constraints, foreign keys) of every table, or only of
// the one table statement names where it is a CREATE TABLE, ALTER TABLE,
// CREATE INDEX or DROP INDEX (none for DROP, RENAME and TRUNCATE TABLE,
// which change names only). Reading one table's definition instead of
// all keeps the cost of a fingerprint small on a large schema. Tables
// named in exclude (strata's own) are left out. The runner compares a
// fingerprint taken before a DDL statement with one taken, for the same
// statement, after a crash, to learn whether the statement ran.
func (d *Dialect) Fingerprint(ctx context.Context, q dialect.Querier, statement string, exclude []string) (string, error) {
	notOurs := "TRUE"
	if len(exclude) > 0 {
		lits := make([]string, len(exclude))
		for i, t := range exclude {
			lits[i] = quoteString(t)
		}
		notOurs = "TABLE_NAME NOT IN (" + strings.Join(lits, ", ") + ")"
	}
	parts := []string{fingerprintNames}
	table, namesOnly, scoped := fingerprintScope(statement)
	switch {
	case !scoped:
		parts = append(parts, fingerprintTables...)
	case !namesOnly:
		for _, p := range fingerprintTables {
			parts = append(parts, strings.ReplaceAll(p, "{tables}", "TABLE_NAME = "+quoteString(table)))
		}
	}
	if !scoped {
		parts = append(parts, fingerprintObjects...)
	} else if !namesOnly {
		parts = append(parts, strings.ReplaceAll(fingerprintTriggers, "{table}", quoteString(table)))
	}
	query := strings.ReplaceAll(strings.ReplaceAll(strings.Join(parts, "\nUNION ALL\n"), "{tables}", notOurs), "{notours}", notOurs)
	sum, err := dialect.HashLines(ctx, q, query)
	if err != nil {
		return "", fmt.Errorf("mysql: fingerprint the schema: %w", err)
	}
	return sum, nil
}

// fingerprintScope reads which table's definition statement can change
// (Classify): table for CREATE [OR REPLACE] TABLE, ALTER TABLE, CREATE
// INDEX … ON table and DROP INDEX … ON table; namesOnly for DROP TABLE,
// RENAME TABLE and TRUNCATE, which change the list of tables and nothing
// in one. scoped is false for anything else (temporary tables included),
// or a name qualified with a database, which the whole catalog covers.
func fingerprintScope(statement string) (table string, namesOnly, scoped bool) {
	st := Classify(statement)
	switch st.Kind {
	case CreateTable, AlterTable, CreateIndex, DropIndex:
		if st.Temporary || st.Tables[0].Schema != "" {
			return "", false, false // qualified: another database, maybe
		}
		return st.Tables[0].Name, false, true
	case DropTable:
		return "", !st.Temporary, !st.Temporary
	case RenameTable, TruncateTable:
		return "", true, true
	}
	return "", false, false
}
