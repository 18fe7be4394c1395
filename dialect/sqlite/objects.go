package sqlite

import (
	"errors"
	"fmt"
	"strings"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// ErrNoRoutines is returned, wrapped with the op, when rendering an op on
// a stored function or an extension: SQLite has neither (its functions
// are registered by the application, in Go).
var ErrNoRoutines = errors.New("sqlite: SQLite has no stored functions, procedures or extensions")

// triggerDef returns a trigger's CREATE TRIGGER text as SQLite keeps it,
// with quotes taken off the names of the schema's tables, views and columns where
// they need none (unquoted), and the table after ON written as
// quote(table). SQLite keeps the text as written, but writes a renamed
// table or column as "new" in it: without the quotes, a trigger reads the
// same before and after a rename. names are the schema's (schemaNames).
func triggerDef(text, table string, names map[string]bool) string {
	text = unquoted(strings.TrimSuffix(strings.TrimSpace(text), ";"), names)
	start, end, ok := schema.TriggerTable(text)
	if !ok {
		return text
	}
	return text[:start] + quote(table) + text[end:]
}

// schemaNames returns the names of s's tables, views and columns, in
// lower case.
func schemaNames(s *schema.Schema) map[string]bool {
	names := map[string]bool{}
	for _, t := range s.Tables {
		names[strings.ToLower(t.Name)] = true
		for _, c := range t.Columns {
			names[strings.ToLower(c.Name)] = true
		}
	}
	for _, v := range s.Views {
		names[strings.ToLower(v.Name)] = true
	}
	return names
}

// unquoted takes the quotes ("x", `x`, [x]) off the identifiers of text
// that name one of names and are plain words (letters, digits and
// underscores, not starting with a digit) and not keywords, where a bare
// word means the same. Other quoted words stay: SQLite reads "x" that
// names nothing as the string 'x'. Literals and comments are left as they
// are.
func unquoted(text string, names map[string]bool) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '-' && strings.HasPrefix(text[i:], "--"):
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				i = len(text)
			} else {
				i += j
			}
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				i = len(text)
			} else {
				i += j + 4
			}
		case c == '\'':
			i = closeQuote(text, i, c)
		case c == '"' || c == '`' || c == '[':
			var j int
			if c == '[' {
				j = strings.IndexByte(text[i:], ']')
				if j < 0 {
					i = len(text)
					continue
				}
				j += i + 1
			} else {
				j = closeQuote(text, i, c)
			}
			name := (token{tokQuoted, text[i:j], i}).name()
			if names[strings.ToLower(name)] && plainWord(name) && !sqliteKeywords[strings.ToUpper(name)] {
				b.WriteString(text[last:i])
				b.WriteString(name)
				last = j
			}
			i = j
		default:
			i++
		}
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// plainWord reports whether name can be written bare: letters, digits
// and underscores, not starting with a digit.
func plainWord(name string) bool {
	if name == "" || isDigit(name[0]) {
		return false
	}
	for _, c := range []byte(name) {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c)) {
			return false
		}
	}
	return true
}

// sqliteKeywords are the words SQLite reserves
// (https://sqlite.org/lang_keywords.html; the 147 that sqlite3_keyword_name
// returns): quoted, they stay quoted, and quote() quotes them.
var sqliteKeywords = map[string]bool{}

func init() {
	for _, kw := range strings.Fields(`ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH
		AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT
		CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT
		DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE
		EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP
		GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO
		IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL
		NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE
		RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT
		ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER
		UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`) {
		sqliteKeywords[kw] = true
	}
}

// renderObject renders the ops on triggers, functions and extensions, or
// reports ok false for any other op.
func renderObject(o op.Op) (stmts []string, ok bool, err error) {
	switch o := o.(type) {
	case op.CreateTrigger:
		if o.Trigger == nil || strings.TrimSpace(o.Trigger.Def) == "" {
			return nil, true, fmt.Errorf("sqlite: render %s: no trigger definition", o)
		}
		return []string{o.Trigger.Def}, true, nil
	case op.DropTrigger:
		if o.Trigger == nil || o.Trigger.Name == "" {
			return nil, true, fmt.Errorf("sqlite: render drop trigger: no trigger name")
		}
		// Trigger names are the schema's, not the table's, in SQLite.
		return []string{"DROP TRIGGER " + quote(o.Trigger.Name)}, true, nil
	case op.CreateFunction, op.DropFunction, op.ReplaceFunction, op.CreateExtension, op.DropExtension:
		return nil, true, fmt.Errorf("render %s: %w", o, ErrNoRoutines)
	}
	return nil, false, nil
}

// createTriggers returns the CREATE TRIGGER statements of triggers.
func createTriggers(triggers []*schema.Trigger) []string {
	var stmts []string
	for _, tr := range triggers {
		stmts = append(stmts, tr.Def)
	}
	return stmts
}
