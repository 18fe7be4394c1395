package revision_test

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strata-go/strata/revision"
)

func TestReadGoHeaders(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"001_a.go":  {Data: []byte("package migrations\n\nimport s \"github.com/strata-go/strata\"\n\nfunc init() {\n\ts.Register(s.Migration{\n\t\tRevision: \"001\",\n\t\tParents: []string{},\n\t\tBranchLabels: []string{\"core\"},\n\t})\n\ts.Register(s.Migration{Message: `two`, Revision: \"002\", Parents: []string{\"001\", \"x\"}, NoTransaction: true})\n}\n")},
		"003_b.go":  {Data: []byte("package migrations\n\nconst id = \"003\"\n\nvar _ = strata.Migration{Revision: id, Parents: nil}\n")},
		"bad.go":    {Data: []byte("package migrations\nvar _ = strata.Migration{Revision: \"004\"")},
		"x_test.go": {Data: []byte("package migrations\nvar _ = strata.Migration{Revision: \"005\"}\n")},
	}
	got, err := revision.ReadGoHeaders(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []revision.GoHeader{
		{GoDeclaration: revision.GoDeclaration{File: "001_a.go", Line: 7, ID: "001"}, BranchLabels: []string{"core"}},
		{GoDeclaration: revision.GoDeclaration{File: "001_a.go", Line: 11, ID: "002"}, Parents: []string{"001", "x"}, Message: "two", NoTransaction: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadGoHeaders = %+v\nwant %+v", got, want)
	}
}

func TestReadGoHeadersErrors(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct{ src, want string }{
		"variable":  {"package m\nvar p = []string{\"1\"}\nvar _ = strata.Migration{Revision: \"2\",\n\tParents: p}\n", "a.go:4: revision 2: Parents is not a list of string literals"},
		"constant":  {"package m\nconst p = \"1\"\nvar _ = strata.Migration{Revision: \"2\", Parents: []string{p}}\n", "a.go:3: revision 2: Parents is not a list of string literals"},
		"bad label": {"package m\nvar _ = strata.Migration{Revision: \"2\", BranchLabels: []string{\"a-b\"}}\n", `a.go:2: revision 2: BranchLabels holds "a-b": use letters, digits and _ only`},
	} {
		_, err := revision.ReadGoHeaders(fstest.MapFS{"a.go": {Data: []byte(tt.src)}})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q…", name, err, tt.want)
		}
	}
}
