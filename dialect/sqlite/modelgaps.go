package sqlite

import "github.com/strata-go/strata/schema"

// KeepModelGaps gives the tables of desired, which come from Go models,
// what models cannot say about a SQLite table and current has: STRICT,
// WITHOUT ROWID, and whether the rowid alias is declared NOT NULL (it
// never holds NULL either way, so most people leave it out). Autogenerate
// then leaves them as they are rather than rebuilding the table.
func (d Dialect) KeepModelGaps(current, desired *schema.Schema) {
	options := false
	for _, t := range desired.Tables {
		ct, ok := current.Table(t.Name)
		if !ok {
			continue
		}
		if ct.Strict || ct.WithoutRowID {
			t.Strict, t.WithoutRowID = ct.Strict, ct.WithoutRowID
			options = true
		}
	}
	if options {
		// A WITHOUT ROWID table has no rowid alias.
		d.Canonical(desired)
	}
	for _, t := range desired.Tables {
		ct, ok := current.Table(t.Name)
		if !ok {
			continue
		}
		have, want := aliasColumn(ct), aliasColumn(t)
		if have != nil && want != nil && have.Name == want.Name && have.Nullable {
			want.Nullable = true
		}
	}
}
