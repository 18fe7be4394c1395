package revision

import (
	"fmt"
	"go/ast"
	"go/token"
	"io/fs"
	"strconv"
)

// GoHeader is what a Go revision's source says of its place in the graph:
// the fields of its strata.Migration literal that a SQL file's header
// holds. A binary that cannot run the revision (the standalone strata
// binary) still links it into the graph from these.
type GoHeader struct {
	GoDeclaration
	Parents       []string
	Message       string
	BranchLabels  []string
	NoTransaction bool
}

// ReadGoHeaders reads the revisions the Go files at the top of fsys
// declare, as DeclaredInGo finds them, with their parents, message,
// branch labels and NoTransaction. A revision whose Parents or
// BranchLabels are not written as string literals is an error naming its
// file and line: its place in the graph cannot be known without running
// the program.
func ReadGoHeaders(fsys fs.FS) ([]GoHeader, error) {
	var out []GoHeader
	err := eachGoSource(fsys, func(name string, data []byte, _ Stamp) error {
		hs, err := headersIn(name, data)
		out = append(out, hs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// headersIn reads the Migration literals of one Go file whose Revision is
// a string literal.
func headersIn(name string, data []byte) ([]GoHeader, error) {
	var out []GoHeader
	var firstErr error
	migrationLiterals(name, data, func(fset *token.FileSet, fields map[string]ast.Expr) bool {
		decl, ok := declaration(name, fset, fields)
		if !ok {
			return true // not read, as DeclaredInGo does not
		}
		h := GoHeader{GoDeclaration: decl}
		h.Message, _ = stringLit(fields["Message"])
		if v, ok := fields["NoTransaction"].(*ast.Ident); ok && v.Name == "true" {
			h.NoTransaction = true
		}
		for _, list := range []struct {
			field string
			to    *[]string
		}{{"Parents", &h.Parents}, {"BranchLabels", &h.BranchLabels}} {
			ids, ok := stringList(fields[list.field])
			if !ok {
				firstErr = fmt.Errorf("%s:%d: revision %s: %s is not a list of string literals ([]string{\"…\"}); strata reads a Go revision's place in the graph from its source, so write the ids out",
					name, fset.Position(fields[list.field].Pos()).Line, decl.ID, list.field)
				return false
			}
			for _, p := range ids {
				if !idRE.MatchString(p) {
					firstErr = fmt.Errorf("%s:%d: revision %s: %s holds %q: use letters, digits and _ only", name, fset.Position(fields[list.field].Pos()).Line, decl.ID, list.field, p)
					return false
				}
			}
			*list.to = ids
		}
		out = append(out, h)
		return true
	})
	return out, firstErr
}

// stringLit returns the value of a string literal.
func stringLit(e ast.Expr) (string, bool) {
	v, ok := e.(*ast.BasicLit)
	if !ok || v.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(v.Value)
	return s, err == nil
}

// stringList returns the strings of []string{"a", "b"}; an absent field
// and nil are an empty list.
func stringList(e ast.Expr) ([]string, bool) {
	switch v := e.(type) {
	case nil:
		return nil, true
	case *ast.Ident:
		return nil, v.Name == "nil"
	case *ast.CompositeLit:
		var out []string
		for _, el := range v.Elts {
			s, ok := stringLit(el)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}
