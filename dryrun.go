package strata

import (
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// withRelated adds to names, the tables a plan names (lower-cased; nil
// for every table), the tables whose rows running the plan on a copy
// needs as well, over and over until none is added: the tables a named
// table's foreign keys reference (a row inserted finds its parent) and
// those whose foreign keys reference it (a row deleted or updated meets
// its children, as CASCADE, SET NULL or RESTRICT would have it), and the
// tables its triggers name (as the dialect's lexer reads them).
func withRelated(d dialect.Dialect, current *schema.Schema, names map[string]bool) map[string]bool {
	if names == nil {
		return nil
	}
	nr, _ := d.(dialect.NameReader)
	for added := true; added; {
		added = false
		add := func(name string) {
			if n := strings.ToLower(name); !names[n] {
				names[n], added = true, true
			}
		}
		for _, t := range current.Tables {
			named := names[strings.ToLower(t.Name)]
			for _, fk := range t.ForeignKeys {
				switch {
				case named:
					add(fk.RefTable)
				case names[strings.ToLower(fk.RefTable)]:
					add(t.Name)
				}
			}
			if named && nr != nil {
				for _, tr := range t.Triggers {
					for _, n := range nr.Names(tr.Def) {
						if _, ok := current.Table(n); ok {
							add(n)
						}
					}
				}
			}
		}
	}
	return names
}
