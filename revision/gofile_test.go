package revision_test

import (
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/strata-go/strata/revision"
)

func TestDeclaredInGo(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"001_a.go":  {Data: []byte("package migrations\n\nimport s \"github.com/strata-go/strata\"\n\nfunc init() {\n\ts.Register(s.Migration{\n\t\tRevision: \"001\",\n\t})\n\ts.Register(s.Migration{Message: \"x\", Revision: `002`})\n}\n")},
		"003_b.go":  {Data: []byte("package migrations\n\nconst id = \"003\"\n\nvar _ = strata.Migration{Revision: id}\n")},
		"embed.go":  {Data: []byte("package migrations\n\nimport \"embed\"\n\nvar FS embed.FS\n")},
		"bad.go":    {Data: []byte("package migrations\nvar _ = strata.Migration{Revision: \"004\"")},
		"x_test.go": {Data: []byte("package migrations\nvar _ = strata.Migration{Revision: \"005\"}\n")},
		"001_a.sql": {Data: []byte("-- strata:revision 009\n-- migrate:up\n")},
	}
	decls, stamps, err := revision.DeclaredInGo(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []revision.GoDeclaration{{File: "001_a.go", Line: 7, ID: "001"}, {File: "001_a.go", Line: 9, ID: "002"}}
	if !reflect.DeepEqual(decls, want) {
		t.Errorf("DeclaredInGo = %+v, want %+v", decls, want)
	}
	goStamps, err := revision.GoStamps(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(stamps) != 4 || !reflect.DeepEqual(stamps, goStamps) {
		t.Errorf("stamps %+v, GoStamps %+v: want the same four", stamps, goStamps)
	}
}
