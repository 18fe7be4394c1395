package sqlite

import (
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

var _ dialect.GeneratedNamer = Dialect{}

// GeneratedName reports whether name is one SQLite made up: the
// sqlite_autoindex_<table>_<n> of a UNIQUE or PRIMARY KEY constraint.
// SQLite names no other constraint: an unnamed one has no name at all.
func (Dialect) GeneratedName(_ *schema.Table, kind op.ConstraintKind, name string) bool {
	return (kind == op.IndexConstraint || kind == op.PrimaryKeyConstraint) && strings.HasPrefix(name, "sqlite_autoindex_")
}

// renameConstraint renames a plain index by dropping it and creating it
// under the new name (SQLite has no ALTER INDEX); a constraint's name is
// part of the table's text, so the table is rebuilt.
func renameConstraint(current *schema.Schema, o op.RenameConstraint) ([]string, error) {
	t, err := tableOf(current, o.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", o, err)
	}
	if ix, ok := t.Index(o.From); ok && !isUniqueConstraint(ix) && o.KindIn(t) == op.IndexConstraint {
		renamed := ix.Clone()
		renamed.Name = o.To
		return []string{"DROP INDEX " + quote(o.From), createIndex(o.Table, renamed)}, nil
	}
	return rebuildWith(current, o.Table, o)
}
