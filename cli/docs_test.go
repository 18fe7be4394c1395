package cli_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/strata-go/strata/cli"
)

// TestDocsListEveryCommand keeps docs/cli.md and README.md true to the
// command tree: docs/cli.md has a section for every command, naming each
// of its flags, and says which commands take --json; README.md names
// every command and links docs/cli.md.
func TestDocsListEveryCommand(t *testing.T) {
	doc := readFile(t, "../docs/cli.md")
	readme := readFile(t, "../README.md")
	if !strings.Contains(readme, "docs/cli.md") {
		t.Error("README.md: no link to docs/cli.md")
	}
	// Sections: "### upgrade, downgrade" documents both commands.
	sections := map[string]string{}
	parts := regexp.MustCompile(`(?m)^### (.+)$`).FindAllStringSubmatchIndex(doc, -1)
	for i, p := range parts {
		end := len(doc)
		if i+1 < len(parts) {
			end = parts[i+1][0]
		}
		for _, name := range strings.Split(doc[p[2]:p[3]], ", ") {
			sections[name] = doc[p[0]:end]
		}
	}
	root := cli.New()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	jsonLine := regexp.MustCompile("(?s)## JSON output\n\n(.*?)\n\n")
	for _, c := range root.Commands() {
		name := c.Name()
		section, ok := sections[name]
		if !ok {
			t.Errorf("docs/cli.md: no section ### %s", name)
			continue
		}
		if name != "help" && name != "completion" && !strings.Contains(readme, "`"+name) && !strings.Contains(readme, "db "+name) {
			t.Errorf("README.md does not name the command %s", name)
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" || name == "completion" {
				return
			}
			if !strings.Contains(section, "`--"+f.Name) && !strings.Contains(section, ", --"+f.Name) {
				t.Errorf("docs/cli.md, ### %s: flag --%s is not documented", name, f.Name)
			}
		})
		if c.LocalFlags().Lookup("json") != nil {
			listed := jsonLine.FindString(doc)
			if listed == "" {
				t.Fatal("docs/cli.md: no \"## JSON output\" paragraph listing the commands that take --json")
			}
			if !strings.Contains(listed, "`"+name+"`") {
				t.Errorf("docs/cli.md: %s takes --json but is not in the list of commands that do", name)
			}
		}
	}
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		if !strings.Contains(doc, "`--"+f.Name) {
			t.Errorf("docs/cli.md: global flag --%s is not documented", f.Name)
		}
	})
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
