package cli

import (
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
		moveJSON{}, testJSON{}, lintJSON{}, jsonError{},
		strata.State{}, strata.Result{}, strata.TestReport{}, runner.PartialError{}, lint.Finding{},
	} {
		walk(t, reflect.TypeOf(v))
	}
}
