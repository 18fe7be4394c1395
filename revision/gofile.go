package revision

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"strings"
)

// GoDeclaration is a revision that a Go file of the migrations directory
// declares: a strata.Migration literal whose Revision is a string
// literal.
type GoDeclaration struct {
	File string // the file's name in the directory
	Line int
	ID   string
}

// isGoSource reports whether name is a Go file that `go build` compiles
// into the package (test files are not).
func isGoSource(name string) bool {
	return path.Ext(name) == ".go" && !strings.HasSuffix(name, "_test.go")
}

// GoStamps describes the Go files at the top of fsys as they are now, in
// the order DeclaredInGo stamps them.
func GoStamps(fsys fs.FS) ([]Stamp, error) {
	names, err := goSources(fsys)
	if err != nil {
		return nil, err
	}
	out := make([]Stamp, 0, len(names))
	for _, name := range names {
		info, err := fs.Stat(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("revision: %w", err)
		}
		out = append(out, Stamp{name, info.Size(), info.ModTime().UnixNano()})
	}
	return out, nil
}

// goSources names the Go files at the top of fsys that go build
// compiles into the package, in name order.
func goSources(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("revision: read directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && isGoSource(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// DeclaredInGo reads the Go files at the top of fsys (a migrations
// package on disk) and returns the revisions they declare, with the
// stamps of the files read. It reads the source, not what a binary was
// built from: comparing the two tells that the binary is older than the
// directory. A file that does not parse declares nothing here (go build
// will say what is wrong with it); a revision id that is not a string
// literal cannot be read and is left out.
func DeclaredInGo(fsys fs.FS) ([]GoDeclaration, []Stamp, error) {
	var decls []GoDeclaration
	var stamps []Stamp
	err := eachGoSource(fsys, func(name string, data []byte, stamp Stamp) error {
		stamps = append(stamps, stamp)
		migrationLiterals(name, data, func(fset *token.FileSet, fields map[string]ast.Expr) bool {
			if d, ok := declaration(name, fset, fields); ok {
				decls = append(decls, d)
			}
			return true
		})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return decls, stamps, nil
}

// eachGoSource calls fn with each Go file at the top of fsys that go
// build compiles into the package, in name order.
func eachGoSource(fsys fs.FS, fn func(name string, data []byte, stamp Stamp) error) error {
	names, err := goSources(fsys)
	if err != nil {
		return err
	}
	for _, name := range names {
		data, stamp, err := readStamped(fsys, name)
		if err != nil {
			return fmt.Errorf("revision: %w", err)
		}
		if err := fn(name, data, stamp); err != nil {
			return err
		}
	}
	return nil
}

// migrationLiterals calls visit with the keyed fields of each
// strata.Migration literal of one Go file, until visit returns false. A
// file that does not parse has none (go build says what is wrong).
func migrationLiterals(name string, data []byte, visit func(fset *token.FileSet, fields map[string]ast.Expr) bool) {
	if !bytes.Contains(data, []byte("Migration")) {
		return
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, data, parser.SkipObjectResolution)
	if err != nil {
		return
	}
	more := true
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !more || !ok || !isMigrationType(lit.Type) {
			return more
		}
		fields := map[string]ast.Expr{}
		for _, el := range lit.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if key, ok := kv.Key.(*ast.Ident); ok {
					fields[key.Name] = kv.Value
				}
			}
		}
		more = visit(fset, fields)
		return more
	})
}

// declaration is the revision a Migration literal declares, when its
// Revision is a string literal holding a valid id.
func declaration(file string, fset *token.FileSet, fields map[string]ast.Expr) (GoDeclaration, bool) {
	id, ok := stringLit(fields["Revision"])
	if !ok || !idRE.MatchString(id) {
		return GoDeclaration{}, false
	}
	return GoDeclaration{File: file, Line: fset.Position(fields["Revision"].Pos()).Line, ID: id}, true
}

// isMigrationType reports whether a literal's type is strata.Migration
// (under any import name) or Migration.
func isMigrationType(e ast.Expr) bool {
	switch t := e.(type) {
	case *ast.SelectorExpr:
		return t.Sel.Name == "Migration"
	case *ast.Ident:
		return t.Name == "Migration"
	}
	return false
}
