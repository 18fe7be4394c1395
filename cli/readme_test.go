package cli_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeSnippet compiles the mount snippet of README.md as a program
// of its own (a module that replaces strata with this checkout) and runs
// it as a user would: the help, a mistyped command (exit 2, one line, no
// help), current on SQLite (exit 0), a failure (exit 1, no usage text),
// check --json (exit 1, one JSON object).
func TestReadmeSnippet(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(package main\n.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) != 1 {
		t.Fatalf("README.md: want one Go block that is a whole program (package main), found %d", len(blocks))
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	// The module's requirements, so that the build needs no network.
	_, requires, _ := strings.Cut(string(gomod), "\nrequire")
	dir := t.TempDir()
	mod := "module example.com/myapp\n\ngo 1.24\n\nrequire github.com/strata-go/strata v0.0.0\n\nreplace github.com/strata-go/strata => " + repo + "\n\nrequire" + requires
	for name, data := range map[string][]byte{"go.mod": []byte(mod), "go.sum": gosum, "main.go": blocks[0][1]} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	app := filepath.Join(dir, "myapp")
	build := exec.Command("go", "build", "-mod=mod", "-o", app, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build the README snippet: %v\n%s", err, out)
	}

	work := t.TempDir()
	run := func(args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(app, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "DATABASE_URL=")
		var o, e strings.Builder
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return o.String(), e.String(), code
	}

	out, _, code := run("db", "--help")
	if code != 0 || !strings.Contains(out, "myapp db [command]") || !strings.Contains(out, "downgrade") {
		t.Errorf("myapp db --help: exit %d, output:\n%s", code, out)
	}
	out, errOut, code := run("db", "upgrad")
	if code != 2 || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 ||
		!strings.Contains(errOut, `unknown command "upgrad" for "myapp db"; did you mean "upgrade"?`) ||
		!strings.Contains(errOut, "see 'myapp db --help'") {
		t.Errorf("myapp db upgrad: exit %d (want 2), stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	out, errOut, code = run("db", "upgrade", "--bogus")
	if code != 2 || !strings.Contains(errOut, "unknown flag: --bogus") || strings.Contains(out+errOut, "Usage:") {
		t.Errorf("myapp db upgrade --bogus: exit %d (want 2), stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	out, errOut, code = run("db", "current", "extra")
	if code != 2 || !strings.Contains(errOut, "see 'myapp db current --help'") {
		t.Errorf("myapp db current extra: exit %d (want 2), stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if err := os.Mkdir(filepath.Join(work, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = run("db", "current", "--database", "sqlite:app.db")
	if code != 0 || !strings.Contains(out, "base") {
		t.Errorf("myapp db current: exit %d (want 0), stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	out, errOut, code = run("db", "downgrade", "nosuchrev", "--database", "sqlite:app.db")
	if code != 1 || strings.Contains(out+errOut, "Usage:") || strings.Count(errOut, "Error:") != 1 {
		t.Errorf("myapp db downgrade nosuchrev: exit %d (want 1, one error, no usage), stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	// --json in the user's own binary: check finds the snippet's model
	// missing, exits 1 and says so in one JSON object on stdout.
	out, errOut, code = run("db", "check", "--json", "--database", "sqlite:app.db")
	var check struct {
		OK          bool     `json:"ok"`
		Differences []string `json:"differences"`
		Error       string   `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &check); code != 1 || err != nil || check.OK ||
		len(check.Differences) != 1 || !strings.Contains(check.Differences[0], "todo") || check.Error == "" {
		t.Errorf("myapp db check --json: exit %d (want 1 and a JSON object), %v, stdout:\n%s\nstderr:\n%s", code, err, out, errOut)
	}
}
