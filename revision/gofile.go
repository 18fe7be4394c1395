package revision

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"strconv"
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
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("revision: read directory: %w", err)
	}
	var out []Stamp
	for _, e := range entries {
		if e.IsDir() || !isGoSource(e.Name()) {
			continue
		}
		info, err := fs.Stat(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("revision: %w", err)
		}
		out = append(out, Stamp{e.Name(), info.Size(), info.ModTime().UnixNano()})
	}
	return out, nil
}

// DeclaredInGo reads the Go files at the top of fsys (a migrations
// package on disk) and returns the revisions they declare, with the
// stamps of the files read. It reads the source, not what a binary was
// built from: comparing the two tells that the binary is older than the
// directory. A file that does not parse declares nothing here (go build
// will say what is wrong with it); a revision id that is not a string
// literal cannot be read and is left out.
func DeclaredInGo(fsys fs.FS) ([]GoDeclaration, []Stamp, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil, fmt.Errorf("revision: read directory: %w", err)
	}
	var decls []GoDeclaration
	var stamps []Stamp
	for _, e := range entries {
		if e.IsDir() || !isGoSource(e.Name()) {
			continue
		}
		data, stamp, err := readStamped(fsys, e.Name())
		if err != nil {
			return nil, nil, fmt.Errorf("revision: %w", err)
		}
		stamps = append(stamps, stamp)
		if bytes.Contains(data, []byte("Migration")) {
			decls = append(decls, declaredIn(e.Name(), data)...)
		}
	}
	return decls, stamps, nil
}

// declaredIn finds the Revision fields of the Migration literals of one
// Go file.
func declaredIn(name string, data []byte) []GoDeclaration {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, data, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var out []GoDeclaration
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || !isMigrationType(lit.Type) {
			return true
		}
		for _, el := range lit.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if key, ok := kv.Key.(*ast.Ident); !ok || key.Name != "Revision" {
				continue
			}
			if v, ok := kv.Value.(*ast.BasicLit); ok && v.Kind == token.STRING {
				if id, err := strconv.Unquote(v.Value); err == nil && idRE.MatchString(id) {
					out = append(out, GoDeclaration{File: name, Line: fset.Position(v.Pos()).Line, ID: id})
				}
			}
		}
		return true
	})
	return out
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
