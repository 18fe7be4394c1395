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

// renameIndex renames a plain index by dropping it and creating it under
// the new name: SQLite has no ALTER INDEX. Any other constraint's name is
// part of the table's text, and needsRebuild sends it to a rebuild.
func renameIndex(current *schema.Schema, o op.RenameConstraint) ([]string, error) {
	t, err := tableOf(current, o.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", o, err)
	}
	ix, ok := t.Index(o.From)
	if !ok || isUniqueConstraint(ix) || o.KindIn(t) != op.IndexConstraint {
		return nil, fmt.Errorf("sqlite: %s: not a plain index, so the table must be rebuilt", o)
	}
	renamed := ix.Clone()
	renamed.Name = o.To
	return []string{"DROP INDEX " + quote(o.From), createIndex(o.Table, renamed)}, nil
}

// isIndexRename reports whether o renames a plain index of t, which needs
// no rebuild.
func isIndexRename(t *schema.Table, o op.RenameConstraint) bool {
	if t == nil {
		return false
	}
	ix, ok := t.Index(o.From)
	return ok && !isUniqueConstraint(ix) && o.KindIn(t) == op.IndexConstraint
}
