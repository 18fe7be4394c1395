package lint_test

import (
	"os"
	"path/filepath"
)

func readDoc(id string) ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "docs", "lint", id+".md"))
}
