package postgres_test

import (
	"os"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

func TestMain(m *testing.M) {
	code := m.Run()
	closeBench()
	testdb.Report()
	os.Exit(code)
}
