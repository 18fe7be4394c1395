package revision

import (
	"bytes"
	"encoding/json"
	"strings"
)

// MarshalJSON encodes a revision with the fields' json names, as
// docs/cli.md documents them, plus "form" ("sql" or "go"); lists are
// arrays and the map an object even when empty, so that a reader never
// meets null.
func (r Revision) MarshalJSON() ([]byte, error) {
	type fields Revision // the fields without this method
	f := fields(r)
	if f.Parents == nil {
		f.Parents = []string{}
	}
	if f.Up == nil {
		f.Up = []Statement{}
	}
	if f.Down == nil {
		f.Down = []Statement{}
	}
	if f.BranchLabels == nil {
		f.BranchLabels = []string{}
	}
	if f.DependsOn == nil {
		f.DependsOn = []string{}
	}
	if f.LintIgnore == nil {
		f.LintIgnore = map[string]string{}
	}
	// A Go file just written (revision --go, migrate --format go) is Go
	// before the binary is rebuilt to register it.
	form := "sql"
	if r.IsGo() || strings.HasSuffix(r.Path, ".go") {
		form = "go"
	}
	// Not json.Marshal: it would escape the SQL's < > & for HTML, and an
	// encoder that does not (the CLI's) could not undo it.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		fields
		Form string `json:"form"`
	}{f, form})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}
