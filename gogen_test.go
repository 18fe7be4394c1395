package strata_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

const appMain = `package main

import (
	"context"
	"os"

	"app/migrations"

	"github.com/strata-go/strata/cli"
)

func main() {
	os.Exit(cli.Execute(context.Background(), cli.New(cli.WithName("db"), cli.WithModels(Models...), cli.WithFS(migrations.FS))))
}
`

const modelsV1 = `package main

type Order struct {
	ID    int64  ` + "`db:\"id\" strata:\"pk\"`" + `
	Item  string ` + "`db:\"item\" strata:\"size:100,index\"`" + `
	Price float64 ` + "`db:\"price\"`" + `
}

var Models = []any{Order{}}
`

const modelsV2 = `package main

type Order struct {
	ID       int64  ` + "`db:\"id\" strata:\"pk\"`" + `
	Item     string ` + "`db:\"item\" strata:\"size:200,index\"`" + `
	Price    float64 ` + "`db:\"price\"`" + `
	Quantity int32  ` + "`db:\"quantity\" strata:\"default:1\"`" + `
	Note     *string ` + "`db:\"note\"`" + `
}

type Customer struct {
	ID   int64  ` + "`db:\"id\" strata:\"pk\"`" + `
	Name string ` + "`db:\"name\" strata:\"size:80,unique\"`" + `
}

var Models = []any{Order{}, Customer{}}
`

// TestGoFormat is the flow of an application whose revisions are Go: the
// mounted migrate writes Go migrations into the migrations package, the
// application is built again with them, and upgrade, check and downgrade
// run the same file on each database.
func TestGoFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an application several times")
	}
	repo, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		app := t.TempDir()
		url := "sqlite:" + filepath.Join(app, "app.db")
		if dialect != "sqlite" {
			url = testdb.URL(t, dialect)
		}
		gosum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{
			"go.mod":    fmt.Sprintf("module app\n\ngo 1.26\n\nrequire github.com/strata-go/strata v0.0.0\n\nreplace github.com/strata-go/strata => %s\n", repo),
			"go.sum":    string(gosum),
			"main.go":   appMain,
			"models.go": modelsV1,
		}
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(app, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		run := func(args ...string) string {
			t.Helper()
			cmd := exec.Command("go", append([]string{"run", "-mod=mod", "."}, args...)...)
			cmd.Dir = app
			cmd.Env = append(os.Environ(), "DATABASE_URL="+url, "GOFLAGS=-mod=mod")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
			}
			return string(out)
		}
		// init needs no migrations package yet: build without the import.
		if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(strings.Replace(strings.Replace(appMain, "\t\"app/migrations\"\n", "", 1), ", cli.WithFS(migrations.FS)", "", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		run("init")
		if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(appMain), 0o644); err != nil {
			t.Fatal(err)
		}
		out := run("migrate", "-m", "create orders", "--format", "go")
		if !regexp.MustCompile(`Generated migrations/\d{14}_create_orders\.go`).MatchString(out) {
			t.Fatalf("migrate --format go: %s", out)
		}
		run("upgrade")
		if out := run("check"); !strings.Contains(out, "No differences") {
			t.Fatalf("check after the first Go revision: %s", out)
		}
		if err := os.WriteFile(filepath.Join(app, "models.go"), []byte(modelsV2), 0o644); err != nil {
			t.Fatal(err)
		}
		run("migrate", "-m", "grow orders", "--format", "go")
		matches, _ := filepath.Glob(filepath.Join(app, "migrations", "*_grow_orders.go"))
		if len(matches) != 1 {
			t.Fatalf("no Go revision written: %v", matches)
		}
		src, _ := os.ReadFile(matches[0])
		for _, want := range []string{"op.AddColumn(\"orders\", strata.Column(\"quantity\", strata.Integer).Default(\"1\"))", "strata.SetType(strata.Varchar(200))", "op.CreateTable(\"customers\""} {
			if !strings.Contains(string(src), want) {
				t.Errorf("the Go revision lacks %s:\n%s", want, src)
			}
		}
		run("upgrade")
		if out := run("check"); !strings.Contains(out, "No differences") {
			t.Fatalf("check after the second Go revision: %s\n%s", out, src)
		}
		run("downgrade", "--force")
		if err := os.WriteFile(filepath.Join(app, "models.go"), []byte(modelsV1), 0o644); err != nil {
			t.Fatal(err)
		}
		if out := run("check"); !strings.Contains(out, "No differences") {
			t.Fatalf("check after the Go downgrade: %s", out)
		}
	})
}
