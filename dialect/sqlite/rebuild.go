package sqlite

import (
	"fmt"
	"slices"

	"github.com/strata-go/strata/schema"
)

// rebuild returns the statements of the table rebuild SQLite documents for
// changes ALTER TABLE cannot make: create the new table under a temporary
// name, copy the rows, drop the old table, rename the new one into place,
// and create its indexes again. Columns of the new table that are in
// oldColumns are copied; the rest take their defaults. It runs inside the
// revision's transaction, so a failure leaves the old table as it was.
func rebuild(after *schema.Table, oldColumns []*schema.Column) []string {
	tmp := "_strata_new_" + after.Name
	var copied []string
	for _, c := range after.Columns {
		if slices.ContainsFunc(oldColumns, func(o *schema.Column) bool { return o.Name == c.Name }) {
			copied = append(copied, c.Name)
		}
	}
	stmts := []string{
		createTable(tmp, after),
		fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s", quote(tmp), quoteList(copied), quoteList(copied), quote(after.Name)),
		"DROP TABLE " + quote(after.Name),
		fmt.Sprintf("ALTER TABLE %s RENAME TO %s", quote(tmp), quote(after.Name)),
	}
	for _, ix := range after.Indexes {
		if !isAutoIndex(ix.Name) {
			stmts = append(stmts, createIndex(after.Name, ix))
		}
	}
	return stmts
}
