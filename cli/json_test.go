package cli

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/lint"
	"github.com/strata-go/strata/runner"
)

// TestJSONNames checks that every exported field of the values --json
// prints has a snake_case json name, as docs/cli.md documents them: a
// field added without a tag would appear under its Go name.
func TestJSONNames(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	seen := map[reflect.Type]bool{}
	var walk func(t *testing.T, typ reflect.Type)
	walk = func(t *testing.T, typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ.PkgPath() == "time" {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			tag, ok := f.Tag.Lookup("json")
			if !ok && f.Anonymous {
				walk(t, f.Type)
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if !ok || (name != "-" && !snake.MatchString(name)) {
				t.Errorf("%s.%s: json tag %q, want a snake_case name (and a line in docs/cli.md)", typ, f.Name, tag)
				continue
			}
			if name != "-" {
				walk(t, f.Type)
			}
		}
	}
	for _, v := range []any{
		stateJSON{}, historyJSON{}, headsJSON{}, branchesJSON{}, showJSON{}, checkJSON{},
		moveJSON{}, testJSON{}, lintJSON{}, jsonError{}, writtenJSON{}, stampJSON{}, repairJSON{},
		strata.State{}, strata.Result{}, strata.TestReport{}, runner.PartialError{}, lint.Finding{}, strata.BuildInfo{},
	} {
		walk(t, reflect.TypeOf(v))
	}
}

// TestHistoryJSONHalfDone: a revision that stopped half-way is
// "half-done" in history --indicate-current --json, with how far it got;
// a half-done downgrade's revision is still applied and current.
func TestHistoryJSONHalfDone(t *testing.T) {
	one := &strata.Revision{ID: "001"}
	two := &strata.Revision{ID: "002", Parents: []string{"001"}}
	st := &strata.State{
		Current:  []*strata.Revision{one},
		Applied:  []runner.Applied{{Revision: "001"}},
		Heads:    []string{"002"},
		HalfDone: []runner.Progress{{Revision: "002", Direction: runner.Up, Done: 1, Total: 3}},
	}
	data, err := json.Marshal(newHistoryJSON([]*strata.Revision{one, two}, st, true))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"history":[` +
		`{"revision":{"id":"002","parents":["001"],"message":"","path":"","up":[],"down":[],"branch_labels":[],"depends_on":[],"lint_ignore":{},"no_transaction":false,"checksum":"","form":"sql"},` +
		`"state":"half-done","head":true,"current":false,"half_done":{"revision_id":"002","direction":"up","done":1,"total":3,"in_flight":false}},` +
		`{"revision":{"id":"001","parents":[],"message":"","path":"","up":[],"down":[],"branch_labels":[],"depends_on":[],"lint_ignore":{},"no_transaction":false,"checksum":"","form":"sql"},` +
		`"state":"applied","head":false,"current":true,"half_done":null}]}`
	if string(data) != want {
		t.Errorf("history --json:\n got %s\nwant %s", data, want)
	}
}

// TestHistoryJSONWithoutDatabase: history --json without
// --indicate-current claims nothing about the database: state and
// current are null, head is the files'.
func TestHistoryJSONWithoutDatabase(t *testing.T) {
	one := &strata.Revision{ID: "001"}
	two := &strata.Revision{ID: "002", Parents: []string{"001"}}
	data, err := json.Marshal(newHistoryJSON([]*strata.Revision{one, two}, &strata.State{Heads: []string{"002"}}, false))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"state":null,"head":true,"current":null,"half_done":null}`,
		`"state":null,"head":false,"current":null,"half_done":null}`,
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("history --json without -i: want %s in\n%s", want, data)
		}
	}
}
