package postgres

import (
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

var _ dialect.GeneratedNamer = Dialect{}

// GeneratedName reports whether name ends as the names PostgreSQL makes
// up for unnamed constraints and indexes do (makeObjectName's label, then
// the number ChooseRelationName adds on a clash): _fkey for foreign keys,
// _check for checks, _key for UNIQUE constraints, _idx for indexes, _pkey
// for primary keys. The start is not checked: PostgreSQL keeps a
// constraint's name when its table or column is renamed.
func (Dialect) GeneratedName(_ *schema.Table, kind op.ConstraintKind, name string) bool {
	base := strings.TrimRight(name, "0123456789")
	switch kind {
	case op.ForeignKeyConstraint:
		return strings.HasSuffix(base, "_fkey")
	case op.CheckConstraint:
		return strings.HasSuffix(base, "_check")
	case op.IndexConstraint:
		return strings.HasSuffix(base, "_key") || strings.HasSuffix(base, "_idx")
	case op.PrimaryKeyConstraint:
		return strings.HasSuffix(base, "_pkey")
	}
	return false
}

// renameConstraint renames an index with ALTER INDEX and a constraint (a
// UNIQUE constraint's index with it) with ALTER TABLE … RENAME
// CONSTRAINT; both change the catalog only.
func renameConstraint(current *schema.Schema, o op.RenameConstraint) ([]string, error) {
	if o.From == "" || o.To == "" {
		return nil, fmt.Errorf("needs both names")
	}
	if current != nil {
		if t, ok := current.Table(o.Table); ok {
			if ix, ok := t.Index(o.From); ok && !ix.Constraint && o.KindIn(t) == op.IndexConstraint {
				return []string{fmt.Sprintf("ALTER INDEX %s RENAME TO %s", quote(o.From), quote(o.To))}, nil
			}
		}
	}
	return []string{fmt.Sprintf("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", quote(o.Table), quote(o.From), quote(o.To))}, nil
}
