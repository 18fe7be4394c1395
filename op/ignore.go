package op

import (
	"fmt"

	"github.com/strata-go/strata/schema"
)

// IgnoreIndex changes whether the optimizer ignores an index (MariaDB's
// ALTER INDEX … IGNORED, MySQL's ALTER INDEX … INVISIBLE), in place: the
// index is kept and not rebuilt. Index is its definition with Ignored as
// it is to become.
type IgnoreIndex struct {
	Table string
	Index *schema.Index
}

func (IgnoreIndex) op() {}

// Inverse flips Ignored back.
func (o IgnoreIndex) Inverse() (Op, error) {
	ix := o.Index.Clone()
	ix.Ignored = !ix.Ignored
	return IgnoreIndex{Table: o.Table, Index: ix}, nil
}

func (o IgnoreIndex) String() string {
	if o.Index.Ignored {
		return fmt.Sprintf("ignore index %q on %q", o.Index.Name, o.Table)
	}
	return fmt.Sprintf("use index %q on %q", o.Index.Name, o.Table)
}

// Apply sets the index's Ignored.
func (o IgnoreIndex) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	ix, ok := t.Index(o.Index.Name)
	if !ok {
		return fmt.Errorf("op: %s: no such index", o)
	}
	ix.Ignored = o.Index.Ignored
	return nil
}
